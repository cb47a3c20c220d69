/**
 * End-to-end: where a participant lands (issue #10 item 4). The first visit
 * fits the board with nothing under the toolbar; a later visit restores the
 * participant's own camera.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createTemplateBoard, frameNamed, openWorkshopPanel, waitConnected, zoomToStage } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

const FRAME = '.tl-shape[data-shape-type="frame"]'

type Box = { x: number; y: number; width: number; height: number }

/**
 * Frame headings on screen (inside `within`, if given, or just above it where a frame's own
 * heading sits) that a piece of UI covers: the point at the heading's start is not the canvas.
 */
const coveredHeadings = (page: Page, within?: Box) =>
	page.locator('.tl-frame-heading').evaluateAll((els, area) => {
		return els
			.filter((el) => {
				const r = el.getBoundingClientRect()
				if (r.bottom < 0 || r.top > window.innerHeight || r.right < 0 || r.left > window.innerWidth) return false
				if (area && (r.left < area.x - 1 || r.top < area.y - 40 || r.left > area.x + area.width || r.top > area.y + area.height)) return false
				const x = Math.max(0, r.x) + Math.min(8, r.width / 2)
				const hit = document.elementFromPoint(x, r.y + r.height / 2)
				return !hit || !hit.closest('.tl-canvas')
			})
			.map((el) => el.textContent?.trim() ?? '')
	}, within ?? null)

/** Visible UI over the canvas (tldraw's and ours) whose box overlaps `box`. */
const chromeOver = (page: Page, box: Box) =>
	page.evaluate((b) => {
		const selectors = ['.board-status', '.session-bar > *', '.wb-toolbar__button', '.tlui-menu-zone .tlui-button', '.tlui-style-panel', '.tlui-main-toolbar__tools', '.tlui-navigation-panel', '.wb-inspector', '.wb-panel']
		return [...document.querySelectorAll(selectors.join(','))]
			.filter((el) => {
				const r = el.getBoundingClientRect()
				return r.width > 0 && r.left < b.x + b.width && b.x < r.right && r.top < b.y + b.height && b.y < r.bottom
			})
			.map((el) => `${el.className} ${el.textContent?.trim().slice(0, 20)}`)
	}, box)

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
		expect(await coveredHeadings(page)).toEqual([])

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

	it('zooming to a stage (Shift+2) keeps its headings clear of the top chrome, for the facilitator too', async () => {
		const board = await createTemplateBoard(t.server.url, 'discovery')
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Fay' })
		await page.goto(board.links.facilitator)
		await waitConnected(page)
		await page.waitForSelector('[data-testid=share-open]', { timeout: 10_000 })
		for (let stage = 1; stage <= 7; stage++) {
			// From the whole board (Shift+1), so the stage's heading is on screen to click.
			await page.keyboard.press('Escape')
			await page.keyboard.press('Shift+1')
			await page.waitForTimeout(300)
			expect(await coveredHeadings(page), `whole board before stage ${stage}`).toEqual([])
			const box = await zoomToStage(page, stage)
			await page.screenshot({ path: `test-results/zoom-stage-${stage}.png` })
			expect(await coveredHeadings(page, box), `stage ${stage}`).toEqual([])
			// The whole stage is on screen and no pill, panel or tool bar lies over any of it.
			expect(box.y, `stage ${stage} top`).toBeGreaterThanOrEqual(0)
			expect(box.y + box.height, `stage ${stage} bottom`).toBeLessThanOrEqual(800)
			expect(await chromeOver(page, box), `stage ${stage}`).toEqual([])
		}
		await context.close()
	})

	it('first entry during an agenda phase fits the facilitator’s current phase frame', async () => {
		const board = await createTemplateBoard(t.server.url, 'discovery')
		const fay = await newParticipant(t.browser, t.server.url, { name: 'Fay' })
		await fay.page.goto(board.links.facilitator)
		await waitConnected(fay.page)
		await openWorkshopPanel(fay.page, 'facilitate')
		await fay.page.click('[data-testid=agenda-create]')
		await fay.page.locator('.fac-agenda button', { hasText: /Solution ideas/ }).click()
		await expect.poll(() => fay.page.locator('.fac-agenda__current').innerText()).toMatch(/Solution ideas/)

		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Pia' })
		await page.goto(board.links.participant)
		await waitConnected(page)
		await expect.poll(() => page.locator('[data-testid=role-badge]').count(), { timeout: 10_000 }).toBe(1)
		await page.waitForTimeout(600)
		await page.screenshot({ path: 'test-results/entry-phase-frame.png' })
		const stage = frameNamed(page, /^\s*3 ·/)
		const box = (await stage.boundingBox())!
		// The phase's frame fills the free screen (not a quarter of it, as the whole-board fit would)…
		expect(box.x).toBeGreaterThanOrEqual(0)
		expect(box.y).toBeGreaterThanOrEqual(0)
		expect(box.x + box.width).toBeLessThanOrEqual(1280)
		expect(box.y + box.height).toBeLessThanOrEqual(800)
		expect(Math.max(box.width / 1280, box.height / 800)).toBeGreaterThan(0.6)
		// …with its headings and the whole frame clear of the chrome.
		expect(await coveredHeadings(page, box)).toEqual([])
		expect(await chromeOver(page, box)).toEqual([])
		// A reload is a later visit: the participant's own camera, even after the facilitator moves on.
		await page.mouse.move(640, 400)
		await page.mouse.wheel(200, 100)
		await page.waitForTimeout(800)
		const moved = (await stage.boundingBox())!
		await fay.page.locator('.fac-agenda button', { hasText: /Roadmap themes/ }).click()
		await page.reload()
		await waitConnected(page)
		await page.waitForTimeout(600)
		const after = (await stage.boundingBox())!
		expect(Math.abs(after.x - moved.x)).toBeLessThan(2)
		expect(Math.abs(after.y - moved.y)).toBeLessThan(2)
		await fay.context.close()
		await context.close()
	})
})
