/**
 * End-to-end (#13 item 7, stage 5) in real Chromium: a facilitator and a
 * participant run a RICE estimation poker round on two features — the
 * participant estimates privately on the card, the facilitator sees who
 * estimated (never what), reveals, sees min – median – max per field, and
 * accepts the median, which becomes the feature's RICE on everyone's board.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSticky, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

describe('stage 5: RICE estimation poker', () => {
	const t = useTestbed('workshop-board-e2e-poker-')

	it('runs a round across two people: hidden estimates, reveal with the spread, accept the median as RICE', async () => {
		const created = (await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Poker' }) })).json()) as { links: Record<string, string> }
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		const pat = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		for (const [who, link] of [[fran, created.links.facilitator], [pat, created.links.participant]] as const) {
			await who.page.goto(link)
			await waitConnected(who.page)
		}
		await createSticky(fran.page, 360, 300, 'Guided setup')
		await fran.page.keyboard.press('5')
		await createSticky(fran.page, 640, 300, 'SSO login')
		await fran.page.keyboard.press('5')
		await expect.poll(() => noteWith(pat.page, 'SSO login').count(), { timeout: 10_000 }).toBe(1)

		// Both features selected; the facilitator starts a named round from the Estimate tab.
		await fran.page.keyboard.press('Escape')
		await fran.page.keyboard.press('Control+a')
		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=fac-tab-estimate]')
		await expect.poll(() => fran.page.innerText('[data-testid=estimation-selected]')).toBe('2 selected')
		await fran.page.click('[data-testid=estimation-start]')

		// Pat estimates privately on the card.
		const card = pat.page.locator('[data-testid=poker-card]')
		await expect.poll(() => card.locator('[data-testid=poker-item]').count(), { timeout: 10_000 }).toBe(2)
		const fill = async (page: Page, index: number, reach: string, impact: string, confidence: string, effort: string) => {
			const item = page.locator('[data-testid=poker-card] [data-testid=poker-item]').nth(index)
			await item.locator('[data-testid=estimate-reach]').fill(reach)
			await item.locator('[data-testid=estimate-impact]').selectOption(impact)
			await item.locator('[data-testid=estimate-confidence]').fill(confidence)
			await item.locator('[data-testid=estimate-effort]').fill(effort)
		}
		await fill(pat.page, 0, '800', '2', '80', '2')
		await fill(pat.page, 1, '300', '1', '50', '4')
		await pat.page.click('[data-testid=estimate-submit]')
		await expect.poll(() => card.locator('[data-testid=estimate-submitted]').count()).toBe(1)
		await pat.page.screenshot({ path: 'test-results/stages7-poker-participant.png' })

		// The facilitator sees who estimated, never what, until the reveal.
		await expect.poll(() => fran.page.innerText('[data-testid=estimation-progress]'), { timeout: 10_000 }).toContain('1 of 2 estimated')
		expect(await fran.page.innerText('[data-testid=estimation-progress]')).toContain('(Pat)')
		expect(await fran.page.locator('[data-testid=facilitator-panel]').innerText()).not.toContain('800')
		await fill(fran.page, 0, '1200', '2', '60', '3')
		await fran.page.click('[data-testid=estimate-submit]')
		await expect.poll(() => fran.page.innerText('[data-testid=estimation-progress]')).toContain('2 of 2 estimated')
		await fran.page.screenshot({ path: 'test-results/stages7-poker-facilitator-open.png' })

		await fran.page.click('[data-testid=estimation-reveal]')
		const first = fran.page.locator('[data-testid=estimation-results] [data-testid=poker-result]').first()
		await expect.poll(() => first.locator('[data-testid=poker-spread-reach]').innerText(), { timeout: 10_000 }).toBe('800 – 1000 – 1200')
		await expect.poll(() => pat.page.locator('[data-testid=poker-card-results] [data-testid=poker-spread-reach]').first().innerText(), { timeout: 10_000 }).toBe('800 – 1000 – 1200')
		expect(await fran.page.locator('[data-testid=estimation-results] [data-testid=poker-spread-effort]').first().innerText()).toBe('2 – 2.5 – 3')

		// Accept the median: it becomes the feature's RICE on the board, for everyone.
		await fran.page.locator('[data-testid=accept-median]').first().click()
		await expect.poll(() => fran.page.locator('[data-testid=poker-accepted]').count(), { timeout: 10_000 }).toBe(1)
		// 1000 × 2 × 70% / 2.5 = 560
		await expect.poll(() => noteWith(pat.page, 'Guided setup').locator('[data-testid=note-rice]').innerText(), { timeout: 10_000 }).toBe('RICE 560')
		await fran.page.screenshot({ path: 'test-results/stages7-poker-facilitator-revealed.png' })
		await pat.page.screenshot({ path: 'test-results/stages7-poker-participant-revealed.png' })
		expect([...fran.foreignRequests, ...pat.foreignRequests]).toEqual([])
	})
})
