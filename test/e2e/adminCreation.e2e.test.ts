/**
 * BOARD_CREATION=admin in Chromium (docs/deployment.md): the landing page's
 * "Create board" and "Import" ask for the admin token once, say so clearly
 * when it is wrong, then run the refused action with it; the tab remembers
 * the token (sessionStorage) so the next creation asks nothing, and a token
 * the server no longer accepts is asked for again with the reason.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdefghijklmnop'
const SHOTS = process.env.E2E_SCREENSHOT_DIR

async function shot(page: Page, name: string): Promise<void> {
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` })
}

describe('landing page with BOARD_CREATION=admin', () => {
	const t = useTestbed('workshop-board-e2e-admin-', { BOARD_CREATION: 'admin', ADMIN_TOKEN })

	it('asks for the admin token once, explains a wrong one, creates with the right one and remembers it for the tab', async () => {
		const { page, foreignRequests } = await newParticipant(t.browser, t.server.url)
		await page.goto(t.server.url)
		await page.fill('[data-testid=board-title]', 'Admin-made board')
		await page.click('[data-testid=new-board]')

		const prompt = page.locator('[data-testid=admin-token-prompt]')
		await prompt.waitFor({ state: 'visible', timeout: 10_000 })
		expect(await prompt.textContent()).toContain('ADMIN_TOKEN')
		// The field has the focus: the admin can type at once.
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('admin-token-input')
		await shot(page, 'admin-token-prompt')

		await page.keyboard.type('not-the-admin-token-at-all-0000000000')
		await page.keyboard.press('Enter')
		const error = page.locator('[data-testid=admin-token-error]')
		await error.waitFor({ state: 'visible', timeout: 10_000 })
		expect(await error.textContent()).toMatch(/not accepted by this server/)
		expect(await page.locator('[data-testid=board-links]').count()).toBe(0)
		expect(await page.evaluate(() => sessionStorage.getItem('workshop-board:admin-token'))).toBeNull()
		await shot(page, 'admin-token-wrong')

		await page.fill('[data-testid=admin-token-input]', ADMIN_TOKEN)
		await page.click('[data-testid=admin-token-submit]')
		await page.locator('[data-testid=board-links]').waitFor({ state: 'visible', timeout: 10_000 })
		const facilitatorLink = await page.inputValue('[data-testid=link-facilitator]')
		expect(facilitatorLink).toMatch(/\/b\/[A-Za-z0-9_-]+\?token=/)
		await shot(page, 'admin-token-created')

		// Asked once: after a reload the same tab creates without a prompt.
		await page.reload()
		await page.click('[data-testid=new-board]')
		await page.locator('[data-testid=board-links]').waitFor({ state: 'visible', timeout: 10_000 })
		expect(await page.locator('[data-testid=admin-token-prompt]').count()).toBe(0)
		expect(await page.inputValue('[data-testid=link-facilitator]')).not.toBe(facilitatorLink)

		// The board it made is a real one: it opens and connects.
		await page.goto(facilitatorLink)
		await page.waitForSelector('.tl-canvas', { timeout: 30_000 })
		expect(foreignRequests).toEqual([])
		await page.context().close()
	})

	it('import asks for the token too and runs the import with it; a remembered token that stopped working is asked for again', async () => {
		// A valid export to import: made through the API with the admin token, as a script would.
		const made = await fetch(`${t.server.url}/api/boards`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
			body: JSON.stringify({ title: 'To be imported', template: 'retro' }),
		})
		expect(made.status).toBe(201)
		const { id, links } = (await made.json()) as { id: string; links: { viewer: string } }
		const viewerToken = new URL(links.viewer).searchParams.get('token') ?? ''
		const exported = await (await fetch(`${t.server.url}/api/boards/${id}/export.json?token=${viewerToken}`)).text()

		const { page } = await newParticipant(t.browser, t.server.url)
		await page.goto(t.server.url)
		// A token remembered from before that the server does not accept (ADMIN_TOKEN changed since).
		await page.evaluate(() => sessionStorage.setItem('workshop-board:admin-token', 'an-old-admin-token-the-server-changed-000'))
		await page.setInputFiles('[data-testid=import-file]', { name: 'retro.json', mimeType: 'application/json', buffer: Buffer.from(exported) })
		const prompt = page.locator('[data-testid=admin-token-prompt]')
		await prompt.waitFor({ state: 'visible', timeout: 10_000 })
		expect(await prompt.textContent()).toContain('import retro.json')
		expect(await page.locator('[data-testid=admin-token-error]').textContent()).toMatch(/remembered is no longer accepted/)
		await shot(page, 'admin-token-import-stale')

		await page.fill('[data-testid=admin-token-input]', ADMIN_TOKEN)
		await page.click('[data-testid=admin-token-submit]')
		await page.locator('[data-testid=board-links]').waitFor({ state: 'visible', timeout: 10_000 })
		expect(await page.evaluate(() => sessionStorage.getItem('workshop-board:admin-token'))).toBe(ADMIN_TOKEN)
		// The imported copy has the exported board's title.
		const facilitatorLink = await page.inputValue('[data-testid=link-facilitator]')
		const copyId = new URL(facilitatorLink).pathname.split('/').pop() ?? ''
		const copyToken = new URL(facilitatorLink).searchParams.get('token') ?? ''
		const copy = (await (await fetch(`${t.server.url}/api/boards/${copyId}/export.json?token=${copyToken}`)).json()) as { board: { title: string } }
		expect(copy.board.title).toBe('To be imported')
		await page.context().close()
	})
})
