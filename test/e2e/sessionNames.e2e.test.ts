/**
 * End-to-end: the name a person types in the name dialog is the name the
 * session knows them by — in named vote results and under "Follow me" — at
 * once, without a reload (#10 item 2: the session join went out before the
 * dialog was answered and was never repeated).
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSticky, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

async function answerNameDialog(page: Page, name: string) {
	await page.waitForSelector('[data-testid=name-input]', { timeout: 10_000 })
	await page.fill('[data-testid=name-input]', name)
	await page.click('[data-testid=name-submit]')
	await page.waitForSelector('[data-testid=name-input]', { state: 'detached' })
}

describe('names typed in the name dialog', () => {
	const t = useTestbed('workshop-board-e2e-names-')

	it('reach named vote results and "Presenting" without a reload', async () => {
		const created = await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()
		// No stored identity: both are asked for their name after the board (and the session) connected.
		const fran = await newParticipant(t.browser, t.server.url)
		const pat = await newParticipant(t.browser, t.server.url)
		await fran.page.goto(created.links.facilitator)
		await pat.page.goto(created.links.participant)
		await waitConnected(fran.page)
		await waitConnected(pat.page)
		await fran.page.waitForSelector('[data-testid=role-badge]', { timeout: 10_000 })
		await pat.page.waitForSelector('[data-testid=role-badge]', { timeout: 10_000 })
		await answerNameDialog(fran.page, 'Fran')
		await answerNameDialog(pat.page, 'Pat')

		await createSticky(fran.page, 420, 320, 'Guided setup checklist')
		await fran.page.keyboard.press('Escape')
		await expect.poll(() => noteWith(pat.page, 'Guided setup checklist').count(), { timeout: 10_000 }).toBe(1)

		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.fill('[data-testid=voting-title]', 'Named vote')
		await fran.page.uncheck('[data-testid=voting-anonymous]')
		await fran.page.uncheck('[data-testid=voting-hide]')
		await fran.page.click('[data-testid=voting-start]')
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]'), { timeout: 10_000 }).toBe('5')
		await noteWith(pat.page, 'Guided setup checklist').locator('[data-testid=vote-add]').click()
		await expect.poll(() => pat.page.innerText('[data-testid=dots-left]')).toBe('4')
		await fran.page.click('[data-testid=voting-close]')
		await fran.page.click('[data-testid=panel-votes]')
		await expect.poll(() => fran.page.locator('[data-testid=results-closed] li').allInnerTexts(), { timeout: 10_000 }).toEqual([
			expect.stringContaining('Pat ×1'),
		])
		expect(await fran.page.innerText('[data-testid=results-closed]')).not.toContain('Anonymous')

		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=follow-me]')
		await expect.poll(() => pat.page.innerText('[data-testid=session-bar]'), { timeout: 10_000 }).toContain('Presenting: Fran')

		for (const who of [fran, pat]) await who.context.close()
	})
})
