/** Real headless Chromium for the end-to-end tests (Debian's package, never a downloaded build). */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
]

export async function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
}

/**
 * A fresh browser profile (its own storage, like a separate person) that
 * records every request leaving the app's host so tests can assert none do.
 */
export async function newParticipant(
	browser: Browser,
	appOrigin: string,
	user?: { name: string; color?: string },
): Promise<{ context: BrowserContext; page: Page; foreignRequests: string[]; consoleErrors: string[] }> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
	const foreignRequests: string[] = []
	const consoleErrors: string[] = []
	const origin = new URL(appOrigin)
	context.on('request', (request) => {
		const url = new URL(request.url())
		const isLocal = url.host === origin.host || ['data:', 'blob:'].includes(url.protocol)
		if (!isLocal) foreignRequests.push(request.url())
	})
	if (user) {
		await context.addInitScript((stored) => {
			window.localStorage.setItem('workshop-board:user', JSON.stringify(stored))
		}, { id: `e2e-${user.name}`, name: user.name, color: user.color ?? '#1971c2' })
	}
	const page = await context.newPage()
	page.on('console', (msg) => {
		if (msg.type() === 'error') consoleErrors.push(msg.text())
	})
	page.on('pageerror', (err) => consoleErrors.push(String(err)))
	return { context, page, foreignRequests, consoleErrors }
}
