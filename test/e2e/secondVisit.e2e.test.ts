/**
 * End-to-end: a second visit opens from this device's IndexedDB copy before
 * the server's sync arrives (issue #15 item 4). When that copy is stale —
 * someone else added and deleted stickies meanwhile — the page must end up
 * with exactly the server's board, and must not write the stale state back.
 */
import { describe, expect, it } from 'vitest'
import { seedBoards } from '../integration/helpers'
import { NOTE, createSticky, noteTexts, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

describe('second visit with a stale local copy', () => {
	const t = useTestbed('workshop-board-e2e-second-visit-')

	it('shows the local copy, then converges to the server (additions, edits and deletions made meanwhile)', async () => {
		const boardId = `e2e-second-visit-${Date.now()}`
		await seedBoards(t.dataDir, [boardId], { databaseUrl: process.env.DATABASE_URL })
		const boardUrl = `${t.server.url}/b/${boardId}`

		// First visit: Ada writes three stickies; her browser keeps the IndexedDB copy.
		const ada = await newParticipant(t.browser, t.server.url, { name: 'Ada' })
		await ada.page.goto(boardUrl)
		await waitConnected(ada.page)
		await createSticky(ada.page, 300, 250, 'keep me')
		await createSticky(ada.page, 600, 250, 'delete me')
		await createSticky(ada.page, 900, 250, 'edit me')
		await expect.poll(() => noteTexts(ada.page), { timeout: 10_000 }).toEqual(['delete me', 'edit me', 'keep me'])
		await expect.poll(() => ada.page.getAttribute('[data-testid=board-status]', 'data-unsynced'), { timeout: 10_000 }).toBe('false')
		await ada.page.waitForTimeout(1_000) // y-indexeddb writes each update as it happens; let the last one land
		await ada.page.close()

		// Meanwhile Bo deletes one, edits one and adds one.
		const bo = await newParticipant(t.browser, t.server.url, { name: 'Bo' })
		await bo.page.goto(boardUrl)
		await waitConnected(bo.page)
		await expect.poll(() => noteTexts(bo.page), { timeout: 10_000 }).toEqual(['delete me', 'edit me', 'keep me'])
		await noteWith(bo.page, 'delete me').click()
		await bo.page.keyboard.press('Delete')
		await noteWith(bo.page, 'edit me').dblclick()
		await bo.page.waitForSelector('[contenteditable="true"]', { timeout: 5_000 })
		await bo.page.keyboard.press('ControlOrMeta+a')
		await bo.page.keyboard.type('edited by Bo')
		await bo.page.keyboard.press('Escape')
		await createSticky(bo.page, 600, 500, 'added while away')
		const serverState = ['added while away', 'edited by Bo', 'keep me']
		await expect.poll(() => noteTexts(bo.page), { timeout: 10_000 }).toEqual(serverState)

		// Second visit, same browser profile: the stale copy opens, the server's state wins.
		const again = await ada.context.newPage()
		const seen: string[][] = []
		await again.goto(boardUrl)
		await again.waitForSelector(NOTE, { timeout: 30_000 })
		seen.push(await noteTexts(again))
		await waitConnected(again)
		await expect.poll(() => noteTexts(again), { timeout: 15_000 }).toEqual(serverState)
		await again.screenshot({ path: 'test-results/second-visit-converged.png' })

		// The stale copy wrote nothing back: Bo (and a newcomer) still see the server's state.
		await bo.page.waitForTimeout(1_000)
		expect(await noteTexts(bo.page)).toEqual(serverState)
		const newcomer = await newParticipant(t.browser, t.server.url, { name: 'Cy' })
		await newcomer.page.goto(boardUrl)
		await waitConnected(newcomer.page)
		await expect.poll(() => noteTexts(newcomer.page), { timeout: 10_000 }).toEqual(serverState)
		// What the page showed first was the local copy or already the server's state, never a mix of anything else.
		expect([['delete me', 'edit me', 'keep me'], serverState]).toContainEqual(seen[0])

		await Promise.all([ada.context.close(), bo.context.close(), newcomer.context.close()])
	})
})
