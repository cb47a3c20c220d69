/**
 * End-to-end (#14 item 3): the facilitator presents the discovery board's
 * stage frames as slides (arrow keys, slide counter); a participant follows,
 * leaves and rejoins; a viewer always follows, even after "Stop following".
 */
import { describe, expect, it } from 'vitest'
import { createTemplateBoard, openWorkshopPanel, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

describe('presentation mode', () => {
	const t = useTestbed('workshop-board-e2e-presentation-')

	it('slides in stage order, followed by a participant (who leaves and rejoins) and a viewer (who always follows)', async () => {
		const board = await createTemplateBoard(t.server.url, 'discovery', 'Presenting')
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		const pat = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		const vic = await newParticipant(t.browser, t.server.url, { name: 'Vic' })
		await fran.page.goto(board.links.facilitator)
		await pat.page.goto(board.links.participant)
		await vic.page.goto(board.links.viewer)
		await Promise.all([waitConnected(fran.page), waitConnected(pat.page), waitConnected(vic.page)])

		await openWorkshopPanel(fran.page, 'facilitate')
		await fran.page.click('[data-testid=fac-tab-present]')
		expect(await fran.page.getByTestId('presentation-start').innerText()).toMatch(/^Present \d+ frames$/)
		expect(await fran.page.getByTestId('facilitator-panel').innerText()).toContain('In stage order')
		await fran.page.getByTestId('presentation-start').click()
		const counter = fran.page.getByTestId('slide-counter')
		await expect.poll(() => counter.innerText(), { timeout: 5_000 }).toMatch(/^Slide 1 \/ 7 · /)
		// The panel is closed so the slide has the screen; the keys still turn the slides.
		await openWorkshopPanel(fran.page, 'facilitate')
		await fran.page.locator('[data-testid=panel-facilitate]').click()
		await fran.page.mouse.click(1100, 600)
		await fran.page.keyboard.press('ArrowRight')
		await expect.poll(() => counter.innerText()).toMatch(/^Slide 2 \/ 7 · /)
		await fran.page.keyboard.press('ArrowRight')
		await fran.page.keyboard.press('ArrowLeft')
		await fran.page.keyboard.press('ArrowRight')
		await expect.poll(() => counter.innerText()).toMatch(/^Slide 3 \/ 7 · /)
		const slideName = (await counter.innerText()).replace(/^Slide 3 \/ 7 · /, '')
		await fran.page.screenshot({ path: 'test-results/presentation-presenter.png' })

		// The participant follows: the same slide, and its counter.
		const patPill = pat.page.getByTestId('follow-pill')
		await expect.poll(() => patPill.innerText(), { timeout: 10_000 }).toMatch(/Presenting: Fran · Slide 3 \/ 7/)
		expect(await pat.page.getByRole('button', { name: 'Stop following' }).count()).toBe(1)
		await expect.poll(() => pat.page.locator('.tl-frame-heading', { hasText: slideName }).first().isVisible()).toBe(true)
		await pat.page.screenshot({ path: 'test-results/presentation-participant.png' })
		// … leaves (their own camera), then rejoins and is on the presenter's slide again.
		await pat.page.getByRole('button', { name: 'Stop following' }).click()
		await expect.poll(() => patPill.getAttribute('data-away')).toBe('true')
		await fran.page.keyboard.press('ArrowRight')
		await expect.poll(() => counter.innerText()).toMatch(/^Slide 4 \/ 7 · /)
		await pat.page.getByTestId('follow-rejoin').click()
		await expect.poll(() => patPill.innerText(), { timeout: 10_000 }).toMatch(/Slide 4 \/ 7/)

		// The viewer always follows: "Stop following" does not take them away.
		const vicPill = vic.page.getByTestId('follow-pill')
		await expect.poll(() => vicPill.innerText(), { timeout: 10_000 }).toMatch(/Slide 4 \/ 7/)
		const vicStop = vic.page.getByRole('button', { name: 'Stop following' })
		if ((await vicStop.count()) > 0) await vicStop.click()
		await vic.page.mouse.wheel(0, 400)
		await fran.page.keyboard.press('ArrowRight')
		await expect.poll(() => vicPill.innerText(), { timeout: 10_000 }).toMatch(/Slide 5 \/ 7/)
		expect(await vicPill.getAttribute('data-away')).toBe('false')
		expect(await vic.page.getByTestId('follow-rejoin').count()).toBe(0)

		// Stopping ends it for everyone.
		await fran.page.getByTestId('presentation-stop').click()
		await expect.poll(() => patPill.count(), { timeout: 10_000 }).toBe(0)
		await expect.poll(() => vicPill.count()).toBe(0)
		expect(await fran.page.getByTestId('presenter-bar').count()).toBe(0)
		for (const person of [fran, pat, vic]) await person.context.close()
	})
})
