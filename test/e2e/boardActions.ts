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
