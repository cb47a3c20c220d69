/**
 * End-to-end: the facilitator shows the participant and viewer links again
 * from "Share" on the board page, without rotating them (the server keeps only
 * hashes; this browser kept the links when the board was created).
 */
import { describe, expect, it } from 'vitest'
import { createBoardFromLanding, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

describe('share the role links again', () => {
	const t = useTestbed('workshop-board-e2e-share-')

	it('shows the participant and viewer links from Share, with a QR code, and they still work', async () => {
		const { page, context } = await newParticipant(t.browser, t.server.url, { name: 'Fio' })
		await createBoardFromLanding(page, t.server.url, 'blank', 'Share me')
		const participantLink = await page.inputValue('[data-testid=link-participant]')
		const viewerLink = await page.inputValue('[data-testid=link-viewer]')
		await page.click('[data-testid=open-as-facilitator]')
		await waitConnected(page)
		await page.reload() // later, on the board page
		await waitConnected(page)

		await page.click('[data-testid=share-open]')
		await expect.poll(() => page.inputValue('[data-testid=share-link-participant]')).toBe(participantLink)
		expect(await page.inputValue('[data-testid=share-link-viewer]')).toBe(viewerLink)
		expect(await page.getAttribute('[data-testid=share-qr]', 'src')).toMatch(/^data:image\//)

		// Not rotated: the participant link still opens the board as a participant.
		const other = await newParticipant(t.browser, t.server.url, { name: 'Pat' })
		await other.page.goto(participantLink)
		await waitConnected(other.page)
		await expect.poll(() => other.page.locator('.board-top').innerText()).toContain('Participant')
		await other.context.close()
		await context.close()
	})
})
