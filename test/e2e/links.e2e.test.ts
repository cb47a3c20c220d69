/**
 * End-to-end (#13): linking stickies by drawing tldraw arrows in real
 * Chromium. An insight and an experiment are linked to a feature; the
 * feature's inspector lists the links (both ways), its importance follows the
 * supports weight, it shows the experiment's state, a link jumps to the other
 * sticky, the feature is marked for the MVP, and the JSON export carries it all.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { BoardExportSchema, type BoardExport } from '../../shared/export'
import { createSticky, drawArrow, frameNamed, noteWith, selectFrame, waitConnected, zoomToStage } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'

/** Zooms out to the whole board first (a stage's heading is not rendered while off screen), then to the stage. */
async function showStage(page: Page, stage: number) {
	await page.keyboard.press('Escape')
	await page.keyboard.press('Shift+1') // zoom to fit
	await page.waitForTimeout(400)
	return zoomToStage(page, stage)
}

async function select(page: Page, text: string) {
	await page.keyboard.press('Escape')
	const box = (await noteWith(page, text).boundingBox())!
	// Near the top edge: the middle of a sticky is its text (a click there may start editing).
	await page.mouse.click(box.x + box.width / 2, box.y + 12)
}

describe('links between items', () => {
	const t = useTestbed('workshop-board-e2e-links-')

	it('links stickies by arrow; the inspector lists, weighs and follows the links; the export carries them', async () => {
		const { page, context, foreignRequests } = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		await page.goto(t.server.url)
		await page.click('[data-testid=template-blank]')
		await page.fill('[data-testid=board-title]', 'Linked discovery')
		await page.click('[data-testid=new-board]')
		await page.waitForSelector('[data-testid=board-links]', { timeout: 15_000 })
		await page.click('[data-testid=open-as-facilitator]')
		await waitConnected(page)

		await createSticky(page, 520, 200, 'Users ask where to start')
		await page.keyboard.press('4')
		await createSticky(page, 920, 200, 'Guided setup checklist')
		await page.keyboard.press('5')
		await createSticky(page, 920, 560, 'Fake-door checklist')
		await page.keyboard.press('8')
		await expect.poll(() => noteWith(page, 'Fake-door checklist').locator('[data-testid=note-kind]').innerText()).toBe('Experiment')

		// The experiment's fields, in its inspector.
		await page.fill('[data-testid=experiment-hypothesis]', 'Teams with a checklist invite a colleague on day 1')
		await page.fill('[data-testid=experiment-metric]', 'day-1 invites')
		await page.fill('[data-testid=experiment-threshold]', '≥ 30%')
		await page.selectOption('[data-testid=experiment-result]', 'validated')

		await drawArrow(page, 'Users ask where to start', 'Guided setup checklist')
		await drawArrow(page, 'Guided setup checklist', 'Fake-door checklist') // drawn backwards: still "experiment tests feature"

		await select(page, 'Guided setup checklist')
		const links = page.locator('[data-testid=item-link]')
		await expect.poll(() => links.count(), { timeout: 10_000 }).toBe(2)
		expect(await links.evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-link-type')} ${r.getAttribute('data-link-direction')}`))).toEqual(['supports in', 'tests in'])
		await expect.poll(() => page.locator('[data-testid=item-links]').innerText()).toContain('supported by')
		expect(await page.locator('[data-testid=item-links]').innerText()).toContain('tested by')
		expect(await page.locator('[data-testid=importance-value]').innerText()).toBe('1')
		expect(await page.locator('[data-testid=idea-experiments]').innerText()).toContain('Validated')

		// The insight's weight counts into the feature's importance.
		await page.locator('[data-testid=item-link][data-link-type=supports] [data-testid=item-link-weight]').selectOption('3')
		await expect.poll(() => page.locator('[data-testid=importance-value]').innerText()).toBe('3')
		await page.click('[data-testid=mvp-toggle]')
		await expect.poll(() => page.locator('[data-testid=mvp-toggle]').isChecked()).toBe(true)
		await page.screenshot({ path: 'test-results/links-feature-inspector.png' })

		// Jump along the supports link: the insight is selected and lists the link the other way.
		await page.locator('[data-testid=item-link][data-link-type=supports] [data-testid=item-link-jump]').click()
		await expect.poll(() => page.locator('[data-testid=kind-insight]').getAttribute('aria-checked')).toBe('true')
		await expect.poll(() => page.locator('[data-testid=item-link]').getAttribute('data-link-direction')).toBe('out')
		expect(await page.locator('[data-testid=item-links]').innerText()).toContain('supports')

		// The ranking sorts by RICE (a scored idea first) or by importance (the supported feature first).
		await createSticky(page, 520, 560, 'Video tour')
		const rice = page.locator('[data-testid=rice-editor]')
		await rice.getByLabel('Reach').fill('100')
		await rice.getByLabel('Impact').selectOption('1')
		await rice.getByLabel('Confidence').fill('50')
		await rice.getByLabel('Effort').fill('1')
		await page.keyboard.press('Escape')
		await page.click('[data-testid=panel-ranking]')
		const rankingTexts = () => page.locator('[data-testid=rice-ranking] li').allInnerTexts()
		await expect.poll(async () => (await rankingTexts()).map((t) => t.split('\n')[0].trim().slice(0, 10))).toEqual(['Video tour', 'Guided set'])
		await page.selectOption('[data-testid=ranking-sort]', 'importance')
		await expect.poll(async () => (await rankingTexts()).map((t) => t.split('\n')[0].trim().slice(0, 10))).toEqual(['Guided set', 'Video tour'])
		expect(await page.locator('[data-testid=ranking-importance]').allInnerTexts()).toEqual(['importance 3', 'importance 0'])
		await page.screenshot({ path: 'test-results/links-ranking.png' })
		await page.click('[data-testid=panel-ranking]')

		// The JSON export.
		await page.keyboard.press('Escape')
		await page.click('[data-testid=panel-export]')
		const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')])
		const json = JSON.parse(await readFile((await download.path())!, 'utf8')) as BoardExport
		expectValidAgainstExportJsonSchema(json)
		expect(BoardExportSchema.safeParse(json).success).toBe(true)
		const byText = (text: string) => json.items.find((item) => item.text.includes(text))!
		const feature = byText('Guided setup checklist')
		const insight = byText('Users ask where to start')
		const experiment = byText('Fake-door checklist')
		expect(feature).toMatchObject({ kind: 'feature', importance: 3, mvp: true })
		expect(experiment.experiment).toEqual({ hypothesis: 'Teams with a checklist invite a colleague on day 1', metric: 'day-1 invites', threshold: '≥ 30%', result: 'validated' })
		expect(json.relations.map(({ from, to, type, weight }) => ({ from, to, type, weight }))).toEqual([
			{ from: insight.id, to: feature.id, type: 'supports', weight: 3 },
			{ from: experiment.id, to: feature.id, type: 'tests', weight: undefined },
		])
		expect(foreignRequests).toEqual([])
		await context.close()
	})

	it('discovery board: Vision answers by prompt frame, MVP by the MVP frame, an idea shows its experiments', async () => {
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		await page.goto(t.server.url)
		await page.click('[data-testid=template-discovery]')
		await page.fill('[data-testid=board-title]', 'Vision and MVP')
		await page.click('[data-testid=new-board]')
		await page.waitForSelector('[data-testid=board-links]', { timeout: 15_000 })
		await page.click('[data-testid=open-as-facilitator]')
		await waitConnected(page)

		// Stage 2: a sticky in the "Will people pay for it?" prompt frame answers that prompt.
		await selectFrame(page, 'Will people pay for it?')
		// The prompt frame's inspector names its prompt.
		expect(await page.locator('[data-testid=vision-prompt-select]').inputValue()).toBe('willingnessToPay')
		expect(await page.locator('[data-testid=mvp-scope-toggle]').isChecked()).toBe(false)
		const pay = (await frameNamed(page, 'Will people pay for it?').first().boundingBox())!
		await createSticky(page, pay.x + pay.width / 2, pay.y + pay.height * 0.6, 'Teams pay 8 EUR per seat today')
		await page.screenshot({ path: 'test-results/links-vision-prompt.png' })

		// Stage 6: a sticky dropped in the MVP scope frame is a feature in the MVP.
		const mvp = await showStage(page, 6)
		await createSticky(page, mvp.x + mvp.width / 2, mvp.y + mvp.height / 2, 'Invite by link')
		await expect.poll(() => noteWith(page, 'Invite by link').locator('[data-testid=note-kind]').innerText()).toBe('Feature')
		await expect.poll(() => page.locator('[data-testid=mvp-section]').innerText()).toContain('inside the MVP scope frame')
		expect(await page.locator('[data-testid=mvp-toggle]').isChecked()).toBe(true)

		// Stage 3: an idea and the experiment that tests it; the idea shows the experiment's state.
		const ideas = await showStage(page, 3)
		await createSticky(page, ideas.x + ideas.width * 0.3, ideas.y + ideas.height * 0.35, 'Interactive tutorial')
		await createSticky(page, ideas.x + ideas.width * 0.7, ideas.y + ideas.height * 0.35, 'Tutorial prototype')
		await page.keyboard.press('8')
		await page.selectOption('[data-testid=experiment-result]', 'running')
		await drawArrow(page, 'Tutorial prototype', 'Interactive tutorial')
		await select(page, 'Interactive tutorial')
		await expect.poll(() => page.locator('[data-testid=idea-experiments]').innerText(), { timeout: 10_000 }).toContain('Running')
		await page.screenshot({ path: 'test-results/links-idea-experiments.png' })

		await page.keyboard.press('Escape')
		await page.click('[data-testid=panel-export]')
		const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')])
		const json = JSON.parse(await readFile((await download.path())!, 'utf8')) as BoardExport
		expectValidAgainstExportJsonSchema(json)
		const byText = (text: string) => json.items.find((item) => item.text.includes(text))!
		expect(json.vision.willingnessToPay).toEqual([byText('Teams pay 8 EUR').id])
		expect(byText('Invite by link')).toMatchObject({ kind: 'feature', mvp: true })
		expect(json.relations).toEqual([expect.objectContaining({ from: byText('Tutorial prototype').id, to: byText('Interactive tutorial').id, type: 'tests' })])
		const [mdDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-md]')])
		const markdown = await readFile((await mdDownload.path())!, 'utf8')
		expect(markdown).toContain('### Will people pay for it?\n\n- Question: Teams pay 8 EUR per seat today')
		expect(markdown).toContain('## MVP')
		expect(markdown).toContain('- **Invite by link** — RICE incomplete · importance 0')
		expect(markdown).toContain('- Tutorial prototype — **running**')
		await context.close()
	})

	it('story map template: a story in "Release 1 · MVP" is an MVP feature', async () => {
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		await page.goto(t.server.url)
		await page.click('[data-testid=template-storymap]')
		await page.fill('[data-testid=board-title]', 'Story map')
		await page.click('[data-testid=new-board]')
		await page.waitForSelector('[data-testid=board-links]', { timeout: 15_000 })
		await page.click('[data-testid=open-as-facilitator]')
		await waitConnected(page)
		await selectFrame(page, 'Release 1 · MVP')
		const release1 = (await frameNamed(page, 'Release 1 · MVP').first().boundingBox())!
		await createSticky(page, release1.x + release1.width * 0.3, release1.y + release1.height / 2, 'Sign up with email')
		await expect.poll(() => noteWith(page, 'Sign up with email').locator('[data-testid=note-kind]').innerText()).toBe('Feature')
		await expect.poll(() => page.locator('[data-testid=mvp-section]').innerText()).toContain('inside the MVP scope frame')
		await page.screenshot({ path: 'test-results/links-storymap.png' })
		await context.close()
	})
})
