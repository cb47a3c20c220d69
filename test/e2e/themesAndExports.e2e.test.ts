/**
 * End-to-end on the discovery template (issue #10 items 11 and 5): Suggest
 * themes clusters the stickies of the selected stage and lays a suggestion
 * out as a theme frame next to it; that theme dropped into the Now lane fits
 * (nothing clipped); the theme's title and its frame's name are one thing.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { boxInside, createSticky, createTemplateBoard, frameNamed, noteWith, openWorkshopPanel, selectFrame, waitConnected, zoomToStage } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

const STICKIES = ['Checkout payment fails on mobile', 'Payment fails at checkout', 'Checkout payment fails twice']

describe('themes on the discovery template', () => {
	const t = useTestbed('workshop-board-e2e-themes-')

	it('suggests a theme from the stickies of the selected stage, fits it into the Now lane, keeps title and name one', async () => {
		const board = await createTemplateBoard(t.server.url, 'discovery', 'Themes')
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Fay' })
		await page.goto(board.links.facilitator)
		await waitConnected(page)

		// Three similar stickies and one other in stage 1.
		const stage = await zoomToStage(page, 1)
		const spots = [
			[0.2, 0.35],
			[0.45, 0.35],
			[0.7, 0.35],
			[0.45, 0.75],
		]
		for (const [k, text] of [...STICKIES, 'Onboarding emails go to spam'].entries()) {
			await createSticky(page, stage.x + stage.width * spots[k][0], stage.y + stage.height * spots[k][1], text)
		}

		// With the stage selected, its stickies are clustered.
		await selectFrame(page, /^\s*1 ·/)
		await openWorkshopPanel(page, 'themes')
		const suggestion = page.locator('[data-testid=theme-suggestions] li').first()
		await expect.poll(() => suggestion.innerText(), { timeout: 5_000 }).toContain('3 stickies')
		const title = (await suggestion.locator('strong').innerText()).trim()
		await suggestion.getByRole('button', { name: 'Create theme' }).click()
		await page.waitForTimeout(500)

		// A theme frame next to the stage holds the three stickies.
		const theme = frameNamed(page, title)
		await expect.poll(() => theme.count()).toBe(1)
		const themeBox = (await theme.boundingBox())!
		for (const text of STICKIES) expect(boxInside((await noteWith(page, text).boundingBox())!, themeBox)).toBe(true)

		// Drag the theme (by its heading) into the Now lane: it is reflowed to fit, nothing clipped.
		// Panel closed and nothing selected first: zoom to fit keeps clear of open panels (freeScreenArea).
		await page.click('[data-testid=panel-themes]')
		await page.keyboard.press('Escape')
		await expect.poll(() => page.locator('[data-testid=frame-inspector]').count()).toBe(0)
		await page.keyboard.press('Shift+1') // zoom to fit
		await page.waitForTimeout(500)
		const lane = frameNamed(page, /^\s*Now/)
		const laneBox = (await lane.boundingBox())!
		const heading = (await page.locator('.tl-frame-heading', { hasText: title }).first().boundingBox())!
		await page.mouse.move(heading.x + 5, heading.y + heading.height / 2)
		await page.mouse.down()
		await page.mouse.move(laneBox.x + 20, laneBox.y + laneBox.height * 0.2, { steps: 12 })
		await page.mouse.up()
		await page.waitForTimeout(500)
		await selectFrame(page, /^\s*Now/)
		const laneAfter = (await lane.boundingBox())!
		const themeAfter = (await frameNamed(page, title).boundingBox())!
		expect(boxInside(themeAfter, laneAfter)).toBe(true)
		for (const text of STICKIES) expect(boxInside((await noteWith(page, text).boundingBox())!, themeAfter)).toBe(true)

		// Title in the inspector ⇄ frame name on the canvas.
		await page.keyboard.press('Escape')
		await page.locator('.tl-frame-heading', { hasText: title }).first().click()
		const titleInput = page.locator('[data-testid=theme-title]')
		await titleInput.fill('Payments at checkout')
		await expect.poll(() => page.locator('.tl-frame-heading', { hasText: 'Payments at checkout' }).count()).toBe(1)
		await page.locator('.tl-frame-heading', { hasText: 'Payments at checkout' }).first().dblclick()
		await page.keyboard.press('ControlOrMeta+a')
		await page.keyboard.type('Reliable payments')
		await page.keyboard.press('Enter') // ends editing; the theme stays selected
		await expect.poll(() => page.locator('[data-testid=theme-title]').inputValue()).toBe('Reliable payments')
		await context.close()
	})

	it('exports JSON from the UI with the same board fields as the API export (board.template)', async () => {
		const board = await createTemplateBoard(t.server.url, 'discovery', 'Export parity')
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Eli' })
		await page.goto(board.links.facilitator)
		await waitConnected(page)
		await openWorkshopPanel(page, 'export')
		const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')])
		const fromUi = JSON.parse(await readFile((await download.path())!, 'utf8')) as { board: Record<string, unknown> }
		const token = new URL(board.links.facilitator).searchParams.get('token')
		const fromApi = (await (await fetch(`${t.server.url}/api/boards/${board.id}/export.json?token=${token}`)).json()) as { board: Record<string, unknown> }
		expect(fromApi.board.template).toBe('discovery')
		expect(fromUi.board.template).toBe(fromApi.board.template)
		const { exportedAt: _uiAt, ...uiBoard } = fromUi.board
		const { exportedAt: _apiAt, ...apiBoard } = fromApi.board
		expect(uiBoard).toEqual(apiBoard)
		await context.close()
	})

	it('exports SVG and PNG images that show the kind label and tags of a sticky and the frames’ theme and lane badges', async () => {
		const board = await createTemplateBoard(t.server.url, 'discovery', 'Image export')
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Ida' })
		await page.goto(board.links.facilitator)
		await waitConnected(page)
		const stage = await zoomToStage(page, 1)
		await createSticky(page, stage.x + stage.width / 2, stage.y + stage.height / 2, 'Export shows badges')
		await page.fill('[data-testid=tag-input]', 'mobile')
		await page.keyboard.press('Enter')
		await expect.poll(() => noteWith(page, 'Export shows badges').innerText()).toContain('mobile')
		// Stage 1 as a roadmap theme with a North Star goal: its badge must be in the images too.
		await selectFrame(page, /^\s*1 ·/)
		await page.check('[data-testid=theme-toggle]')
		await page.fill('[data-testid=theme-metric]', 'weekly active teams')
		await page.fill('[data-testid=theme-target]', '+20% by Q3')
		await page.getByLabel('North Star metric').check()
		const themeBadge = '★ Theme · weekly active teams → +20% by Q3'
		await expect.poll(() => page.locator('[data-testid=theme-badge]').innerText()).toBe(themeBadge)
		await page.keyboard.press('Escape') // nothing selected: the image is of the whole board
		await page.mouse.click(640, 760)
		await openWorkshopPanel(page, 'export')
		const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^SVG/ }).click()])
		const svg = await readFile((await svgDownload.path())!, 'utf8')
		expect(svg).toContain('Export shows badges')
		expect(svg).toContain('Problem')
		expect(svg).toContain('#mobile')
		// The frames' badges: the theme's goal, and the three lanes' horizons (each drawn as a badge, not only the lane's name).
		expect(svg).toContain(themeBadge)
		expect(svg.match(/data-badge="lane"/g)?.length).toBe(3)
		expect(svg.match(/data-badge="theme"/g)?.length).toBe(1)
		const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^PNG/ }).click()])
		const png = await readFile((await pngDownload.path())!)
		expect(png.subarray(1, 4).toString()).toBe('PNG')
		await writeFile('test-results/board-export.png', png)
		await context.close()
	})
})
