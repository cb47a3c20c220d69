/**
 * End-to-end: a room-wide reaction floats over the other person's canvas
 * with the sender's name, and over the sender's own; viewers can react too.
 */
import { describe, expect, it } from 'vitest'
import { createTemplateBoard, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

describe('room reactions', () => {
	const t = useTestbed('workshop-board-e2e-reactions-')

	it('a viewer’s applause is seen by the participant, with the viewer’s name, and never stored', async () => {
		const board = await createTemplateBoard(t.server.url, 'blank', 'Reactions')
		const alice = await newParticipant(t.browser, t.server.url, { name: 'Alice', color: '#2f9e44' })
		const vic = await newParticipant(t.browser, t.server.url, { name: 'Vic', color: '#e8590c' })
		await alice.page.goto(board.links.participant)
		await waitConnected(alice.page)
		await vic.page.goto(board.links.viewer)
		await waitConnected(vic.page)

		await vic.page.getByTestId('reactions-toggle').click()
		await vic.page.getByRole('button', { name: 'React: Applause' }).click()
		// The sender sees it at once…
		await expect.poll(() => vic.page.getByTestId('room-reaction').allInnerTexts(), { timeout: 5_000 }).toEqual([expect.stringContaining('You')])
		// …and the other person with the sender's name.
		await expect.poll(() => alice.page.getByTestId('room-reaction').allInnerTexts(), { timeout: 5_000 }).toEqual([expect.stringMatching(/👏\s*Vic/)])
		await alice.page.screenshot({ path: 'test-results/reaction.png' })
		// It floats away.
		await expect.poll(() => alice.page.getByTestId('room-reaction').count(), { timeout: 6_000 }).toBe(0)

		// Nothing about it is in the board's data.
		const token = new URL(board.links.participant).searchParams.get('token')
		const response = await fetch(`${t.server.url}/api/boards/${board.id}/export.json?token=${token}`)
		expect(response.status).toBe(200)
		expect(await response.text()).not.toContain('👏')
		await alice.context.close()
		await vic.context.close()
	})
})
