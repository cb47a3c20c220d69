/**
 * End-to-end: a participant who joins from a phone (the QR code under Share): a 390×844 touch
 * screen. The board's controls must all be on screen, none over another, none over the board
 * they fit; a sticky's kind buttons and a workshop panel are reachable by touch.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSticky, createTemplateBoard, noteWith, waitConnected, zoomToStage } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

const PHONE = { width: 390, height: 844 }

type Box = { x: number; y: number; width: number; height: number }
/** Boxes overlapping by more than tldraw's own 4 px between neighbouring buttons. */
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width - 5 && b.x < a.x + a.width - 5 && a.y < b.y + b.height - 5 && b.y < a.y + a.height - 5
const onScreen = (b: Box) => b.x >= 0 && b.y >= 0 && b.x + b.width <= PHONE.width && b.y + b.height <= PHONE.height

/** The controls along the top and bottom: each on screen, none over another. */
async function chromeBoxes(page: Page) {
	return page.evaluate(() =>
		[...document.querySelectorAll('.board-status, .session-bar > *, .wb-toolbar__button, .tlui-menu-zone .tlui-button, .tlui-main-toolbar__tools .tlui-button, .tlui-main-toolbar__extras .tlui-button')]
			.map((el) => ({ name: `${el.className.toString().split(' ')[0]} ${el.textContent?.trim().slice(0, 16) ?? ''}`, ...el.getBoundingClientRect().toJSON() }))
			.filter((b: { width: number }) => b.width > 0),
	) as Promise<(Box & { name: string })[]>
}

/** The element a tap at the centre of `target` would hit is `target` itself (nothing covers it). */
const reachable = (target: Locator) =>
	target.evaluate((el) => {
		const r = el.getBoundingClientRect()
		const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
		return !!hit && (hit === el || el.contains(hit))
	})

describe('joining from a phone', () => {
	const t = useTestbed('workshop-board-e2e-phone-')

	it('a participant on a 390×844 touch screen reaches every control, nothing covers another or the board', async () => {
		const board = await createTemplateBoard(t.server.url, 'discovery', 'Phone workshop')
		const fay = await newParticipant(t.browser, t.server.url, { name: 'Fay' })
		await fay.page.goto(board.links.facilitator)
		await waitConnected(fay.page)
		const stage = await zoomToStage(fay.page, 1)
		await createSticky(fay.page, stage.x + stage.width * 0.4, stage.y + stage.height * 0.5, 'Invites land in spam')
		await fay.page.keyboard.press('Escape')
		await fay.page.keyboard.press('Shift+1') // the whole board, so stage 5's heading is on screen
		await fay.page.waitForTimeout(300)
		const lowStage = await zoomToStage(fay.page, 5)
		await createSticky(fay.page, lowStage.x + lowStage.width * 0.5, lowStage.y + lowStage.height * 0.85, 'Score the checklist')

		const context = await t.browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, deviceScaleFactor: 2 })
		await context.addInitScript(() => window.localStorage.setItem('workshop-board:user', JSON.stringify({ id: 'e2e-phone', name: 'Pho', color: '#1971c2' })))
		const page = await context.newPage()
		await page.goto(board.links.participant)
		await waitConnected(page)
		await page.waitForSelector('[data-testid=role-badge]', { timeout: 10_000 })
		await page.waitForTimeout(600)
		await page.screenshot({ path: 'test-results/phone-entry.png' })

		// Every control on screen, none over another (the pills ran off the right edge, "Suggest themes" broke in two).
		const chrome = await chromeBoxes(page)
		expect(chrome.length).toBeGreaterThan(8)
		for (const box of chrome) expect(onScreen(box), `${box.name} ${JSON.stringify(box)}`).toBe(true)
		for (const a of chrome) for (const b of chrome) if (a !== b) expect(overlaps(a, b), `${a.name} over ${b.name}`).toBe(false)
		const pillHeights = chrome.filter((b) => b.name.startsWith('wb-toolbar__button')).map((b) => b.height)
		expect(Math.max(...pillHeights)).toBeLessThan(36) // one line each

		// The fitted board: no control over any stage frame.
		const frames = await page.locator('.tl-shape[data-shape-type="frame"]').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as Box))
		for (const frame of frames) {
			for (const box of chrome) expect(overlaps(frame, box), `${box.name} over a frame`).toBe(false)
		}

		// Tap the sticky: its inspector opens above the tool bar, every kind button reachable by touch.
		const note = noteWith(page, 'Invites land in spam')
		const noteBox = (await note.boundingBox())!
		await page.touchscreen.tap(noteBox.x + 3, noteBox.y + noteBox.height - 3)
		const inspector = page.locator('[data-testid=item-inspector]')
		await inspector.waitFor({ timeout: 5_000 })
		await page.screenshot({ path: 'test-results/phone-inspector.png' })
		expect(onScreen((await inspector.boundingBox())!)).toBe(true)
		for (const box of chrome) expect(overlaps((await inspector.boundingBox())!, box), `${box.name} over the inspector`).toBe(false)
		const kinds = page.locator('[data-testid^=kind-]')
		expect(await kinds.count()).toBe(8)
		for (const kind of await kinds.all()) {
			expect(await reachable(kind), await kind.getAttribute('data-testid') ?? '').toBe(true)
			expect((await kind.boundingBox())!.height).toBeGreaterThanOrEqual(24)
		}
		await page.locator('[data-testid=kind-insight]').tap()
		await expect.poll(() => note.locator('[data-testid=note-kind]').innerText()).toBe('Insight')
		await expect.poll(() => noteWith(fay.page, 'Invites land in spam').locator('[data-testid=note-kind]').innerText(), { timeout: 10_000 }).toBe('Insight')

		// A sticky low on the screen, where the sheet opens: the board pans so the sticky stays above the sheet.
		// First close the open sheet as a phone user does, with a tap on empty board (it covers the lower half).
		// Just under the top chrome: empty board whatever the fit (a fixed point landed on a frame once
		// the chrome grew a row, and opened the frame's sheet over the sticky).
		const chromeBottom = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--wb-top-chrome-bottom')) || 0)
		await page.touchscreen.tap(195, chromeBottom + 12)
		await expect.poll(() => inspector.count()).toBe(0)
		expect(await page.locator('[data-testid=frame-inspector]').count()).toBe(0)
		const low = noteWith(page, 'Score the checklist')
		const lowBox = (await low.boundingBox())!
		await page.touchscreen.tap(lowBox.x + 3, lowBox.y + lowBox.height - 3)
		await expect.poll(() => inspector.innerText()).toContain('RICE') // the low sticky's panel (an idea in stage 5)
		const inspectorTop = (await inspector.boundingBox())!.y
		expect(lowBox.y + lowBox.height, 'the sticky started under the sheet').toBeGreaterThan(inspectorTop)
		// The pan is animated: wait for it to end rather than a fixed time (slow on a loaded machine).
		const lowBottomAboveSheet = async () => {
			const sheetTop = (await inspector.boundingBox())!.y
			const box = (await low.boundingBox())!
			return box.y + box.height - sheetTop
		}
		await expect.poll(lowBottomAboveSheet, { message: 'sticky bottom above the sheet', timeout: 5_000 }).toBeLessThanOrEqual(0)
		await page.screenshot({ path: 'test-results/phone-low-sticky.png' })
		expect((await low.boundingBox())!.width).toBeCloseTo(lowBox.width, 0) // panned, not zoomed

		// A workshop panel opens below the pills, on screen; the pills stay tappable (one closes it).
		await page.locator('[data-testid=panel-tags]').tap()
		const panel = page.locator('[data-testid=workshop-panel]')
		await panel.waitFor({ timeout: 5_000 })
		await page.screenshot({ path: 'test-results/phone-panel.png' })
		const panelBox = (await panel.boundingBox())!
		expect(onScreen(panelBox)).toBe(true)
		for (const pill of await page.locator('.wb-toolbar__button').all()) {
			expect(await reachable(pill), await pill.innerText()).toBe(true)
			expect(overlaps((await pill.boundingBox())!, panelBox), `panel over ${await pill.innerText()}`).toBe(false)
		}
		await page.locator('[data-testid=panel-tags]').tap()
		await expect.poll(() => panel.count()).toBe(0)
		await context.close()
		await fay.context.close()
	})
})
