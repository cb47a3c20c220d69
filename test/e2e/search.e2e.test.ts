/**
 * End-to-end: Ctrl+F searches the board — text, kinds and tags combine, the
 * result list jumps to a hit that was off screen, and another person's new
 * sticky shows up in the open results.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSticky, createTemplateBoard, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

async function setKindOfSelected(page: Page, key: string) {
	// createSticky leaves the new sticky selected; a kind key types it.
	await page.keyboard.press(key)
}

const hitTexts = (page: Page) => page.getByTestId('search-hit').allInnerTexts()

describe('board search', () => {
	const t = useTestbed('workshop-board-e2e-search-')

	it('finds stickies by text, kind and tag, jumps to an off-screen hit, and follows remote edits', async () => {
		const board = await createTemplateBoard(t.server.url, 'blank', 'Search test')
		const alice = await newParticipant(t.browser, t.server.url, { name: 'Alice' })
		const bob = await newParticipant(t.browser, t.server.url, { name: 'Bob' })
		await alice.page.goto(board.links.participant)
		await waitConnected(alice.page)
		await createSticky(alice.page, 300, 300, 'Users abandon onboarding at step 3')
		await setKindOfSelected(alice.page, '2') // Problem
		await createSticky(alice.page, 900, 300, 'Guided tour for onboarding')
		await setKindOfSelected(alice.page, '5') // Feature
		await createSticky(alice.page, 600, 600, 'Pricing page is confusing')
		await setKindOfSelected(alice.page, '4') // Insight
		await alice.page.getByPlaceholder('Add tag…').fill('pricing')
		await alice.page.getByPlaceholder('Add tag…').press('Enter')
		await expect.poll(() => noteWith(alice.page, 'Pricing page').innerText()).toContain('pricing')

		await bob.page.goto(board.links.participant)
		await waitConnected(bob.page)
		await expect.poll(() => noteWith(bob.page, 'Guided tour').count(), { timeout: 10_000 }).toBe(1)
		// Bob looks somewhere else: pan far away, so the stickies are off his screen.
		await bob.page.mouse.move(640, 400)
		for (let i = 0; i < 6; i++) await bob.page.mouse.wheel(0, 1200)
		await expect.poll(async () => (await noteWith(bob.page, 'Guided tour').boundingBox())?.y ?? -1e9).toBeLessThan(-200)

		// Ctrl+F opens the search with the cursor in the box (not the browser's find).
		await bob.page.mouse.click(640, 400)
		await bob.page.keyboard.press('Control+f')
		const input = bob.page.getByTestId('search-input')
		await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true)
		await bob.page.keyboard.type('onboarding')
		await expect.poll(() => bob.page.getByTestId('search-status').innerText()).toBe('2 results')
		expect((await hitTexts(bob.page)).join('\n')).toMatch(/Problem\s*Users abandon onboarding at step 3/)

		// Filters combine: kind Feature AND the word.
		await bob.page.getByTestId('search-kind').selectOption('feature')
		await expect.poll(() => bob.page.getByTestId('search-status').innerText()).toBe('1 result')
		expect((await hitTexts(bob.page))[0]).toMatch(/Feature\s*Guided tour for onboarding/)
		// The same through the query language, with a kind that does not exist said so.
		await input.fill('kind:banana')
		await expect.poll(() => bob.page.getByTestId('search-status').innerText()).toBe('No kind called “banana”.')
		// A tag from the picker, alone.
		await input.fill('')
		await bob.page.getByTestId('search-kind').selectOption('')
		await bob.page.getByTestId('search-tag').selectOption('pricing')
		await expect.poll(() => hitTexts(bob.page)).toEqual([expect.stringMatching(/Insight\s*Pricing page is confusing\s*#pricing/)])
		await bob.page.getByTestId('search-tag').selectOption('')
		await bob.page.getByTestId('search-kind').selectOption('feature')
		await input.fill('onboarding')

		// Enter brings the hit into view.
		await input.press('Enter')
		await expect
			.poll(async () => {
				const box = await noteWith(bob.page, 'Guided tour').boundingBox()
				return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 800
			})
			.toBe(true)
		expect(await bob.page.locator('[data-testid=search-hit][aria-current=true]').innerText()).toMatch(/Guided tour/)

		// Alice adds another feature about onboarding: Bob's open results follow.
		await createSticky(alice.page, 300, 600, 'Onboarding checklist')
		await setKindOfSelected(alice.page, '5')
		await expect.poll(() => bob.page.getByTestId('search-status').innerText(), { timeout: 10_000 }).toBe('2 results')

		// Esc closes the search; the toolbar's Search button opens it again.
		await input.press('Escape')
		expect(await bob.page.getByTestId('search-panel').count()).toBe(0)
		await bob.page.getByTestId('panel-search').click()
		await expect.poll(() => bob.page.getByTestId('search-panel').count()).toBe(1)
		expect(await input.inputValue()).toBe('onboarding') // the last search is kept
		await expect.poll(() => bob.page.getByTestId('search-status').innerText()).toBe('2 results')
		await bob.page.screenshot({ path: 'test-results/search.png' })
		await alice.context.close()
		await bob.context.close()
	})
})
