/**
 * End-to-end (issue #13 item 9): a viewer opens the board's roadmap page — the
 * board as a document, without the canvas chunk — sees the North Star, themes
 * by lane, the MVP and the top features; a facilitator's sticky on the board
 * appears there live; the page prints to a clean PDF.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { buildBoardExport } from '../../shared/export'
import { createSticky, openWorkshopPanel, selectFrame, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'
import { roadmapBoard } from '../unit/roadmapFixtures'

const SHOTS = 'test-results/roadmap'

/** The roadmap fixture board, made through the import API. */
async function importRoadmapBoard(serverUrl: string) {
	const records = roadmapBoard()
	const data = buildBoardExport({ boardId: 'seed', title: 'Q3 roadmap', records: new Map(records.map((r) => [r.id as string, r])), now: Date.now() })
	const response = await fetch(`${serverUrl}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) })
	expect(response.status).toBe(201)
	return (await response.json()) as { id: string; links: { facilitator: string; participant: string; viewer: string } }
}

const roadmapLink = (link: string) => link.replace(/(\/b\/[^/?]+)/, '$1/roadmap')

describe('roadmap page', () => {
	const t = useTestbed('workshop-board-e2e-roadmap-')

	it('shows a viewer the roadmap without the canvas, live, and prints it to PDF', async () => {
		await mkdir(SHOTS, { recursive: true })
		const board = await importRoadmapBoard(t.server.url)
		const viewer = await newParticipant(t.browser, t.server.url, { name: 'Exec' })
		const scripts: string[] = []
		viewer.page.on('request', (request) => {
			if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname)
		})
		await viewer.page.goto(roadmapLink(board.links.viewer))
		const roadmap = viewer.page.locator('[data-testid=roadmap]')
		await expect.poll(() => roadmap.getAttribute('data-state'), { timeout: 15_000 }).toBe('connected')
		await expect.poll(() => viewer.page.locator('[data-testid=roadmap-theme]').count(), { timeout: 10_000 }).toBe(2)
		// The token left the address bar, as on the board page.
		expect(viewer.page.url()).not.toContain('token=')

		await expect.poll(() => viewer.page.locator('[data-testid=roadmap-north-star]').innerText()).toContain('weekly active teams — target +20% by Q3')
		expect(await viewer.page.locator('[data-testid=roadmap-lane-now]').innerText()).toMatch(/Activation[\s\S]*Goal: weekly active teams → \+20% by Q3[\s\S]*Measured by:\s*Activation rate[\s\S]*Onboarding checklist/)
		const later = await viewer.page.locator('[data-testid=roadmap-lane-later]').innerText()
		expect(later).toContain('Billing')
		expect(later).toContain('Invoices as PDF')
		expect(later).not.toContain('Dark mode')
		expect(later).toMatch(/Measured by:\s*Invoice downloads/)
		expect(await viewer.page.locator('[data-testid=roadmap-mvp]').innerText()).toContain('Onboarding checklist')
		const top = await viewer.page.locator('[data-testid=roadmap-top] tbody tr').allInnerTexts()
		expect(top.map((row) => row.split('\t').slice(0, 3).join('|'))).toEqual(['1|Idea Dark mode|15000', '2|Feature Onboarding checklist|400', '3|Feature Invoices as PDF|50'])

		// A facilitator adds a sticky to the Activation theme on the board: it appears on the roadmap.
		const facilitator = await newParticipant(t.browser, t.server.url, { name: 'Fay' })
		await facilitator.page.goto(board.links.facilitator)
		await waitConnected(facilitator.page)
		await selectFrame(facilitator.page, 'Activation')
		const themeBox = (await facilitator.page.locator('.tl-shape[data-shape-type="frame"]', { has: facilitator.page.locator('.tl-frame-heading', { hasText: 'Activation' }) }).first().boundingBox())!
		await createSticky(facilitator.page, themeBox.x + themeBox.width * 0.3, themeBox.y + themeBox.height * 0.75, 'Guided product tour')
		await expect.poll(() => viewer.page.locator('[data-testid=roadmap-lane-now]').innerText(), { timeout: 10_000 }).toContain('Guided product tour')

		// The board links to its roadmap (Export panel) and the roadmap back to the board.
		await openWorkshopPanel(facilitator.page, 'export')
		await facilitator.page.locator('[data-testid=export-panel]').screenshot({ path: `${SHOTS}/export-panel.png` })
		expect(new URL((await facilitator.page.locator('[data-testid=open-roadmap]').getAttribute('href'))!, t.server.url).pathname).toBe(`/b/${board.id}/roadmap`)
		expect(await viewer.page.locator('[data-testid=roadmap-back]').getAttribute('href')).toBe(`/b/${board.id}`)

		// No canvas code was downloaded for the roadmap page.
		expect(scripts.length).toBeGreaterThan(0)
		expect(scripts.filter((path) => /BoardPage|tldraw/i.test(path))).toEqual([])
		expect(await viewer.page.locator('.tl-canvas').count()).toBe(0)

		await viewer.page.setViewportSize({ width: 1280, height: 1000 })
		await viewer.page.screenshot({ path: `${SHOTS}/roadmap-screen.png`, fullPage: true })

		// Print: the page's own bar is hidden, the document is all there, and the PDF has a page or two.
		await viewer.page.emulateMedia({ media: 'print' })
		expect(await viewer.page.locator('[data-testid=roadmap-print]').isVisible()).toBe(false)
		const printed = await viewer.page.locator('[data-testid=roadmap]').innerText()
		for (const text of ['Q3 roadmap', 'North Star', 'Now', 'Later', 'Billing', 'MVP', 'Top features by RICE', 'Guided product tour', 'Open questions']) expect(printed.toLowerCase()).toContain(text.toLowerCase())
		await viewer.page.screenshot({ path: `${SHOTS}/roadmap-print.png`, fullPage: true })
		const pdf = await viewer.page.pdf({ format: 'A4', printBackground: true })
		await writeFile(`${SHOTS}/roadmap.pdf`, pdf)
		const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0
		expect(pages).toBeGreaterThanOrEqual(1)
		expect(pages).toBeLessThanOrEqual(2)
		expect(viewer.foreignRequests).toEqual([])
		expect(viewer.consoleErrors).toEqual([])
		await viewer.context.close()
		await facilitator.context.close()
	}, 60_000)
})
