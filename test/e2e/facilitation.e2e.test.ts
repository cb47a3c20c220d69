/**
 * End-to-end: a facilitator and two participants in real Chromium run a
 * session — role links, a dot vote with hidden results, a shared timer,
 * "bring everyone here" — against the real server.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { NOTE, createSticky as createSelectedSticky, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

async function openLink(page: Page, link: string) {
	await page.goto(link)
	await waitConnected(page)
	await page.waitForSelector('[data-testid=role-badge]', { timeout: 10_000 })
}

/** A sticky, then deselected so the session controls are not covered. */
async function createSticky(page: Page, x: number, y: number, text: string) {
	await createSelectedSticky(page, x, y, text)
	await page.keyboard.press('Escape')
}

const note = noteWith

describe('a facilitated session', () => {
	const t = useTestbed('workshop-board-e2e-session-')

	it('runs a hidden-results dot vote, a shared timer and summon', async () => {
		const created = await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Buy-in session' }) })).json()
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		const pat = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		const quinn = await newParticipant(t.browser, t.server.url, { name: 'Quinn' })
		await openLink(fran.page, created.links.facilitator)
		await openLink(pat.page, created.links.participant)
		await openLink(quinn.page, created.links.participant)
		expect(await fran.page.innerText('[data-testid=role-badge]')).toMatch(/facilitator/i)
		expect(await pat.page.innerText('[data-testid=role-badge]')).toMatch(/participant/i)
		// Participants get no facilitator controls.
		expect(await pat.page.locator('[data-testid=panel-facilitate]').count()).toBe(0)

		await createSticky(fran.page, 300, 300, 'Self-serve onboarding')
		await createSticky(fran.page, 560, 300, 'SSO for enterprise')
		await expect.poll(() => note(quinn.page, 'SSO for enterprise').count(), { timeout: 10_000 }).toBe(1)

		// Timer: everyone sees the same remaining time (server clock).
		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=fac-tab-timer]')
		await fran.page.fill('[data-testid=timer-minutes]', '3')
		await fran.page.click('[data-testid=timer-set]')
		await fran.page.click('[data-testid=timer-start]')
		const remaining = async (page: Page) => Number((await page.getAttribute('[data-testid=timer]', 'data-remaining-ms')) ?? NaN)
		// Both count down (the display refreshes every 250 ms) from the same server end time.
		for (const who of [fran, pat]) await expect.poll(() => remaining(who.page), { timeout: 10_000 }).toBeLessThan(179_500)
		const [a, b] = await Promise.all([remaining(fran.page), remaining(pat.page)])
		expect(a).toBeGreaterThan(150_000)
		expect(Math.abs(a - b)).toBeLessThan(1_000)

		// Dot vote, 3 dots each, at most 2 per item, results hidden until close.
		await fran.page.click('[data-testid=fac-tab-voting]')
		await fran.page.fill('[data-testid=voting-title]', 'What should we build first?')
		await fran.page.fill('[data-testid=voting-budget]', '3')
		await fran.page.fill('[data-testid=voting-per-item]', '2')
		await fran.page.click('[data-testid=voting-start]')
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]'), { timeout: 10_000 }).toBe('3')

		const add = (page: Page, text: string) => note(page, text).locator('[data-testid=vote-add]').click()
		await add(pat.page, 'SSO for enterprise')
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]')).toBe('2')
		await add(pat.page, 'SSO for enterprise')
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]')).toBe('1')
		// The per-item cap: a third dot on the same sticky is not offered.
		expect(await note(pat.page, 'SSO for enterprise').locator('[data-testid=vote-add]').isDisabled()).toBe(true)
		await add(pat.page, 'Self-serve onboarding')
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]')).toBe('0')
		await add(quinn.page, 'SSO for enterprise')
		await expect.poll(() => quinn.page.innerText('[data-testid=dots-left]')).toBe('2')

		// Hidden: nobody sees counts while the vote is open.
		for (const who of [fran, pat, quinn]) expect(await who.page.locator('[data-testid=vote-count]').count()).toBe(0)

		await fran.page.click('[data-testid=voting-close]')
		await expect.poll(() => note(quinn.page, 'SSO for enterprise').locator('[data-testid=vote-count]').innerText(), { timeout: 10_000 }).toBe('3 dots')
		await expect.poll(() => note(pat.page, 'Self-serve onboarding').locator('[data-testid=vote-count]').innerText()).toBe('1 dot')
		await pat.page.click('[data-testid=panel-votes]')
		await expect.poll(() => pat.page.locator('[data-testid=results-closed] li').allInnerTexts()).toEqual(['SSO for enterprise 3', 'Self-serve onboarding 1'])

		// The ranked result is in the server's JSON export and Markdown summary (counts only).
		const token = new URL(created.links.facilitator).searchParams.get('token')
		const exported = await (await fetch(`${t.server.url}/api/boards/${created.id}/export.json?token=${token}`)).json()
		const byText = (text: string) => exported.items.find((item: { text: string }) => item.text === text)
		expect(byText('SSO for enterprise').votes).toMatchObject({ total: 3, bySession: [{ count: 3, rank: 1 }] })
		expect(byText('Self-serve onboarding').votes).toMatchObject({ total: 1, bySession: [{ count: 1, rank: 2 }] })
		expect(exported.votingSessions).toHaveLength(1)
		const markdown = await (await fetch(`${t.server.url}/api/boards/${created.id}/export.md?token=${token}`)).text()
		expect(markdown).toContain('What should we build first?')

		// Bring everyone here: Pat's viewport moves to Fran's.
		await pat.page.keyboard.press('Escape')
		await pat.page.mouse.move(640, 450)
		await pat.page.mouse.wheel(0, 2500)
		await expect.poll(() => note(pat.page, 'SSO for enterprise').isVisible()).toBe(false)
		if (!(await fran.page.locator('[data-testid=facilitator-panel]').isVisible())) await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=fac-tab-present]')
		await fran.page.click('[data-testid=summon]')
		await expect.poll(() => note(pat.page, 'SSO for enterprise').isVisible(), { timeout: 10_000 }).toBe(true)

		// Private writing: Pat's new note reaches nobody until the facilitator reveals it.
		await fran.page.click('[data-testid=fac-tab-private]')
		await fran.page.click('[data-testid=private-toggle]')
		await expect.poll(() => pat.page.locator('[data-testid=private-on]').count(), { timeout: 10_000 }).toBe(1)
		await createSticky(pat.page, 420, 520, 'Secret worry about pricing')
		await expect.poll(() => note(pat.page, 'Secret worry about pricing').locator('[data-testid=note-private]').count()).toBe(1)
		// A shared edit made after the private note reaches Quinn: the private one would have too, had it been sent.
		await fran.page.click('[data-testid=private-toggle]')
		await expect.poll(() => pat.page.locator('[data-testid=private-on]').count(), { timeout: 10_000 }).toBe(0)
		await createSticky(pat.page, 700, 520, 'Shared after private')
		await expect.poll(() => note(quinn.page, 'Shared after private').count(), { timeout: 10_000 }).toBe(1)
		expect(await note(quinn.page, 'Secret worry about pricing').count()).toBe(0)
		expect(await note(fran.page, 'Secret worry about pricing').count()).toBe(0)
		expect(await note(pat.page, 'Secret worry about pricing').locator('[data-testid=note-private]').count()).toBe(1)
		await fran.page.click('[data-testid=private-reveal]')
		await expect.poll(() => note(quinn.page, 'Secret worry about pricing').count(), { timeout: 10_000 }).toBe(1)
		await expect.poll(() => note(fran.page, 'Secret worry about pricing').count(), { timeout: 10_000 }).toBe(1)
		await expect.poll(() => note(pat.page, 'Secret worry about pricing').locator('[data-testid=note-private]').count()).toBe(0)

		for (const who of [fran, pat, quinn]) {
			expect(who.foreignRequests).toEqual([])
			await who.context.close()
		}
	})

	it('a viewer link is read-only', async () => {
		const created = await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()
		const viewer = await newParticipant(t.browser, t.server.url, { name: 'Stakeholder' })
		await openLink(viewer.page, created.links.viewer)
		expect(await viewer.page.innerText('[data-testid=role-badge]')).toMatch(/viewer/i)
		await viewer.page.keyboard.press('n')
		await viewer.page.mouse.click(400, 300)
		await viewer.page.waitForTimeout(500)
		expect(await viewer.page.locator(NOTE).count()).toBe(0)
		await viewer.context.close()
	})
})
