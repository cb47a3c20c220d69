/** What a person does on a board page, for the end-to-end tests. */
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

export const NOTE = '.tl-shape[data-shape-type="note"]'

/** Waits for the canvas and for the status pill to say the board is synced with the server. */
export async function waitConnected(page: Page) {
	await page.waitForSelector('.tl-canvas', { timeout: 30_000 })
	await expect.poll(() => page.getAttribute('[data-testid=board-status]', 'data-state'), { timeout: 15_000 }).toBe('connected')
}

/** Creates a sticky at a screen point with the note tool and types its text; it stays selected. */
export async function createSticky(page: Page, x: number, y: number, text: string) {
	await page.keyboard.press('Escape')
	await page.keyboard.press('n')
	await page.mouse.click(x, y)
	await page.waitForSelector('[contenteditable="true"]', { timeout: 5_000 })
	await page.keyboard.type(text)
	await page.keyboard.press('Escape')
}

/** The sticky whose text (or badges) contain `text`. */
export const noteWith = (page: Page, text: string) => page.locator(NOTE, { hasText: text })

/** The text written on each sticky (not the item badges drawn over it), sorted. */
export const noteTexts = (page: Page) =>
	page
		.locator(`${NOTE} .tl-rich-text`)
		.allInnerTexts()
		.then((texts) => texts.map((t) => t.trim()).sort())

/** The frame (stage, lane or theme) whose heading reads `name`. */
export const frameNamed = (page: Page, name: string | RegExp) =>
	page.locator('.tl-shape[data-shape-type="frame"]').filter({ has: page.locator('.tl-frame-heading', { hasText: name }) })

/** Selects the frame whose heading reads `name` (a click on its heading) and zooms to it. */
export async function selectFrame(page: Page, name: string | RegExp) {
	await page.keyboard.press('Escape')
	await page.locator('.tl-frame-heading', { hasText: name }).first().click()
	await page.keyboard.press('Shift+2') // zoom to selection
	await page.waitForTimeout(400)
}

/** Opens a workshop panel from the pills along the top ('themes', 'export', …). */
export async function openWorkshopPanel(page: Page, id: string) {
	const pill = page.locator(`[data-testid=panel-${id}]`)
	if ((await pill.getAttribute('aria-pressed')) !== 'true') await pill.click()
}

/** A page-level screen box that is entirely inside another (1 px tolerance). */
export function boxInside(inner: { x: number; y: number; width: number; height: number }, outer: { x: number; y: number; width: number; height: number }) {
	return inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1
}

/** Creates a board from a template over the API; returns its id and role links. */
export async function createTemplateBoard(serverUrl: string, template: string, title = 'Entry test') {
	const response = await fetch(`${serverUrl}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title, template }) })
	return (await response.json()) as { id: string; links: { facilitator: string; participant: string; viewer: string } }
}

/** On the landing page: creates a board from `template` with `title`; ends on the page showing its role links. */
export async function createBoardFromLanding(page: Page, serverUrl: string, template: string, title: string) {
	await page.goto(serverUrl)
	await page.click(`[data-testid=template-${template}]`)
	await page.fill('[data-testid=board-title]', title)
	await page.click('[data-testid=new-board]')
	await page.waitForSelector('[data-testid=board-links]')
}

/** Zooms to the stage frame whose heading starts with `stage` (e.g. 1) and returns its screen box. */
export async function zoomToStage(page: Page, stage: number) {
	const name = new RegExp(`^\\s*${stage} ·`)
	await selectFrame(page, name)
	return (await frameNamed(page, name).first().boundingBox())!
}

/** The canvas zoom level (tldraw keeps it in the container's --tl-zoom). */
export const zoomLevel = (page: Page) =>
	page.evaluate(() => Number(getComputedStyle(document.querySelector('.tl-container')!).getPropertyValue('--tl-zoom')))

/** Zooms with Ctrl + mouse wheel (a trackpad pinch) around the screen centre until the zoom is `target` (±1 %). */
export async function zoomTo(page: Page, target: number) {
	const viewport = page.viewportSize()!
	await page.mouse.move(viewport.width / 2, viewport.height / 2)
	for (let step = 0; step < 60; step++) {
		const zoom = await zoomLevel(page)
		if (Math.abs(zoom - target) <= 0.01) return
		await page.keyboard.down('Control')
		await page.mouse.wheel(0, Math.max(-40, Math.min(40, Math.log(zoom / target) * 120)))
		await page.keyboard.up('Control')
		await page.waitForTimeout(60)
	}
	throw new Error(`could not zoom to ${target}: at ${await zoomLevel(page)}`)
}

/** Draws an arrow with the arrow tool from the centre of one sticky to the centre of another. */
export async function drawArrow(page: Page, fromText: string, toText: string) {
	const from = (await noteWith(page, fromText).boundingBox())!
	const to = (await noteWith(page, toText).boundingBox())!
	await page.keyboard.press('Escape')
	await page.keyboard.press('a')
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
	await page.mouse.down()
	await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 })
	await page.mouse.up()
	await page.keyboard.press('Escape')
}
