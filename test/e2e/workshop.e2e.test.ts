/**
 * End-to-end: a facilitator runs the typed-item workflow of the discovery
 * workshop in real Chromium — template board, typed and tagged stickies, a
 * JTBD sentence accepted, notes moved into a theme, JSON export downloaded
 * and validated against the committed JSON Schema.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { BoardExportSchema } from '../../shared/export'
import { NOTE, createSticky, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'

/** After creating or importing a board: the three role links are shown once; open it as facilitator. */
async function openAsFacilitator(page: Page) {
	await page.waitForSelector('[data-testid=board-links]', { timeout: 15_000 })
	for (const role of ['facilitator', 'participant', 'viewer']) {
		expect(await page.inputValue(`[data-testid=link-${role}]`)).toMatch(/\/b\/[A-Za-z0-9_-]+\?token=[A-Za-z0-9_-]{22,}/)
	}
	await page.click('[data-testid=open-as-facilitator]')
	await waitConnected(page)
	// The token is kept on this device and removed from the address bar.
	expect(page.url()).not.toContain('token=')
}

describe('discovery workshop with typed items', () => {
	const t = useTestbed('workshop-board-e2e-items-')

	it('creates the 7-stage template, and new stickies take their frame’s kind', async () => {
		const { page, context, foreignRequests } = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		await page.goto(t.server.url)
		await page.click('[data-testid=template-discovery]')
		await page.fill('[data-testid=board-title]', 'Checkout discovery')
		await page.click('[data-testid=new-board]')
		await openAsFacilitator(page)
		await expect.poll(() => page.locator('[data-testid=board-status]').innerText()).toContain('Checkout discovery')
		const frameNames = await page.locator('.tl-frame-heading').allInnerTexts()
		for (const stage of ['1', '2', '3', '4', '5', '6', '7']) {
			expect(frameNames.some((name) => name.trim().startsWith(stage))).toBe(true)
		}

		// Zoom to frame 1 and drop a sticky in its middle: it becomes a problem.
		const stageOne = page.locator('.tl-shape[data-shape-type="frame"]').filter({ has: page.locator('.tl-frame-heading', { hasText: /^1/ }) })
		await page.keyboard.press('Shift+1')
		const heading = page.locator('.tl-frame-heading', { hasText: /^\s*1/ }).first()
		await heading.click()
		await page.keyboard.press('Shift+2') // zoom to selection
		await page.waitForTimeout(400)
		const box = (await stageOne.first().boundingBox()) ?? (await heading.boundingBox())
		expect(box).not.toBeNull()
		await createSticky(page, box!.x + box!.width / 2, box!.y + box!.height / 2, 'Checkout fails on mobile Safari')
		await expect.poll(() => noteWith(page, 'Checkout fails on mobile Safari').getAttribute('data-shape-type')).toBe('note')
		await expect.poll(() => noteWith(page, 'Checkout fails on mobile Safari').locator('[data-testid=note-kind]').innerText()).toBe('Problem')
		expect(foreignRequests).toEqual([])
		await context.close()
	})

	it('types, tags, converts a JTBD, groups into a theme and exports valid JSON', async () => {
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		await page.goto(t.server.url)
		await page.click('[data-testid=template-blank]')
		await page.fill('[data-testid=board-title]', 'Onboarding jam')
		await page.click('[data-testid=new-board]')
		await openAsFacilitator(page)

		// A feature with a tag and a full RICE score.
		await createSticky(page, 300, 250, 'Guided setup checklist')
		await page.keyboard.press('5')
		await expect.poll(() => noteWith(page, 'Guided setup checklist').locator('[data-testid=note-kind]').innerText()).toBe('Feature')
		await page.fill('[data-testid=tag-input]', '#Onboarding')
		await page.keyboard.press('Enter')
		await expect.poll(() => noteWith(page, 'Guided setup checklist').locator('[data-testid=note-tags]').innerText()).toContain('onboarding')
		const rice = page.locator('[data-testid=rice-editor]')
		await rice.getByLabel('Reach').fill('800')
		await rice.getByLabel('Impact').selectOption('2')
		await rice.getByLabel('Confidence').fill('50')
		await rice.getByLabel('Effort').fill('2')
		await expect.poll(() => page.locator('[data-testid=rice-score]').innerText()).toBe('400')

		// An idea with an incomplete RICE score: shown as incomplete, not zero.
		await createSticky(page, 560, 250, 'Invite teammates from the first screen')
		await expect.poll(() => noteWith(page, 'Invite teammates').locator('[data-testid=note-rice]').innerText()).toBe('RICE …')

		// A JTBD sentence, offered and accepted.
		await createSticky(page, 820, 250, 'When I join a new team, I want to see past decisions, so I can get up to speed')
		await page.click('[data-testid=jtbd-accept]')
		await expect.poll(() => noteWith(page, 'When I join a new team').locator('[data-testid=note-kind]').innerText()).toBe('Job to be done')
		await expect.poll(() => page.locator('[data-testid=jtbd-parts]').innerText()).toContain('see past decisions')

		// A theme frame around the first two stickies (drawn with the frame tool), with a goal.
		await page.keyboard.press('Escape')
		await page.keyboard.press('f')
		await page.mouse.move(150, 100)
		await page.mouse.down()
		await page.mouse.move(700, 420, { steps: 8 })
		await page.mouse.up()
		await page.click('[data-testid=theme-toggle]')
		await page.fill('[data-testid=theme-title]', 'Faster activation')
		await page.fill('[data-testid=theme-metric]', 'Teams active in week 1')
		await page.fill('[data-testid=theme-target]', '+20% by Q3')
		await expect.poll(() => page.locator('[data-testid=theme-badge]').innerText()).toContain('Teams active in week 1')

		// Download the JSON export and check it.
		await page.keyboard.press('Escape')
		await page.click('[data-testid=panel-export]')
		const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')])
		const json = JSON.parse(await readFile((await download.path())!, 'utf8'))
		expectValidAgainstExportJsonSchema(json)
		expect(BoardExportSchema.safeParse(json).success).toBe(true)

		const byText = (text: string) => json.items.find((item: { text: string }) => item.text.includes(text))
		const feature = byText('Guided setup checklist')
		expect(feature).toMatchObject({ kind: 'feature', tags: ['onboarding'], author: { name: 'Fran' } })
		expect(feature.rice).toMatchObject({ reach: 800, impact: 2, confidence: 50, effort: 2, score: 400 })
		expect(byText('Invite teammates').rice.score).toBeNull()
		expect(byText('When I join a new team')).toMatchObject({
			kind: 'jtbd',
			jtbd: { situation: expect.stringContaining('join a new team'), motivation: expect.stringContaining('see past decisions'), outcome: expect.stringContaining('get up to speed') },
		})
		expect(json.themes).toHaveLength(1)
		expect(json.themes[0]).toMatchObject({ title: 'Faster activation', goal: { metric: 'Teams active in week 1', target: '+20% by Q3' } })
		expect(new Set(json.themes[0].itemIds)).toEqual(new Set([feature.id, byText('Invite teammates').id]))
		expect(feature.themeId).toBe(json.themes[0].id)
		expect(byText('When I join a new team').themeId).toBeNull()
		expect(json.board.title).toBe('Onboarding jam')

		// The stakeholder summary is one click too.
		const [mdDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-md]')])
		const markdown = await readFile((await mdDownload.path())!, 'utf8')
		expect(markdown).toContain('Faster activation')
		expect(markdown).toContain('Guided setup checklist')

		// An invalid file is refused with the paths of what is wrong; a valid export seeds a new board.
		await page.goto(t.server.url)
		const broken = { ...json, items: [{ ...json.items[0], kind: 'wish' }, ...json.items.slice(1)] }
		await page.setInputFiles('[data-testid=import-file]', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) })
		await expect.poll(() => page.locator('[data-testid=landing-problem]').innerText()).toContain('items.0.kind')
		await page.setInputFiles('[data-testid=import-file]', { name: 'board.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) })
		await openAsFacilitator(page)
		await expect.poll(() => page.locator(NOTE).count(), { timeout: 10_000 }).toBe(3)
		await expect.poll(() => noteWith(page, 'When I join a new team').locator('[data-testid=note-kind]').innerText()).toBe('Job to be done')
		await context.close()
	})
})
