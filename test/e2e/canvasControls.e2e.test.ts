/**
 * End-to-end: the workshop controls drawn on and around the canvas do what they
 * say and nothing else — kind keys do not switch tldraw tools, nothing covers a
 * sticky's text, tldraw's style panel stays out of the way.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { NOTE, createSticky, createTemplateBoard, noteWith, openWorkshopPanel, waitConnected, zoomLevel, zoomTo, zoomToStage } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

/** Selects only this sticky: a click on its margin (a click on its text would start editing). */
async function selectSticky(page: Page, note: Locator) {
	await page.keyboard.press('Escape')
	await page.mouse.click(60, 600)
	const box = (await note.boundingBox())!
	await page.mouse.click(box.x + 8, box.y + box.height - 8)
}

/** Whether a control is drawn as unusable (faded, not-allowed cursor), not only flagged disabled in the DOM. */
const looksDisabled = (control: Locator) =>
	control.evaluate((el) => {
		const style = getComputedStyle(el)
		return Number(style.opacity) < 0.7 && style.cursor === 'not-allowed'
	})

/**
 * For each drop-down matching `selector`: the option labels wider than the box shows (text
 * measured in the select's own font, plus its padding and Chromium's arrow of about 20 px).
 */
const cutSelectLabels = (page: Page, selector: string) =>
	page.locator(selector).evaluateAll((selects) => {
		const ctx = document.createElement('canvas').getContext('2d')!
		const cut: string[] = []
		for (const select of selects as HTMLSelectElement[]) {
			const style = getComputedStyle(select)
			ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
			const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20
			for (const option of select.options) {
				const width = ctx.measureText(option.text).width
				if (width > room) cut.push(`${option.text} (${Math.round(width)} > ${Math.round(room)} px)`)
			}
		}
		return { checked: selects.length, cut }
	})

const isToolActive = (page: Page, tool: string) =>
	page.locator(`[data-testid="tools.${tool}"]`).first().getAttribute('aria-pressed')

describe('canvas controls', () => {
	const t = useTestbed('workshop-board-e2e-controls-')

	it('kind keys 1–7 on a selected sticky set its kind and never switch tldraw’s tool', async () => {
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Kim' })
		await page.goto((await createTemplateBoard(t.server.url, 'blank', 'Kind keys')).links.participant)
		await waitConnected(page)
		await createSticky(page, 500, 350, 'Onboarding is confusing')
		const note = noteWith(page, 'Onboarding is confusing')
		await selectSticky(page, note)

		await page.keyboard.press('4') // Insight; tldraw's toolbar would arm the eraser
		await expect.poll(() => note.locator('[data-testid=note-kind]').innerText()).toBe('Insight')
		expect(await isToolActive(page, 'select')).toBe('true')
		expect(await isToolActive(page, 'eraser')).not.toBe('true')

		// A drag across the sticky moves it (select tool), it does not erase it.
		const box = (await note.boundingBox())!
		await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
		await page.mouse.down()
		await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 40, { steps: 8 })
		await page.mouse.up()
		expect(await page.locator(NOTE).count()).toBe(1)

		for (const [key, tool] of [['2', 'hand'], ['3', 'draw'], ['5', 'arrow'], ['6', 'text']] as const) {
			await selectSticky(page, note)
			await page.keyboard.press(key)
			expect(await isToolActive(page, tool), `key ${key}`).not.toBe('true')
			expect(await isToolActive(page, 'select'), `key ${key}`).toBe('true')
		}
		await expect.poll(() => note.locator('[data-testid=note-kind]').innerText()).toBe('Question')
		await context.close()
	})

	it('tag chips never cover a tall sticky’s text; tldraw’s style panel shows only with a selection', async () => {
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Kim' })
		await page.goto((await createTemplateBoard(t.server.url, 'blank', 'Overlaps')).links.participant)
		await waitConnected(page)
		const longText = 'Teams drop out of onboarding because the invite email lands in spam and nobody tells them where to look for it next'
		await createSticky(page, 500, 300, longText)
		const note = noteWith(page, 'invite email')
		await selectSticky(page, note)
		expect(await page.locator('.tlui-style-panel').count()).toBeGreaterThan(0)
		await page.fill('[data-testid=tag-input]', 'onboarding')
		await page.keyboard.press('Enter')
		await page.fill('[data-testid=tag-input]', 'email')
		await page.keyboard.press('Enter')
		await expect.poll(() => note.locator('[data-testid=note-tags] .wb-tag').count()).toBe(2)

		await page.keyboard.press('Escape')
		await page.mouse.click(60, 600)
		await expect.poll(() => page.locator('.tlui-style-panel').count()).toBe(0)
		const text = (await note.locator('.tl-rich-text').boundingBox())!
		for (const chip of await note.locator('[data-testid=note-tags] .wb-tag').all()) {
			const box = (await chip.boundingBox())!
			expect(box.width).toBeGreaterThan(0)
			const overlaps = box.x < text.x + text.width && text.x < box.x + box.width && box.y < text.y + text.height && text.y < box.y + box.height
			expect(overlaps, `chip ${JSON.stringify(box)} over text ${JSON.stringify(text)}`).toBe(false)
		}
		await context.close()
	})

	it('a viewer sees the kind buttons and tag input disabled with the reason', async () => {
		const facilitator = await newParticipant(t.browser, t.server.url, { name: 'Fay' })
		await facilitator.page.goto(t.server.url)
		await facilitator.page.click('[data-testid=new-board]')
		await facilitator.page.waitForSelector('[data-testid=board-links]', { timeout: 15_000 })
		const viewerLink = await facilitator.page.inputValue('[data-testid=link-viewer]')
		await facilitator.page.click('[data-testid=open-as-facilitator]')
		await waitConnected(facilitator.page)
		await createSticky(facilitator.page, 500, 350, 'Checkout fails on Safari')

		const viewer = await newParticipant(t.browser, t.server.url, { name: 'Vic' })
		await viewer.page.goto(viewerLink)
		await waitConnected(viewer.page)
		const note = noteWith(viewer.page, 'Checkout fails on Safari')
		await note.waitFor({ timeout: 10_000 })
		await selectSticky(viewer.page, note)
		const insight = viewer.page.locator('[data-testid=kind-insight]')
		await insight.waitFor({ timeout: 5_000 })
		expect(await insight.isDisabled()).toBe(true)
		expect(await insight.getAttribute('title')).toMatch(/Viewers/)
		expect(await viewer.page.locator('[data-testid=tag-input]').isDisabled()).toBe(true)
		await facilitator.context.close()
		await viewer.context.close()
	})

	it('on a locked board a participant sees kind buttons, tag input and Create theme disabled with the reason', async () => {
		const board = await createTemplateBoard(t.server.url, 'blank', 'Locked board')
		const facilitator = await newParticipant(t.browser, t.server.url, { name: 'Fay' })
		await facilitator.page.goto(board.links.facilitator)
		await waitConnected(facilitator.page)
		// Two similar stickies, so Suggest themes offers one to create.
		await createSticky(facilitator.page, 420, 350, 'Checkout payment fails on mobile')
		await createSticky(facilitator.page, 700, 350, 'Checkout payment fails twice')

		const participant = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		await participant.page.goto(board.links.participant)
		await waitConnected(participant.page)
		const note = noteWith(participant.page, 'fails on mobile')
		await note.waitFor({ timeout: 10_000 })

		// Unlocked: the participant's controls are live.
		await selectSticky(participant.page, note)
		const insight = participant.page.locator('[data-testid=kind-insight]')
		await insight.waitFor({ timeout: 5_000 })
		expect(await insight.isDisabled()).toBe(false)
		expect(await participant.page.locator('[data-testid=tag-input]').isDisabled()).toBe(false)

		await facilitator.page.keyboard.press('Escape')
		await openWorkshopPanel(facilitator.page, 'facilitate')
		await facilitator.page.click('[data-testid=fac-tab-lock]') // the Facilitate panel is in tabs
		await facilitator.page.click('[data-testid=lock-board]')
		await expect.poll(() => facilitator.page.getAttribute('[data-testid=lock-board]', 'aria-pressed')).toBe('true')

		// Locked: disabled, and the tooltip says why.
		await expect.poll(() => insight.isDisabled(), { timeout: 10_000 }).toBe(true)
		for (const kind of ['idea', 'problem', 'insight']) {
			expect(await participant.page.getAttribute(`[data-testid=kind-${kind}]`, 'title')).toMatch(/facilitator has locked the board/)
		}
		const tagInput = participant.page.locator('[data-testid=tag-input]')
		expect(await tagInput.isDisabled()).toBe(true)
		expect(await tagInput.getAttribute('title')).toMatch(/locked/)
		// Every field of the inspector (RICE included), and the reason is written out (touch screens show no tooltip).
		expect(await participant.page.locator('[data-testid=rice-editor] input').first().isDisabled()).toBe(true)
		expect(await participant.page.innerText('[data-testid=edit-blocked-reason]')).toMatch(/facilitator has locked the board/)
		// …and they look it: faded, with a not-allowed cursor (a disabled button styled like a live one is the bug).
		for (const control of [insight, tagInput]) expect(await looksDisabled(control), await control.getAttribute('data-testid') ?? '').toBe(true)
		await participant.page.screenshot({ path: 'test-results/locked-board-inspector.png' })
		// A kind key does nothing either (and the kind badge keeps saying so).
		await participant.page.keyboard.press('4')
		await participant.page.waitForTimeout(300)
		expect(await note.locator('[data-testid=note-kind]').innerText()).toBe('Idea')

		await participant.page.keyboard.press('Escape')
		await participant.page.mouse.click(60, 600)
		await openWorkshopPanel(participant.page, 'themes')
		const create = participant.page.locator('[data-testid=theme-suggestions] li').first().getByRole('button', { name: 'Create theme' })
		await create.waitFor({ timeout: 5_000 })
		expect(await create.isDisabled()).toBe(true)
		expect(await create.getAttribute('title')).toMatch(/locked/)
		expect(await looksDisabled(create)).toBe(true)
		await participant.page.screenshot({ path: 'test-results/locked-board-participant.png' })

		// Unlocked again: live again.
		await facilitator.page.click('[data-testid=fac-tab-lock]') // the Facilitate panel is in tabs
		await facilitator.page.click('[data-testid=lock-board]')
		await expect.poll(() => create.isDisabled(), { timeout: 10_000 }).toBe(false)
		await facilitator.context.close()
		await participant.context.close()
	})

	it('the inspector’s drop-downs (frame lane, default kind, status, RICE impact) show their whole labels', async () => {
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Fay' })
		await page.goto((await createTemplateBoard(t.server.url, 'discovery', 'Drop-downs')).links.facilitator)
		await waitConnected(page)
		const stage = await zoomToStage(page, 3) // selects stage 3: the frame inspector is open
		await page.waitForSelector('[data-testid=frame-inspector]')
		await page.screenshot({ path: 'test-results/frame-inspector.png' })
		const frameCut = await cutSelectLabels(page, '[data-testid=frame-inspector] select')
		expect(frameCut.checked).toBe(3) // lane, default kind, Vision prompt
		expect(frameCut.cut).toEqual([])

		await createSticky(page, stage.x + stage.width * 0.3, stage.y + stage.height * 0.3, 'Self-serve onboarding') // an Idea: RICE fields
		await page.waitForSelector('[data-testid=rice-editor] select')
		const riceCut = await cutSelectLabels(page, '[data-testid=item-inspector] select')
		expect(riceCut.checked).toBe(2) // status, RICE impact
		expect(riceCut.cut).toEqual([])
		await context.close()
	})

	it('vote controls never cover text; badges (kind, RICE, tags, votes) stay readable at 40 % zoom, summarised under the sticky', async () => {
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Fay' })
		await page.goto((await createTemplateBoard(t.server.url, 'blank', 'Badges at low zoom')).links.facilitator)
		await waitConnected(page)
		await createSticky(page, 560, 330, 'Guided onboarding checklist')
		const note = noteWith(page, 'Guided onboarding checklist')
		await page.keyboard.press('5') // Feature
		const rice = page.locator('[data-testid=rice-editor]')
		await rice.locator('input[type=number]').nth(0).fill('500')
		await rice.locator('select').selectOption('2')
		await rice.locator('input[type=number]').nth(1).fill('80')
		await rice.locator('input[type=number]').nth(2).fill('2')
		for (const tag of ['onboarding', 'activation']) {
			await page.fill('[data-testid=tag-input]', tag)
			await page.keyboard.press('Enter')
		}
		await expect.poll(() => note.locator('[data-testid=note-rice]').innerText()).toBe('RICE 400')
		// A closed dot vote with one dot on it.
		await page.keyboard.press('Escape')
		await openWorkshopPanel(page, 'facilitate')
		await page.click('[data-testid=fac-tab-voting]') // the Facilitate panel is in tabs
		await page.fill('[data-testid=voting-title]', 'Top pick')
		await page.click('[data-testid=voting-start]')
		await note.locator('[data-testid=vote-add]').click()
		await expect.poll(() => note.locator('[data-testid=my-dots]').innerText()).toContain('●')
		// While voting (100 % zoom): the −/+ controls are ≥ 24 px targets and never over the sticky's text or its tags.
		const voteBox = (await note.locator('[data-testid=vote-controls]').boundingBox())!
		for (const button of await note.locator('.wb-vote__button').all()) {
			const box = (await button.boundingBox())!
			expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(24)
		}
		const textBox = (await note.locator('.tl-rich-text').boundingBox())!
		const tagsBox = (await note.locator('[data-testid=note-tags]').boundingBox())!
		for (const [what, other] of [['text', textBox], ['tags', tagsBox]] as const) {
			const overlap = voteBox.x < other.x + other.width && other.x < voteBox.x + voteBox.width && voteBox.y < other.y + other.height && other.y < voteBox.y + voteBox.height
			expect(overlap, `vote controls over the ${what}`).toBe(false)
		}
		await page.click('[data-testid=voting-close]')
		await expect.poll(() => note.locator('[data-testid=vote-count]').innerText(), { timeout: 10_000 }).toBe('1 dot')
		await page.click('[data-testid=panel-facilitate]') // closes the panel
		await page.mouse.click(60, 600)

		await zoomTo(page, 0.4)
		await page.waitForTimeout(300)
		await page.screenshot({ path: 'test-results/badges-40-percent.png' })
		const zoom = await zoomLevel(page)
		expect(await note.locator('[data-testid=note-overlay]').getAttribute('data-compact')).toBe('true')
		const badges = {
			kind: note.locator('[data-testid=note-kind]'),
			rice: note.locator('[data-testid=note-rice]'),
			tags: note.locator('[data-testid=note-tags] .wb-tag'),
			votes: note.locator('[data-testid=vote-count]'),
		}
		expect(await badges.kind.innerText()).toBe('Feature')
		expect(await badges.rice.innerText()).toBe('RICE 400')
		expect(await badges.tags.innerText()).toBe('#2 tags')
		const noteBox = (await note.boundingBox())!
		const boxes: { name: string; x: number; y: number; width: number; height: number }[] = []
		for (const [name, badge] of Object.entries(badges)) {
			expect(await badge.count(), name).toBe(1)
			// Text at least 9 px on screen (the page font size times the zoom), and drawn that tall.
			const fontPx = await badge.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
			expect(fontPx * zoom, `${name} font on screen`).toBeGreaterThanOrEqual(9)
			const box = (await badge.boundingBox())!
			expect(box.height, `${name} height`).toBeGreaterThanOrEqual(9)
			// Within the sticky's width: summarised, not spilling over the neighbours.
			expect(box.x, name).toBeGreaterThanOrEqual(noteBox.x - 1)
			expect(box.x + box.width, name).toBeLessThanOrEqual(noteBox.x + noteBox.width + 1)
			boxes.push({ name, ...box })
		}
		// No two badges on top of each other.
		for (const a of boxes)
			for (const b of boxes) {
				if (a.name >= b.name) continue
				const overlap = a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1
				expect(overlap, `${a.name} over ${b.name}`).toBe(false)
			}

		// Back at 100 %: every badge again, full size.
		await zoomTo(page, 1)
		await expect.poll(() => note.locator('[data-testid=note-overlay]').getAttribute('data-compact')).toBe('false')
		expect(await badges.tags.allInnerTexts()).toEqual(['onboarding', 'activation'])
		await context.close()
	})

	it('a follower’s “Stop following” stays reachable with a workshop panel open', async () => {
		const board = await createTemplateBoard(t.server.url, 'blank', 'Follow me')
		const fay = await newParticipant(t.browser, t.server.url, { name: 'Fay' })
		await fay.page.goto(board.links.facilitator)
		await waitConnected(fay.page)
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		await page.goto(board.links.participant)
		await waitConnected(page)
		await openWorkshopPanel(fay.page, 'facilitate')
		await fay.page.click('[data-testid=fac-tab-present]') // the Facilitate panel is in tabs
		await fay.page.click('[data-testid=follow-me]')
		const stop = page.getByRole('button', { name: 'Stop following' })
		await stop.waitFor({ timeout: 10_000 })
		for (const panel of ['votes', 'themes']) {
			await openWorkshopPanel(page, panel)
			await page.waitForSelector('[data-testid=workshop-panel]')
			await page.screenshot({ path: `test-results/follow-${panel}-panel.png` })
			const free = await stop.evaluate((el) => {
				const r = el.getBoundingClientRect()
				const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
				return !!hit && (hit === el || el.contains(hit))
			})
			expect(free, `Stop following under the ${panel} panel`).toBe(true)
			const stopBox = (await stop.boundingBox())!
			const panelBox = (await page.locator('[data-testid=workshop-panel]').boundingBox())!
			expect(stopBox.y + stopBox.height <= panelBox.y || panelBox.y + panelBox.height <= stopBox.y, 'panel beside the button').toBe(true)
		}
		await stop.click()
		await expect.poll(() => stop.count()).toBe(0)
		await fay.context.close()
		await context.close()
	})
})
