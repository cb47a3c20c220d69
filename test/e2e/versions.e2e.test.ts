/**
 * End-to-end (#14 item 5): the facilitator saves a named version, edits on,
 * opens the version read-only (nothing can be changed there, a banner says
 * so and leads back), compares it with the live board, and restores it as a
 * copy that opens as its own board while the live board keeps its edits,
 * and deletes the version.
 */
import { describe, expect, it } from 'vitest'
import { createSticky, createTemplateBoard, NOTE, noteTexts, noteWith, openWorkshopPanel, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

type Box = { x: number; y: number; width: number; height: number }
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

describe('board versions', () => {
	const t = useTestbed('workshop-board-e2e-versions-')

	it('save a version, open it read-only, compare with live, restore as a copy', async () => {
		const board = await createTemplateBoard(t.server.url, 'blank', 'Versions')
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran', color: '#2f9e44' })
		const { page } = fran
		await page.goto(board.links.facilitator)
		await waitConnected(page)
		await createSticky(page, 700, 300, 'Onboarding checklist')
		await createSticky(page, 950, 300, 'Dark mode')

		// 1. Save a named version from the Versions panel.
		await openWorkshopPanel(page, 'versions')
		await page.getByTestId('version-name').fill('After workshop 1')
		await page.getByTestId('version-save').click()
		const saved = page.locator('[data-testid=version-item]', { hasText: 'After workshop 1' })
		await saved.waitFor({ timeout: 5_000 })
		await expect.poll(() => page.getByTestId('version-name').inputValue()).toBe('')

		// 2. Edit on: one sticky more, one less.
		await page.keyboard.press('Escape')
		await createSticky(page, 700, 550, 'Invite by link')
		await page.keyboard.press('Escape')
		await noteWith(page, 'Dark mode').click()
		await page.keyboard.press('Delete')
		await expect.poll(() => noteTexts(page)).toEqual(['Invite by link', 'Onboarding checklist'])

		// 3. Compare the version with the live board.
		await saved.getByTestId('version-compare-live').click()
		await expect.poll(() => page.getByTestId('compare-added').innerText(), { timeout: 5_000 }).toContain('Invite by link')
		expect(await page.getByTestId('compare-removed').innerText()).toContain('Dark mode')
		expect(await page.getByTestId('compare-label').innerText()).toBe('“After workshop 1” → live board')
		await page.getByTestId('compare-result').scrollIntoViewIfNeeded()
		await page.screenshot({ path: 'test-results/versions-compare.png' })
		// The panel stays clear of the toolbar pills and tldraw's menu, inside the window.
		const panelBox = (await page.getByTestId('workshop-panel').boundingBox())!
		expect(overlaps(panelBox, (await page.locator('.wb-toolbar').boundingBox())!)).toBe(false)
		expect(overlaps(panelBox, (await page.locator('.tlui-menu-zone').boundingBox())!)).toBe(false)
		expect(panelBox.y + panelBox.height).toBeLessThanOrEqual(800)

		// 4. Open the version read-only in a new tab.
		const [viewPage] = await Promise.all([fran.context.waitForEvent('page'), saved.getByTestId('version-open').click()])
		await viewPage.getByTestId('version-banner').waitFor({ timeout: 15_000 })
		expect(await viewPage.getByTestId('version-banner').innerText()).toMatch(/Version “After workshop 1” of “Versions” · .+ \(read-only\)/)
		await expect.poll(() => noteTexts(viewPage), { timeout: 10_000 }).toEqual(['Dark mode', 'Onboarding checklist'])
		await viewPage.screenshot({ path: 'test-results/versions-readonly.png' })
		// Nothing can be changed: no note tool, no text editing, no deleting.
		await viewPage.keyboard.press('n')
		await viewPage.mouse.click(640, 650)
		await noteWith(viewPage, 'Dark mode').dblclick()
		expect(await viewPage.locator('[contenteditable="true"]').count()).toBe(0)
		await viewPage.keyboard.press('Delete')
		expect(await viewPage.locator(NOTE).count()).toBe(2)
		// The banner stays clear of tldraw's menus.
		const bannerBox = (await viewPage.getByTestId('version-banner').boundingBox())!
		for (const selector of ['.tlui-menu-zone', '.tlui-style-panel__wrapper', '.tlui-navigation-panel']) {
			if ((await viewPage.locator(selector).count()) === 0) continue
			const box = await viewPage.locator(selector).first().boundingBox()
			if (!box) continue
			expect(overlaps(bannerBox, box), `banner overlaps ${selector}`).toBe(false)
		}
		await viewPage.getByTestId('version-back-to-live').click()
		await waitConnected(viewPage)
		await expect.poll(() => noteTexts(viewPage)).toEqual(['Invite by link', 'Onboarding checklist'])
		await viewPage.close()

		// 5. Restore as a copy: a new board with the version's stickies; the live board keeps its edits.
		await saved.getByTestId('version-restore').click()
		await page.getByTestId('version-restored').waitFor({ timeout: 5_000 })
		expect(await page.getByTestId('version-restored').innerText()).toContain('Versions (restored: After workshop 1)')
		const [copyPage] = await Promise.all([fran.context.waitForEvent('page'), page.getByTestId('version-restored-link').click()])
		await waitConnected(copyPage)
		await expect.poll(() => noteTexts(copyPage), { timeout: 10_000 }).toEqual(['Dark mode', 'Onboarding checklist'])
		expect(new URL(copyPage.url()).pathname).not.toBe(`/b/${board.id}`)
		await copyPage.screenshot({ path: 'test-results/versions-copy.png' })
		expect(await noteTexts(page)).toEqual(['Invite by link', 'Onboarding checklist'])

		// 6. Delete it (two clicks): gone from the list, the copy stays.
		await page.screenshot({ path: 'test-results/versions-panel.png' })
		await saved.getByTestId('version-delete').click()
		await saved.getByTestId('version-delete-confirm').click()
		await expect.poll(() => saved.count(), { timeout: 5_000 }).toBe(0)
		await copyPage.reload()
		await waitConnected(copyPage)
		await expect.poll(() => noteTexts(copyPage)).toEqual(['Dark mode', 'Onboarding checklist'])
		expect(fran.foreignRequests).toEqual([])
		await fran.context.close()
	})
})
