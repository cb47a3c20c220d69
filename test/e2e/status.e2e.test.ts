/**
 * End-to-end (issue #13 item 10): a sticky's status set in the inspector (with
 * a reason) is found by the `status:` search filter; CD3 entered in the
 * inspector sorts the Ranking panel.
 */
import { describe, expect, it } from 'vitest'
import { createSticky, createTemplateBoard, noteWith, openWorkshopPanel, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

describe('item status and CD3', () => {
	const t = useTestbed('workshop-board-e2e-status-')

	it('sets a status with a reason in the inspector, filters by it, and ranks by CD3', async () => {
		const board = await createTemplateBoard(t.server.url, 'blank', 'Lifecycle')
		const { page, context, consoleErrors } = await newParticipant(t.browser, t.server.url, { name: 'Sam' })
		await page.goto(board.links.facilitator)
		await waitConnected(page)
		await createSticky(page, 400, 300, 'Dark mode')
		await createSticky(page, 700, 300, 'Single sign-on')

		const select = async (text: string) => {
			await page.keyboard.press('Escape')
			const box = (await noteWith(page, text).boundingBox())!
			await page.mouse.click(box.x + box.width / 2, box.y + 12)
			await page.waitForSelector('[data-testid=item-inspector]')
		}
		// Dark mode: discarded, with a reason; low CD3.
		await select('Dark mode')
		await page.selectOption('[data-testid=status-select]', 'discarded')
		await page.fill('[data-testid=status-reason]', 'Nobody asked twice')
		await page.fill('[data-testid=cd3-editor] input >> nth=0', '100')
		await page.fill('[data-testid=cd3-editor] input >> nth=1', '4')
		await expect.poll(() => page.locator('[data-testid=cd3-score]').innerText()).toBe('25')
		await page.locator('[data-testid=item-inspector]').screenshot({ path: 'test-results/status-inspector.png' })
		// Single sign-on: accepted; higher CD3.
		await select('Single sign-on')
		expect(await page.inputValue('[data-testid=status-select]')).toBe('new')
		await page.selectOption('[data-testid=status-select]', 'accepted')
		await page.fill('[data-testid=cd3-editor] input >> nth=0', '900')
		await page.fill('[data-testid=cd3-editor] input >> nth=1', '3')
		await expect.poll(() => page.locator('[data-testid=cd3-score]').innerText()).toBe('300')

		// The reason was kept on Dark mode.
		await select('Dark mode')
		expect(await page.inputValue('[data-testid=status-reason]')).toBe('Nobody asked twice')
		await page.keyboard.press('Escape')

		// Search: status:discarded finds Dark mode only; status:acc finds SSO; a wrong status is said so.
		await openWorkshopPanel(page, 'search')
		const hits = () => page.locator('[data-testid=search-hit]').allInnerTexts()
		await page.fill('[data-testid=search-input]', 'status:discarded')
		await expect.poll(async () => (await hits()).join('|')).toContain('Dark mode')
		expect((await hits()).join('|')).not.toContain('Single sign-on')
		await page.fill('[data-testid=search-input]', 'status:acc')
		await expect.poll(async () => (await hits()).join('|')).toContain('Single sign-on')
		expect((await hits()).join('|')).not.toContain('Dark mode')
		await page.fill('[data-testid=search-input]', 'status:someday')
		await expect.poll(() => page.locator('[data-testid=search-status]').innerText()).toContain('No status called “someday”')

		// Ranking by CD3: SSO (300) above Dark mode (25).
		await openWorkshopPanel(page, 'ranking')
		await page.selectOption('[data-testid=ranking-sort]', 'cd3')
		const rows = page.locator('[data-testid=rice-ranking] li')
		expect(await rows.locator('button').allInnerTexts()).toEqual(['Single sign-on', 'Dark mode'])
		expect(await rows.locator('[data-testid=ranking-cd3]').allInnerTexts()).toEqual(['CD3 300', 'CD3 25'])
		await page.screenshot({ path: 'test-results/status-ranking.png' })
		expect(consoleErrors).toEqual([])
		await context.close()
	}, 40_000)
})
