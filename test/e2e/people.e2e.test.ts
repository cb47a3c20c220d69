/**
 * End-to-end, the facilitation additions of issue #10 in real Chromium:
 * - the people list: everyone connected, who has voted (names in a named
 *   vote, only a count in an anonymous one), raised hands (the facilitator
 *   lowers them), "done" per agenda phase (resets on the next phase);
 * - idle people stay listed (dimmed) after more than 60 s without activity
 *   (#10 item 10), with the observer's clock moved on by Playwright;
 * - followers who pan away are offered "Rejoin"; the Votes panel leaves
 *   tldraw's "Stop following" uncovered (#10 item 7);
 * - the Facilitate panel fits 1366×768 in every tab; timer presets and a
 *   large countdown participants can read, also on the red "time's up".
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSticky as createSelectedSticky, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

/** Screenshots to look at: E2E_SHOTS_DIR when set (kept), else the test's temp dir. */
const shotsDir = (fallback: string) => process.env.E2E_SHOTS_DIR ?? fallback

type Person = Awaited<ReturnType<typeof newParticipant>>
type Box = { x: number; y: number; width: number; height: number }

async function openLink(page: Page, link: string) {
	await page.goto(link)
	await waitConnected(page)
	await page.waitForSelector('[data-testid=role-badge]', { timeout: 10_000 })
}

async function createSticky(page: Page, x: number, y: number, text: string) {
	await createSelectedSticky(page, x, y, text)
	await page.keyboard.press('Escape')
}

async function createBoard(serverUrl: string, title: string) {
	const response = await fetch(`${serverUrl}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) })
	return (await response.json()) as { id: string; links: { facilitator: string; participant: string; viewer: string } }
}

async function facilitateTab(page: Page, tab: string) {
	if (!(await page.locator('[data-testid=facilitator-panel]').isVisible())) await page.click('[data-testid=panel-facilitate]')
	await page.click(`[data-testid=fac-tab-${tab}]`)
}

async function openPeople(page: Page) {
	if (!(await page.locator('[data-testid=people-panel]').isVisible())) await page.click('[data-testid=people-toggle]')
	return page.locator('[data-testid=people-panel]')
}

const personRow = (page: Page, name: string) => page.locator(`[data-testid=person][data-name="${name}"]`)

function intersects(a: Box, b: Box) {
	return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

async function box(locator: Locator): Promise<Box> {
	const found = await locator.boundingBox()
	if (!found) throw new Error('element has no box (not visible)')
	return found
}

async function closeAll(...people: Person[]) {
	for (const who of people) {
		expect(who.foreignRequests).toEqual([])
		await who.context.close()
	}
}

describe('people, hands and done', () => {
	const t = useTestbed('workshop-board-e2e-people-')

	it('lists everyone, shows raised hands to all (the facilitator lowers them), counts "done" per phase and who has voted', async () => {
		const created = await createBoard(t.server.url, 'People list')
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		const pat = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		const quinn = await newParticipant(t.browser, t.server.url, { name: 'Quinn' })
		const vic = await newParticipant(t.browser, t.server.url, { name: 'Vic' })
		await openLink(fran.page, created.links.facilitator)
		await openLink(pat.page, created.links.participant)
		await openLink(quinn.page, created.links.participant)
		await openLink(vic.page, created.links.viewer)

		// Everyone is listed, for everyone, with their role.
		for (const who of [fran, pat, vic]) {
			await expect.poll(() => who.page.innerText('[data-testid=people-toggle]'), { timeout: 10_000 }).toContain('People 4')
		}
		const panel = await openPeople(fran.page)
		await expect.poll(() => panel.locator('[data-testid=person]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).toEqual(['Fran', 'Pat', 'Quinn', 'Vic'])
		expect(await personRow(fran.page, 'Vic').innerText()).toMatch(/viewer/i)

		// Pat raises a hand: everyone sees it, Quinn cannot lower it, Fran can.
		await pat.page.click('[data-testid=raise-hand]')
		await expect.poll(() => pat.page.getAttribute('[data-testid=raise-hand]', 'aria-pressed'), { timeout: 10_000 }).toBe('true')
		for (const who of [fran, quinn, vic]) await expect.poll(() => who.page.locator('[data-testid=hands-count]').innerText(), { timeout: 10_000 }).toContain('1 hand up')
		await openPeople(quinn.page)
		await expect.poll(() => personRow(quinn.page, 'Pat').locator('[data-testid=person-hand]').count()).toBe(1)
		expect(await personRow(quinn.page, 'Pat').locator('[data-testid=lower-hand]').count()).toBe(0)
		await personRow(fran.page, 'Pat').locator('[data-testid=lower-hand]').click()
		await expect.poll(() => pat.page.getAttribute('[data-testid=raise-hand]', 'aria-pressed'), { timeout: 10_000 }).toBe('false')
		await expect.poll(() => quinn.page.locator('[data-testid=hands-count]').count(), { timeout: 10_000 }).toBe(0)
		await quinn.page.click('[data-testid=people-toggle]')

		// "Done" per phase: N of M participants, reset when the facilitator moves on.
		await facilitateTab(fran.page, 'agenda')
		await fran.page.click('[data-testid=agenda-create]')
		await fran.page.locator('.fac-agenda button', { hasText: 'Brainstorm' }).click()
		await expect.poll(() => pat.page.locator('[data-testid=mark-done]').count(), { timeout: 10_000 }).toBe(1)
		expect(await vic.page.locator('[data-testid=mark-done]').count()).toBe(0) // viewers do not take part
		await pat.page.click('[data-testid=mark-done]')
		await expect.poll(() => fran.page.innerText('[data-testid=done-count]'), { timeout: 10_000 }).toContain('1/2 done')
		await expect.poll(() => fran.page.innerText('[data-testid=agenda-done]')).toContain('1 of 2 participants done')
		expect(await personRow(fran.page, 'Pat').locator('[data-testid=person-done]').count()).toBe(1)
		await fran.page.locator('.fac-agenda button', { hasText: 'Cluster' }).click()
		await expect.poll(() => fran.page.innerText('[data-testid=done-count]'), { timeout: 10_000 }).toContain('0/2 done')
		await expect.poll(() => pat.page.getAttribute('[data-testid=mark-done]', 'aria-pressed')).toBe('false')

		// Who has voted: names in a named vote…
		await createSticky(fran.page, 420, 360, 'Usage-based pricing')
		await expect.poll(() => noteWith(pat.page, 'Usage-based pricing').count(), { timeout: 10_000 }).toBe(1)
		await facilitateTab(fran.page, 'voting')
		await fran.page.fill('[data-testid=voting-title]', 'Named round')
		await fran.page.uncheck('[data-testid=voting-anonymous]')
		await fran.page.click('[data-testid=voting-start]')
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]'), { timeout: 10_000 }).toBe('5')
		await noteWith(pat.page, 'Usage-based pricing').locator('[data-testid=vote-add]').click()
		await openPeople(fran.page)
		await expect.poll(() => personRow(fran.page, 'Pat').locator('[data-testid=person-voted]').count(), { timeout: 10_000 }).toBe(1)
		expect(await personRow(fran.page, 'Quinn').locator('[data-testid=person-voted]').count()).toBe(0)
		expect(await fran.page.innerText('[data-testid=people-vote-summary]')).toContain('1 have voted')
		await fran.page.click('[data-testid=voting-close]')

		// …only the count in an anonymous one.
		await expect.poll(() => fran.page.locator('[data-testid=voting-start]').count(), { timeout: 10_000 }).toBe(1)
		await fran.page.fill('[data-testid=voting-title]', 'Secret round')
		await fran.page.check('[data-testid=voting-anonymous]')
		await fran.page.click('[data-testid=voting-start]')
		await expect.poll(() => quinn.page.innerText('[data-testid=dots-left]'), { timeout: 10_000 }).toBe('5')
		await noteWith(quinn.page, 'Usage-based pricing').locator('[data-testid=vote-add]').click()
		await expect.poll(() => fran.page.innerText('[data-testid=people-vote-summary]'), { timeout: 10_000 }).toContain('Anonymous vote: 1 of 3 have voted')
		expect(await fran.page.locator('[data-testid=person-voted]').count()).toBe(0)
		await fran.page.screenshot({ path: `${shotsDir(t.dataDir)}/people-anonymous.png` })

		await closeAll(fran, pat, quinn, vic)
	})

	it('keeps people who sit still for over a minute listed, dimmed as idle, and un-dims them when they move', async () => {
		const created = await createBoard(t.server.url, 'Idle people')
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		const pat = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		// Fran's clock is Playwright's: it runs normally until we move it on.
		await fran.page.clock.install()
		await openLink(fran.page, created.links.facilitator)
		await openLink(pat.page, created.links.participant)
		await pat.page.mouse.move(500, 400)
		await pat.page.mouse.move(520, 420)
		await openPeople(fran.page)
		await expect.poll(() => personRow(fran.page, 'Pat').getAttribute('data-idle'), { timeout: 10_000 }).toBe('false')
		const avatars = () => fran.page.locator('.tlui-people-menu__avatars .tlui-people-menu__avatar').count()
		await expect.poll(avatars, { timeout: 10_000 }).toBeGreaterThan(0)
		const avatarsBefore = await avatars()

		// 70 s pass on Fran's machine without Pat doing anything (timers are not fired by the jump).
		await fran.page.clock.setSystemTime((await fran.page.evaluate(() => Date.now())) + 70_000)
		await expect.poll(() => personRow(fran.page, 'Pat').getAttribute('data-idle'), { timeout: 15_000 }).toBe('true')
		expect(await personRow(fran.page, 'Pat').innerText()).toContain('idle')
		expect(await personRow(fran.page, 'Pat').locator('.people__name').evaluate((el) => Number(getComputedStyle(el).opacity))).toBeLessThan(1)
		// Still in our list (it is the server's list of who is connected)…
		expect(await fran.page.locator('[data-testid=person]').count()).toBe(2)
		// …and in tldraw's people menu. (y-protocols drops a remote awareness state it has not heard
		// from for 30 s on its own clock, so after the jump Pat's face is back with Pat's next 15 s
		// renewal — still 70 s without activity, which tldraw's default 60 s cut-off would hide.)
		await expect.poll(avatars, { timeout: 25_000, interval: 500 }).toBe(avatarsBefore)
		expect(await fran.page.locator('[data-testid=person]').count()).toBe(2)
		expect(await personRow(fran.page, 'Pat').getAttribute('data-idle')).toBe('true')
		await fran.page.screenshot({ path: `${shotsDir(t.dataDir)}/idle.png` })
		await waitConnected(fran.page)

		await pat.page.mouse.move(700, 500)
		await pat.page.mouse.move(720, 520)
		await expect.poll(() => personRow(fran.page, 'Pat').getAttribute('data-idle'), { timeout: 15_000 }).toBe('false')
		await closeAll(fran, pat)
	})
})

describe('follow me', () => {
	const t = useTestbed('workshop-board-e2e-follow-')

	it('offers "Rejoin" to a follower who panned away; the Votes panel does not cover "Stop following"', async () => {
		const created = await createBoard(t.server.url, 'Presenting')
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		const pat = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		await openLink(fran.page, created.links.facilitator)
		await openLink(pat.page, created.links.participant)
		await createSticky(fran.page, 500, 400, 'Follow this')
		await facilitateTab(fran.page, 'present')
		await fran.page.click('[data-testid=follow-me]')
		const away = () => pat.page.getAttribute('[data-testid=follow-pill]', 'data-away')
		await expect.poll(away, { timeout: 10_000 }).toBe('false')
		await expect.poll(() => pat.page.locator('.tlui-following-indicator').count(), { timeout: 10_000 }).toBe(1)

		// The Votes panel and tldraw's "Stop following" are both on screen, apart.
		await pat.page.click('[data-testid=panel-votes]')
		const stop = pat.page.getByRole('button', { name: 'Stop following' })
		await stop.waitFor({ timeout: 10_000 })
		const panelBox = await box(pat.page.locator('[data-testid=workshop-panel]'))
		const stopBox = await box(stop)
		expect(intersects(panelBox, stopBox), `panel ${JSON.stringify(panelBox)} vs stop ${JSON.stringify(stopBox)}`).toBe(false)
		await pat.page.screenshot({ path: `${shotsDir(t.dataDir)}/following-votes.png` })
		await pat.page.click('[data-testid=panel-votes]')

		// Panning stops following; instead of silently dropping out, Pat is offered Rejoin.
		await pat.page.mouse.move(640, 450)
		await pat.page.mouse.wheel(0, 600)
		await expect.poll(away, { timeout: 10_000 }).toBe('true')
		expect(await pat.page.locator('.tlui-following-indicator').count()).toBe(0)
		await pat.page.click('[data-testid=follow-rejoin]')
		await expect.poll(away, { timeout: 10_000 }).toBe('false')
		await expect.poll(() => pat.page.locator('.tlui-following-indicator').count(), { timeout: 10_000 }).toBe(1)
		// The presenter is never offered to rejoin themselves.
		expect(await fran.page.getAttribute('[data-testid=follow-pill]', 'data-away')).toBe('false')
		await closeAll(fran, pat)
	})
})

describe('the Facilitate panel on a laptop screen', () => {
	const t = useTestbed('workshop-board-e2e-facpanel-')

	it('fits 1366×768 in every tab, starts a preset timer and shows a large countdown participants read, also when time is up', async () => {
		const created = await createBoard(t.server.url, 'Laptop')
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		const pat = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		await fran.page.setViewportSize({ width: 1366, height: 768 })
		await openLink(fran.page, created.links.facilitator)
		await openLink(pat.page, created.links.participant)
		await fran.page.click('[data-testid=panel-facilitate]')
		const tabs = await fran.page.locator('[data-testid^=fac-tab-]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')))
		expect(tabs).toEqual(['fac-tab-agenda', 'fac-tab-timer', 'fac-tab-voting', 'fac-tab-estimate', 'fac-tab-private', 'fac-tab-present', 'fac-tab-lock', 'fac-tab-links'])
		for (const tab of tabs) {
			await fran.page.click(`[data-testid=${tab}]`)
			const panel = fran.page.locator('[data-testid=workshop-panel]')
			const { scrollHeight, clientHeight } = await panel.evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }))
			expect(scrollHeight, `${tab} scrolls`).toBeLessThanOrEqual(clientHeight + 1)
			const panelBox = await box(panel)
			expect(panelBox.y + panelBox.height, `${tab} bottom`).toBeLessThanOrEqual(768)
			// Every control of the tab is inside the panel and on screen.
			for (const control of await panel.locator('button, input').all()) {
				const b = await box(control)
				expect(b.y + b.height, `${tab}: a control is cut off`).toBeLessThanOrEqual(panelBox.y + panelBox.height + 1)
			}
			if (tab === 'fac-tab-voting') await fran.page.screenshot({ path: `${shotsDir(t.dataDir)}/facilitate-voting-1366.png` })
		}

		// A preset sets and starts the timer; participants see a large countdown.
		await fran.page.click('[data-testid=fac-tab-timer]')
		await fran.page.click('[data-testid=timer-preset-3]')
		await expect.poll(() => pat.page.innerText('[data-testid=timer-clock]'), { timeout: 10_000 }).toMatch(/^(3:00|2:5\d)$/)
		const digitsPx = await pat.page.locator('[data-testid=timer-clock]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
		expect(digitsPx).toBeGreaterThanOrEqual(24)

		// A 3-second timer: at zero everyone sees "Time's up", white on red.
		await fran.page.fill('[data-testid=timer-minutes]', '0.05')
		await fran.page.click('[data-testid=timer-set]')
		await fran.page.click('[data-testid=timer-start]')
		await expect.poll(() => pat.page.innerText('[data-testid=timer-clock]'), { timeout: 10_000 }).toBe('Time’s up')
		const look = await pat.page.locator('[data-testid=timer]').evaluate((el) => ({
			background: getComputedStyle(el).backgroundColor,
			color: getComputedStyle(el.querySelector('[data-testid=timer-clock]') as Element).color,
			sound: getComputedStyle(el.querySelector('.session-bar__sound') as Element).color,
		}))
		expect(look.background).toBe('rgb(224, 49, 49)')
		expect(look.color).toBe('rgb(255, 255, 255)')
		expect(look.sound).toBe('rgb(255, 255, 255)')
		await pat.page.screenshot({ path: `${shotsDir(t.dataDir)}/timer-up.png` })
		await closeAll(fran, pat)
	})
})

describe('vote controls', () => {
	const t = useTestbed('workshop-board-e2e-votectl-')

	it('never cover the sticky text, and are at least 24 px', async () => {
		const created = await createBoard(t.server.url, 'Vote controls')
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		const pat = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		await openLink(fran.page, created.links.facilitator)
		await openLink(pat.page, created.links.participant)
		const long = 'Let admins invite their whole team from a CSV upload with roles preset per row and a preview'
		await createSticky(fran.page, 520, 380, long)
		await expect.poll(() => noteWith(pat.page, 'CSV upload').count(), { timeout: 10_000 }).toBe(1)
		await facilitateTab(fran.page, 'voting')
		await fran.page.click('[data-testid=voting-start]')
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]'), { timeout: 10_000 }).toBe('5')
		const sticky = noteWith(pat.page, 'CSV upload')
		await sticky.locator('[data-testid=vote-add]').click()
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]')).toBe('4')
		const text = await box(sticky.locator('.tl-rich-text'))
		for (const id of ['vote-add', 'vote-remove']) {
			const control = await box(sticky.locator(`[data-testid=${id}]`))
			expect(intersects(control, text), `${id} ${JSON.stringify(control)} covers the text ${JSON.stringify(text)}`).toBe(false)
			expect(Math.min(control.width, control.height)).toBeGreaterThanOrEqual(24)
		}
		await pat.page.screenshot({ path: `${shotsDir(t.dataDir)}/vote-controls.png` })
		await closeAll(fran, pat)
	})
})
