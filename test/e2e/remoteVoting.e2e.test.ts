/**
 * End-to-end, remote voting over days (issue #13 item 8) in real Chromium
 * against the real server: the facilitator opens a vote with a closing time
 * (a few seconds, through the "after … minutes" option), a participant who
 * opens the board later sees the vote card first and votes, the facilitator
 * sees turnout live without counts, the server closes the vote by itself and
 * both see the results.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSticky as createSelectedSticky, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

async function openLink(page: Page, link: string) {
	await page.goto(link)
	await waitConnected(page)
	await page.waitForSelector('[data-testid=role-badge]', { timeout: 10_000 })
}

const boxOf = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!
const overlaps = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) =>
	a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

describe('remote voting over days', () => {
	const t = useTestbed('workshop-board-e2e-remote-voting-')

	it('a vote with a closing time: a late participant sees it first and votes, turnout is live, it closes by itself with results for both', async () => {
		const created = await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Async prioritisation' }) })).json()
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		await openLink(fran.page, created.links.facilitator)
		for (const [x, text] of [[300, 'Self-serve onboarding'], [560, 'SSO for enterprise']] as const) {
			await createSelectedSticky(fran.page, x, 420, text)
			await fran.page.keyboard.press('Escape')
		}

		// The facilitator opens a vote that closes by itself in 9 seconds (0.15 minutes).
		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=fac-tab-voting]')
		await fran.page.fill('[data-testid=voting-title]', 'Which one first?')
		await fran.page.fill('[data-testid=voting-budget]', '3')
		await fran.page.selectOption('[data-testid=voting-closes]', 'in')
		await fran.page.fill('[data-testid=voting-closes-amount]', '0.15')
		await fran.page.selectOption('[data-testid=voting-closes-unit]', 'minutes')
		await fran.page.click('[data-testid=voting-start]')
		await fran.page.waitForSelector('[data-testid=vote-closing-time]', { timeout: 10_000 })
		expect(await fran.page.innerText('[data-testid=vote-closing-time]')).toMatch(/Closes .* in \d+ s/)
		expect(await fran.page.innerText('[data-testid=vote-turnout]')).toMatch(/0 of 0/)
		// Changing the closing time offers the same choices, a date and time in the facilitator's zone included.
		await fran.page.click('[data-testid=vote-closing-edit]')
		await fran.page.locator('[data-testid=vote-closing] [data-testid=voting-closes]').selectOption('at')
		await fran.page.locator('[data-testid=vote-closing] [data-testid=voting-closes-at]').waitFor()
		await fran.page.screenshot({ path: 'test-results/remote-voting-facilitator-change.png' })
		expect(await fran.page.locator('.wb-panel').evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true)
		await fran.page.click('[data-testid=vote-closing-edit]')

		// Later, a participant opens the board: the vote card comes first.
		const pat = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		await openLink(pat.page, created.links.participant)
		const card = pat.page.locator('[data-testid=vote-card][data-state=open]')
		await card.waitFor({ timeout: 10_000 })
		expect(await card.locator('h2').innerText()).toMatch(/^Vote open until .+ — 3 dots left$/)
		await pat.page.screenshot({ path: 'test-results/remote-voting-card-open.png' })
		// The card does not cover the session bar or the pills above it.
		expect(overlaps(await boxOf(pat.page, '[data-testid=vote-card]'), await boxOf(pat.page, '[data-testid=session-bar]'))).toBe(false)
		await expect.poll(() => fran.page.innerText('[data-testid=vote-turnout]'), { timeout: 5_000 }).toMatch(/0 of 1/)

		await card.locator('[data-testid=vote-card-vote]').click()
		await expect.poll(() => card.count()).toBe(0)
		await noteWith(pat.page, 'SSO for enterprise').locator('[data-testid=vote-add]').click()
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]')).toBe('2')

		// Turnout reaches the facilitator live; the hidden counts stay hidden.
		await expect.poll(() => fran.page.innerText('[data-testid=vote-turnout]'), { timeout: 5_000 }).toMatch(/1 of 1/)
		expect(await fran.page.innerText('[data-testid=bar-turnout]')).toMatch(/1\/1 voted/)
		expect(await fran.page.locator('[data-testid=vote-count]').count()).toBe(0)
		await fran.page.screenshot({ path: 'test-results/remote-voting-facilitator-turnout.png' })

		// Nobody closes it: the server does, at the closing time, and both see the results.
		for (const who of [fran, pat]) {
			const closed = who.page.locator('[data-testid=vote-card][data-state=closed]')
			await closed.waitFor({ timeout: 15_000 })
			expect(await closed.locator('[data-testid=vote-card-turnout]').innerText()).toMatch(/1 of 1 voted · 1 dot$/)
			expect(await closed.locator('[data-testid=vote-card-results]').innerText()).toMatch(/SSO for enterprise\s*1/)
			await expect.poll(() => noteWith(who.page, 'SSO for enterprise').locator('[data-testid=vote-count]').innerText()).toMatch(/1 dot/)
		}
		// A participant cannot vote after the close: no controls (and the server refuses, tested in integration).
		expect(await pat.page.locator('[data-testid=vote-add]').count()).toBe(0)
		// On a narrower laptop screen the card moves beside the Facilitate panel instead of over it.
		await fran.page.setViewportSize({ width: 1024, height: 720 })
		await expect.poll(async () => overlaps(await boxOf(fran.page, '[data-testid=vote-card]'), await boxOf(fran.page, '.wb-panel'))).toBe(false)
		await pat.page.screenshot({ path: 'test-results/remote-voting-closed-participant.png' })
		await fran.page.screenshot({ path: 'test-results/remote-voting-closed-facilitator.png' })
		expect([...fran.foreignRequests, ...pat.foreignRequests]).toEqual([])
	})
})
