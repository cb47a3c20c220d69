/**
 * End-to-end (issue #13 item 11): an opportunity solution tree board made from
 * the landing page; stickies in its levels take the level's kind, an arrow
 * from a solution to an opportunity makes a branch, and the Markdown export
 * shows the tree.
 */
import { describe, expect, it } from 'vitest'
import { createBoardFromLanding, createSticky, drawArrow, frameNamed, noteWith, selectFrame, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

describe('opportunity solution tree template', () => {
	const t = useTestbed('workshop-board-e2e-ost-')

	it('is created from the landing page; its levels type the stickies and the arrows make the tree', async () => {
		const { page, context, consoleErrors } = await newParticipant(t.browser, t.server.url, { name: 'Olga' })
		await createBoardFromLanding(page, t.server.url, 'ost', 'Activation OST')
		await page.click('[data-testid=open-as-facilitator]')
		await waitConnected(page)
		for (const level of ['Outcome', 'Opportunities', 'Solutions', 'Experiments']) await expect.poll(() => frameNamed(page, level).count()).toBe(1)
		await selectFrame(page, 'Opportunity solution tree')
		// Each level's guide is on the board.
		await expect.poll(() => page.locator('.tl-shape[data-shape-type="text"]', { hasText: 'Draw an arrow from each solution to the opportunity it solves' }).count()).toBe(1)

		const levelBox = async (name: string) => (await frameNamed(page, name).first().boundingBox())!
		const at = async (name: string, fx: number) => {
			const box = await levelBox(name)
			return [box.x + box.width * fx, box.y + box.height * 0.65] as const
		}
		await createSticky(page, ...(await at('Outcome', 0.3)), 'Activation +20%')
		await createSticky(page, ...(await at('Opportunities', 0.3)), 'Setup is slow')
		await createSticky(page, ...(await at('Solutions', 0.3)), 'Templates gallery')
		await createSticky(page, ...(await at('Experiments', 0.3)), 'Fake door')
		const kindOf = (text: string) => noteWith(page, text).locator('[data-testid=note-kind]').innerText()
		await expect.poll(() => kindOf('Setup is slow')).toBe('Problem')
		await expect.poll(() => kindOf('Templates gallery')).toBe('Idea')
		await expect.poll(() => kindOf('Fake door')).toBe('Experiment')
		await expect.poll(() => kindOf('Activation +20%')).toBe('KPI')

		await drawArrow(page, 'Setup is slow', 'Activation +20%')
		await drawArrow(page, 'Templates gallery', 'Setup is slow')
		await drawArrow(page, 'Fake door', 'Templates gallery')
		await page.screenshot({ path: 'test-results/ost-board.png' })

		// The server's Markdown export (the same builder as the download) shows the branch.
		const token = new URL(await page.evaluate(() => window.location.href)).searchParams.get('token')
		const boardId = await page.getAttribute('[data-testid=board]', 'data-board-id')
		const stored = await page.evaluate((id) => window.localStorage.getItem(`workshop-board:token:${id}`), boardId)
		await expect
			.poll(async () => {
				const response = await fetch(`${t.server.url}/api/boards/${boardId}/export.md`, { headers: { authorization: `Bearer ${token ?? stored}` } })
				return response.text()
			}, { timeout: 10_000 })
			.toContain(['## Opportunity solution tree', '', '- **Outcome:** Activation +20%', '  - Opportunity: Setup is slow', '    - Solution: Templates gallery', '      - Experiment: Fake door — **no result yet**'].join('\n'))
		expect(consoleErrors).toEqual([])
		await context.close()
	}, 40_000)
})
