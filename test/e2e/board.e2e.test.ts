/**
 * End-to-end: real headless Chromium, the real built client, the real server
 * process with a temp SQLite DATA_DIR. Two people on one board.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { seedBoards, startServerProcess } from '../integration/helpers'
import { NOTE, createSticky, noteTexts, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { countColorPixels } from './screenPixels'
import { useTestbed } from './testbed'

async function openBoard(page: Page, url: string) {
	await page.goto(url)
	await waitConnected(page)
}


describe('two people on one board', () => {
	// A fixed port, so the server restarted after the crash is at the same URL. Below Linux's ephemeral
	// range (32768+): outgoing connections and port-0 servers of tests running beside this one never take it.
	const port = 20000 + Math.floor(Math.random() * 12000)
	const t = useTestbed('workshop-board-e2e-', { PORT: String(port), ROOM_UNLOAD_DELAY_MS: '1000' })

	it('exchanges stickies, text and cursors live, keeps them across reloads and a server crash', async () => {
		const alice = await newParticipant(t.browser, t.server.url, { name: 'Alice', color: '#e03131' })
		const bob = await newParticipant(t.browser, t.server.url, { name: 'Bob', color: '#1971c2' })
		const boardId = `e2e-board-${Date.now()}`
		// Sockets to boards that were never created get 4404: create it as board-admin would.
		await seedBoards(t.dataDir, [boardId], { databaseUrl: process.env.DATABASE_URL })
		const boardUrl = `${t.server.url}/b/${boardId}`
		await openBoard(alice.page, boardUrl)
		await openBoard(bob.page, boardUrl)

		// A sticky written by Alice appears for Bob with the same text.
		const started = Date.now()
		await createSticky(alice.page, 400, 300, 'Users abandon onboarding at step 3')
		await expect.poll(() => noteTexts(bob.page), { timeout: 10_000 }).toEqual(['Users abandon onboarding at step 3'])
		const roundTripMs = Date.now() - started

		// Bob's pointer is drawn on Alice's screen, in his colour, where he points (the cursor layer is
		// one canvas: read it as pixels). Both have the same camera on first entry.
		await bob.page.mouse.move(700, 500)
		await bob.page.mouse.move(720, 520, { steps: 4 })
		const cursorLayer = alice.page.getByTestId('remote-cursors')
		await expect.poll(() => cursorLayer.getAttribute('data-drawn'), { timeout: 10_000 }).toBe('1')
		await expect
			.poll(() => countColorPixels(t.browser, alice.page, { x: 700, y: 500, width: 120, height: 70 }, '#1971c2'), { timeout: 10_000 })
			.toBeGreaterThan(150)
		expect(await countColorPixels(t.browser, alice.page, { x: 300, y: 500, width: 120, height: 70 }, '#1971c2')).toBe(0)

		// The participants list shows Bob, and Alice can follow his viewport.
		await alice.page.click('.tlui-people-menu__avatars-button')
		await expect.poll(() => alice.page.locator('.tlui-people-menu__item').allInnerTexts()).toContain('Bob')
		await alice.page.locator('.tlui-people-menu__item', { hasText: 'Bob' }).locator('.tlui-people-menu__item__follow').click({ force: true })
		await expect.poll(() => alice.page.locator('.tlui-following-indicator').count(), { timeout: 5_000 }).toBe(1)
		await alice.page.keyboard.press('Escape')
		await alice.page.mouse.move(640, 500)
		await alice.page.mouse.wheel(0, 300) // panning away stops following
		await expect.poll(() => alice.page.locator('.tlui-following-indicator').count(), { timeout: 5_000 }).toBe(0)

		// Bob's sticky reaches Alice too.
		await createSticky(bob.page, 800, 250, 'Pricing page is confusing')
		await expect
			.poll(() => noteTexts(alice.page), { timeout: 10_000 })
			.toEqual(['Pricing page is confusing', 'Users abandon onboarding at step 3'])

		// Reload keeps both notes (served by the server, not just the local copy).
		await bob.page.reload()
		await openBoard(bob.page, boardUrl)
		await expect.poll(() => noteTexts(bob.page), { timeout: 10_000 }).toHaveLength(2)

		// SIGKILL the server; Alice keeps editing offline; a restart on the same
		// DATA_DIR and port has everything, and her offline edit merges in.
		await t.server.kill('SIGKILL')
		await expect
			.poll(() => alice.page.getAttribute('[data-testid=board-status]', 'data-state'), { timeout: 15_000 })
			.not.toBe('connected')
		await createSticky(alice.page, 400, 600, 'Offline idea')
		await expect.poll(() => alice.page.getAttribute('[data-testid=board-status]', 'data-unsynced')).toBe('true')
		t.server = await startServerProcess({ dataDir: t.dataDir, env: { PORT: String(port), ROOM_UNLOAD_DELAY_MS: '1000' } })
		await expect
			.poll(() => alice.page.getAttribute('[data-testid=board-status]', 'data-state'), { timeout: 20_000 })
			.toBe('connected')
		await expect
			.poll(() => noteTexts(bob.page), { timeout: 20_000 })
			.toEqual(['Offline idea', 'Pricing page is confusing', 'Users abandon onboarding at step 3'])

		// A third person opening the board fresh gets all of it from the server.
		const carol = await newParticipant(t.browser, t.server.url, { name: 'Carol' })
		await openBoard(carol.page, boardUrl)
		await expect.poll(() => noteTexts(carol.page), { timeout: 10_000 }).toHaveLength(3)

		// Nothing left the host: fonts, icons and translations are bundled.
		for (const who of [alice, bob, carol]) expect(who.foreignRequests).toEqual([])
		expect(roundTripMs).toBeGreaterThan(0)
		console.log(`sticky visible to the other participant after ${roundTripMs} ms (incl. typing)`)
		for (const who of [alice, bob, carol]) await who.context.close()
	})

	it('undo reverts only your own change, not a collaborator’s concurrent edit of the same sticky', async () => {
		const alice = await newParticipant(t.browser, t.server.url, { name: 'Alice' })
		const bob = await newParticipant(t.browser, t.server.url, { name: 'Bob' })
		const boardId = `e2e-undo-${Date.now()}`
		await seedBoards(t.dataDir, [boardId], { databaseUrl: process.env.DATABASE_URL })
		const boardUrl = `${t.server.url}/b/${boardId}`
		await openBoard(alice.page, boardUrl)
		await openBoard(bob.page, boardUrl)
		await createSticky(alice.page, 400, 300, 'Draft problem')
		await expect.poll(() => noteTexts(bob.page), { timeout: 10_000 }).toEqual(['Draft problem'])
		const noteLeft = async (page: Page) => (await page.locator(NOTE).boundingBox())?.x ?? NaN
		const leftBefore = await noteLeft(alice.page)

		// Alice drags the sticky 200 px to the right.
		await alice.page.mouse.move(400, 300)
		await alice.page.mouse.down()
		await alice.page.mouse.move(600, 300, { steps: 10 })
		await alice.page.mouse.up()
		await expect.poll(() => noteLeft(bob.page), { timeout: 10_000 }).toBeCloseTo(leftBefore + 200, -1)

		// Bob rewrites the text of the same sticky.
		await bob.page.mouse.dblclick(600, 300)
		await bob.page.waitForSelector('[contenteditable="true"]')
		await bob.page.keyboard.press('Control+a')
		await bob.page.keyboard.type('Edited by Bob')
		await bob.page.keyboard.press('Escape')
		await expect.poll(() => noteTexts(alice.page), { timeout: 10_000 }).toEqual(['Edited by Bob'])

		// Alice undoes her move: the sticky goes back, Bob's text stays (tldraw's
		// own history would have restored the whole record, text included).
		await alice.page.keyboard.press('Escape')
		await alice.page.keyboard.press('Control+z')
		await expect.poll(() => noteLeft(bob.page), { timeout: 10_000 }).toBeCloseTo(leftBefore, -1)
		expect(await noteTexts(bob.page)).toEqual(['Edited by Bob'])
		expect(await noteTexts(alice.page)).toEqual(['Edited by Bob'])
		await alice.context.close()
		await bob.context.close()
	})
})
