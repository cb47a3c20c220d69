/**
 * End-to-end, a live session as a facilitator runs it:
 * - the name a person types in the name dialog is the name the session knows
 *   them by — in named vote results and under "Follow me" — at once, without
 *   a reload (#10 item 2: the join went out before the dialog was answered);
 * - private writing shows its state and the next step; Reveal ends the round
 *   visibly instead of flipping back to "Start…" (#10 item 8).
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSticky, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

async function answerNameDialog(page: Page, name: string) {
	await page.waitForSelector('[data-testid=name-input]', { timeout: 10_000 })
	await page.fill('[data-testid=name-input]', name)
	await page.click('[data-testid=name-submit]')
	await page.waitForSelector('[data-testid=name-input]', { state: 'detached' })
}

describe('names typed in the name dialog', () => {
	const t = useTestbed('workshop-board-e2e-names-')

	it('reach named vote results and "Presenting" without a reload', async () => {
		const created = await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()
		// No stored identity: both are asked for their name after the board (and the session) connected.
		const fran = await newParticipant(t.browser, t.server.url)
		const pat = await newParticipant(t.browser, t.server.url)
		await fran.page.goto(created.links.facilitator)
		await pat.page.goto(created.links.participant)
		await waitConnected(fran.page)
		await waitConnected(pat.page)
		await fran.page.waitForSelector('[data-testid=role-badge]', { timeout: 10_000 })
		await pat.page.waitForSelector('[data-testid=role-badge]', { timeout: 10_000 })
		await answerNameDialog(fran.page, 'Fran')
		await answerNameDialog(pat.page, 'Pat')

		await createSticky(fran.page, 420, 320, 'Guided setup checklist')
		await fran.page.keyboard.press('Escape')
		await expect.poll(() => noteWith(pat.page, 'Guided setup checklist').count(), { timeout: 10_000 }).toBe(1)

		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=fac-tab-voting]')
		await fran.page.fill('[data-testid=voting-title]', 'Named vote')
		await fran.page.uncheck('[data-testid=voting-anonymous]')
		await fran.page.uncheck('[data-testid=voting-hide]')
		await fran.page.click('[data-testid=voting-start]')
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]'), { timeout: 10_000 }).toBe('5')
		await noteWith(pat.page, 'Guided setup checklist').locator('[data-testid=vote-add]').click()
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]')).toBe('4')
		await fran.page.click('[data-testid=voting-close]')
		await fran.page.click('[data-testid=panel-votes]')
		await expect.poll(() => fran.page.locator('[data-testid=results-closed] li').allInnerTexts(), { timeout: 10_000 }).toEqual([
			expect.stringContaining('Pat ×1'),
		])
		expect(await fran.page.innerText('[data-testid=results-closed]')).not.toContain('Anonymous')

		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=fac-tab-present]')
		await fran.page.click('[data-testid=follow-me]')
		await expect.poll(() => pat.page.innerText('[data-testid=session-bar]'), { timeout: 10_000 }).toContain('Presenting: Fran')

		for (const who of [fran, pat]) await who.context.close()
	})

	it('private writing says what is happening and what comes next; Reveal ends the round visibly', async () => {
		const created = await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		const pat = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		for (const [who, link] of [[fran, created.links.facilitator], [pat, created.links.participant]] as const) {
			await who.page.goto(link)
			await waitConnected(who.page)
			await who.page.waitForSelector('[data-testid=role-badge]', { timeout: 10_000 })
		}
		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=fac-tab-private]')
		const phase = () => fran.page.getAttribute('[data-testid=private-status]', 'data-phase')
		const toggleText = () => fran.page.innerText('[data-testid=private-toggle]')
		expect(await phase()).toBe('idle')
		expect(await toggleText()).toBe('Start private writing')
		// Nothing to reveal before a round started.
		expect(await fran.page.locator('[data-testid=private-reveal]').count()).toBe(0)

		await fran.page.click('[data-testid=private-toggle]')
		await expect.poll(phase, { timeout: 10_000 }).toBe('writing')
		expect(await fran.page.innerText('[data-testid=private-reveal]')).toBe('Reveal notes and end')
		await expect.poll(() => pat.page.locator('[data-testid=private-on]').count(), { timeout: 10_000 }).toBe(1)
		await createSticky(pat.page, 500, 400, 'Pricing worries me')
		await pat.page.keyboard.press('Escape')
		expect(await noteWith(fran.page, 'Pricing worries me').count()).toBe(0)

		await fran.page.click('[data-testid=private-reveal]')
		await expect.poll(phase, { timeout: 10_000 }).toBe('revealed')
		expect(await fran.page.innerText('[data-testid=private-status]')).toMatch(/^Revealed at /)
		// The next click starts a *new* round, and says so.
		expect(await toggleText()).toBe('Start a new private round')
		await expect.poll(() => noteWith(fran.page, 'Pricing worries me').count(), { timeout: 10_000 }).toBe(1)
		await expect.poll(() => pat.page.locator('[data-testid=private-on]').count()).toBe(0)

		// Ending without revealing is a state of its own, with Reveal still offered.
		await fran.page.click('[data-testid=private-toggle]')
		await expect.poll(phase, { timeout: 10_000 }).toBe('writing')
		await fran.page.click('[data-testid=private-toggle]')
		await expect.poll(phase, { timeout: 10_000 }).toBe('ended-unrevealed')
		expect(await toggleText()).toBe('Resume private writing')
		expect(await fran.page.locator('[data-testid=private-reveal]').count()).toBe(1)
		for (const who of [fran, pat]) await who.context.close()
	})

	it('a frozen server shows as reconnecting within seconds, counts unsaved changes and keeps the session state visible', async () => {
		const created = await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		await fran.page.goto(created.links.facilitator)
		await waitConnected(fran.page)
		await fran.page.waitForSelector('[data-testid=role-badge]', { timeout: 10_000 })
		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=fac-tab-timer]')
		await fran.page.fill('[data-testid=timer-minutes]', '5')
		await fran.page.click('[data-testid=timer-set]')
		await fran.page.click('[data-testid=timer-start]')
		await fran.page.waitForSelector('[data-testid=timer]')
		await fran.page.click('[data-testid=panel-facilitate]')
		const state = () => fran.page.getAttribute('[data-testid=board-status]', 'data-state')

		const frozenAt = Date.now()
		t.server.process.kill('SIGSTOP')
		try {
			await expect.poll(state, { timeout: 9_000, interval: 200 }).not.toBe('connected')
			const detectedAfterMs = Date.now() - frozenAt
			expect(detectedAfterMs).toBeLessThan(9_000)
			await createSticky(fran.page, 500, 420, 'Written while the server is frozen')
			await fran.page.keyboard.press('Escape')
			await expect.poll(() => fran.page.innerText('[data-testid=board-status]')).toMatch(/\d+ changes? not yet saved/)
			// Role and timer are still on screen, marked as last known.
			expect(await fran.page.getAttribute('[data-testid=session-bar]', 'data-stale')).toBe('true')
			expect(await fran.page.isVisible('[data-testid=role-badge]')).toBe(true)
			expect(await fran.page.isVisible('[data-testid=timer]')).toBe(true)
		} finally {
			t.server.process.kill('SIGCONT')
		}
		await expect.poll(state, { timeout: 20_000 }).toBe('connected')
		await expect.poll(() => fran.page.getAttribute('[data-testid=board-status]', 'data-unsaved'), { timeout: 10_000 }).toBe('0')
		await expect.poll(() => fran.page.getAttribute('[data-testid=session-bar]', 'data-stale'), { timeout: 10_000 }).toBe('false')
		const token = new URL(created.links.facilitator).searchParams.get('token')
		await expect
			.poll(async () => JSON.stringify(await (await fetch(`${t.server.url}/api/boards/${created.id}/export.json?token=${token}`)).json()), { timeout: 10_000 })
			.toContain('Written while the server is frozen')
		await fran.context.close()
	})
})
