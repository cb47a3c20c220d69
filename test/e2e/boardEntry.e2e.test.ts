/**
 * End-to-end: where a participant lands (issue #10 item 4). The first visit
 * fits the board with nothing under the toolbar; a later visit restores the
 * participant's own camera.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createTemplateBoard, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

const FRAME = '.tl-shape[data-shape-type="frame"]'

async function frameBoxes(page: Page) {
	const boxes = await page.locator(FRAME).evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }))
	return boxes
}

describe('landing on a board', () => {
	const t = useTestbed('workshop-board-e2e-entry-')

	it('fits the whole template on first entry (frames uncovered) and restores the own camera later', async () => {
		const board = await createTemplateBoard(t.server.url, 'discovery')
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Pia' })
		await page.goto(board.links.participant)
		await waitConnected(page)
		await page.waitForTimeout(500)

		// Every stage frame is entirely on screen.
		const boxes = await frameBoxes(page)
		expect(boxes.length).toBeGreaterThanOrEqual(7)
		for (const box of boxes) {
			expect(box.x).toBeGreaterThanOrEqual(0)
			expect(box.y).toBeGreaterThanOrEqual(0)
			expect(box.x + box.width).toBeLessThanOrEqual(1280)
			expect(box.y + box.height).toBeLessThanOrEqual(800)
		}
		// No frame heading is covered by the toolbar, menus or pills.
		const covered = await page.locator('.tl-frame-heading').evaluateAll((els) =>
			els.filter((el) => {
				const r = el.getBoundingClientRect()
				const hit = document.elementFromPoint(r.x + Math.min(8, r.width / 2), r.y + r.height / 2)
				return !hit || !hit.closest('.tl-canvas')
			}).length,
		)
		expect(covered).toBe(0)

		// Pan somewhere of one's own; a reload comes back there, not to the fit.
		await page.mouse.move(640, 400)
		await page.mouse.wheel(300, 200)
		await page.waitForTimeout(800)
		const before = (await frameBoxes(page))[0]
		await page.reload()
		await waitConnected(page)
		await page.waitForTimeout(500)
		const after = (await frameBoxes(page))[0]
		expect(Math.abs(after.x - before.x)).toBeLessThan(2)
		expect(Math.abs(after.y - before.y)).toBeLessThan(2)
		await context.close()
	})
})
