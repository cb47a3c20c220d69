/**
 * Guarantee 7, browser part (docs/reliability.md): the Content-Security-Policy
 * of server/http/securityHeaders.ts lets the real built tldraw client run —
 * board loads, connects, a sticky is created and a PNG export is made — with
 * no CSP violation; and the policy is enforced (an injected inline script is
 * refused), so this test would notice a policy that is too loose as well.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { seedBoards } from '../integration/helpers'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

interface Violation {
	directive: string
	blockedURI: string
	/** Script URL, line and column that caused it. */
	source: string
}

declare global {
	interface Window {
		__cspViolations?: Violation[]
		__inlineScriptRan?: boolean
	}
}

/** Records every securitypolicyviolation event of the page, from the first script on. */
async function recordViolations(page: Page, consoleMessages: string[]): Promise<() => Promise<Violation[]>> {
	page.on('console', (message) => consoleMessages.push(message.text()))
	await page.addInitScript(() => {
		window.__cspViolations = []
		document.addEventListener('securitypolicyviolation', (event) => {
			window.__cspViolations?.push({
				directive: event.violatedDirective,
				blockedURI: event.blockedURI,
				source: `${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
			})
		})
	})
	return () => page.evaluate(() => window.__cspViolations ?? [])
}

const refused = (messages: string[]) => messages.filter((text) => /Refused to|Content Security Policy/i.test(text))

describe('Content-Security-Policy in Chromium', () => {
	const t = useTestbed('workshop-board-e2e-csp-', { ROOM_UNLOAD_DELAY_MS: '1000' })

	it('the board loads, syncs, draws and exports with no CSP violation at all; inline script is refused', async () => {
		const { page, foreignRequests } = await newParticipant(t.browser, t.server.url, { name: 'Casey' })
		const consoleMessages: string[] = []
		const violations = await recordViolations(page, consoleMessages)

		const boardId = `csp-board-${Date.now()}`
		// Sockets to boards that were never created get 4404: create it as board-admin would.
		await seedBoards(t.dataDir, [boardId], { databaseUrl: process.env.DATABASE_URL })
		const response = await page.goto(`${t.server.url}/b/${boardId}`)
		expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
		await page.waitForSelector('.tl-canvas', { timeout: 30_000 })
		await expect.poll(() => page.getAttribute('[data-testid=board-status]', 'data-state'), { timeout: 15_000 }).toBe('connected')

		// Draw a sticky (fonts, inline styles, SVG icons) and export a PNG (blob:/data: images, canvas).
		await page.keyboard.press('n')
		await page.mouse.click(500, 350)
		await page.waitForSelector('[contenteditable="true"]', { timeout: 5_000 })
		await page.keyboard.type('CSP keeps us safe')
		await page.keyboard.press('Escape')
		await expect.poll(() => page.locator('.tl-shape[data-shape-type="note"] .tl-rich-text').allInnerTexts()).toEqual(['CSP keeps us safe'])
		await page.click('[data-testid=panel-export]')
		const [download] = await Promise.all([
			page.waitForEvent('download', { timeout: 20_000 }),
			page.getByRole('button', { name: /^PNG of/ }).click(),
		])
		expect(download.suggestedFilename()).toMatch(/\.png$/)
		await page.evaluate(() => document.fonts.ready.then(() => undefined))

		const seen = await violations()
		// None at all: the client runs zod jitless, so not even its eval probe is refused.
		expect(seen).toEqual([])
		expect(refused(consoleMessages)).toEqual([])
		expect(foreignRequests).toEqual([])

		// The policy is live: an inline script injected into the page does not run.
		await page.evaluate(() => {
			const script = document.createElement('script')
			script.textContent = 'window.__inlineScriptRan = true'
			document.head.append(script)
		})
		await expect.poll(() => violations().then((list) => list.map((v) => v.directive))).toContain('script-src-elem')
		expect(await page.evaluate(() => window.__inlineScriptRan ?? false)).toBe(false)
	})
})
