/**
 * End-to-end (#13 item 5, stage 7 measured) in real Chromium: a KPI sticky
 * gets a preset, a baseline, a target and two dated measurements in its
 * inspector; the sticky draws the trend below itself and shows the target
 * status without covering its text; a measurement is removed again; the
 * theme the KPI measures (an arrow to its frame) shows its progress; the JSON
 * export carries the series.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { BoardExportSchema, type BoardExport } from '../../shared/export'
import { createBoardFromLanding, createSticky, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

async function drawArrow(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
	await page.keyboard.press('Escape')
	await page.keyboard.press('a')
	await page.mouse.move(from.x, from.y)
	await page.mouse.down()
	await page.mouse.move(to.x, to.y, { steps: 12 })
	await page.mouse.up()
	await page.keyboard.press('Escape')
}

/** Two boxes overlap (1 px tolerance). */
const overlaps = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) =>
	a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1

describe('stage 7: KPIs measured', () => {
	const t = useTestbed('workshop-board-e2e-stages7-')

	it('adds measurements to a KPI, draws its trend and target status, and shows the theme progress', async () => {
		const { page, foreignRequests } = await newParticipant(t.browser, t.server.url, { name: 'Kim' })
		await createBoardFromLanding(page, t.server.url, 'blank', 'Measured')
		await page.click('[data-testid=open-as-facilitator]')
		await waitConnected(page)

		// A theme frame on the left.
		await page.keyboard.press('Escape')
		await page.keyboard.press('f')
		await page.mouse.move(120, 160)
		await page.mouse.down()
		await page.mouse.move(480, 560, { steps: 8 })
		await page.mouse.up()
		await page.click('[data-testid=theme-toggle]')
		await page.fill('[data-testid=theme-metric]', 'Revenue')

		await createSticky(page, 760, 300, 'Revenue per month')
		await page.keyboard.press('7')
		await expect.poll(() => noteWith(page, 'Revenue per month').locator('[data-testid=note-kind]').innerText()).toBe('KPI')
		await page.click('[data-testid=kpi-preset-mrr]')
		await expect.poll(() => page.inputValue('[data-testid=kpi-metric]')).toBe('Monthly recurring revenue')
		await page.fill('[data-testid=kpi-baseline]', '1000')
		await page.fill('[data-testid=kpi-target]', '5000')
		for (const [date, value] of [['2026-01-01', '1000'], ['2026-03-01', '3000'], ['2026-02-01', '2000']] as const) {
			await page.fill('[data-testid=kpi-add-date]', date)
			await page.fill('[data-testid=kpi-add-value]', value)
			await page.click('[data-testid=kpi-add]')
		}
		await expect.poll(() => page.locator('[data-testid=kpi-measurement]').count()).toBe(3)
		// Newest first; a bad value is refused with a message.
		expect((await page.locator('[data-testid=kpi-measurement]').first().innerText()).replace(/\s+/gu, ' ')).toContain('2026-03-01 3,000 €')
		await page.click('[data-testid=kpi-add]')
		await expect.poll(() => page.locator('[data-testid=kpi-add-error]').innerText()).toBe('Enter a number.')

		const note = noteWith(page, 'Revenue per month')
		await expect.poll(() => note.locator('[data-testid=note-kpi-spark]').getAttribute('data-points')).toBe('3')
		await expect.poll(() => note.locator('[data-testid=note-kpi-status]').innerText()).toBe('✗ 50% to target')
		expect(await page.locator('[data-testid=kpi-status]').innerText()).toBe('✗ 50% to target')
		await page.screenshot({ path: 'test-results/stages7-kpi-inspector.png' })

		// Remove the March measurement: two points, 25 %.
		await page.locator('[data-testid=kpi-remove]').first().click()
		await expect.poll(() => note.locator('[data-testid=note-kpi-spark]').getAttribute('data-points')).toBe('2')
		await expect.poll(() => note.locator('[data-testid=note-kpi-status]').innerText()).toBe('✗ 25% to target')
		// Then the target is met.
		await page.fill('[data-testid=kpi-add-date]', '2026-04-01')
		await page.fill('[data-testid=kpi-add-value]', '5200')
		await page.click('[data-testid=kpi-add]')
		await expect.poll(() => note.locator('[data-testid=note-kpi-status]').getAttribute('data-status')).toBe('met')

		// Neither the badge nor the trend covers the sticky's text.
		const textBox = (await note.locator('.tl-rich-text').boundingBox())!
		const badgeBox = (await note.locator('[data-testid=note-kpi-status]').boundingBox())!
		const trendBox = (await note.locator('[data-testid=note-kpi-trend]').boundingBox())!
		const noteBox = (await note.boundingBox())!
		expect(overlaps(textBox, badgeBox)).toBe(false)
		expect(overlaps(textBox, trendBox)).toBe(false)
		expect(trendBox.y).toBeGreaterThanOrEqual(noteBox.y + noteBox.height - 1)

		// The KPI measures the theme: an arrow from the sticky to the frame.
		await drawArrow(page, { x: noteBox.x + noteBox.width / 2, y: noteBox.y + 20 }, { x: 300, y: 420 })
		await expect.poll(() => page.locator('[data-testid=theme-progress]').innerText(), { timeout: 10_000 }).toContain('KPIs 1/1 met · 100%')
		await page.keyboard.press('Escape')
		await page.screenshot({ path: 'test-results/stages7-kpi.png' })

		await page.click('[data-testid=panel-export]')
		const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')])
		const json = JSON.parse(await readFile((await download.path())!, 'utf8')) as BoardExport
		expect(BoardExportSchema.safeParse(json).success).toBe(true)
		expect(json.kpis).toHaveLength(1)
		expect(json.kpis[0]).toMatchObject({
			metric: 'Monthly recurring revenue',
			unit: '€',
			baseline: 1000,
			target: 5000,
			measurements: [{ date: '2026-01-01', value: 1000 }, { date: '2026-02-01', value: 2000 }, { date: '2026-04-01', value: 5200 }],
			status: 'met',
			measures: [json.themes[0].id],
		})
		// The image export shows the target status too.
		const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^SVG/ }).click()])
		expect(await readFile((await svgDownload.path())!, 'utf8')).toContain('✓ target met')
		expect(foreignRequests).toEqual([])
	})
})
