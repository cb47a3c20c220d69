/**
 * End-to-end: axe-core (the engine behind Lighthouse's accessibility audit),
 * loaded from node_modules into the real page, finds no serious or critical
 * violation on the landing page or on a board with a typed sticky selected (its inspector open).
 */
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSticky, createTemplateBoard, waitConnected } from './boardActions'
import { launchBrowser } from './browser'
import { useTestbed } from './testbed'

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

interface AxeViolation {
	id: string
	impact: string | null
	help: string
	nodes: { target: string[] }[]
}

async function seriousViolations(page: Page, exclude: string[] = []): Promise<string[]> {
	await page.addScriptTag({ path: AXE_PATH })
	const violations = await page.evaluate(async (excluded) => {
		const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe
		const result = await axe.run({ exclude: excluded.map((selector) => [selector]) }, { resultTypes: ['violations'] })
		return result.violations
	}, exclude)
	return violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)
}

/** A person's browser profile; CSP bypassed only so axe's script can be injected into the page. */
async function openPage(browser: Awaited<ReturnType<typeof launchBrowser>>) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true })
	await context.addInitScript(() => window.localStorage.setItem('workshop-board:user', JSON.stringify({ id: 'e2e-ada-0001', name: 'Ada', color: '#1971c2' })))
	return { context, page: await context.newPage() }
}

describe('accessibility (axe-core)', () => {
	const t = useTestbed('workshop-board-e2e-a11y-')

	it('the landing page has no serious or critical violation', async () => {
		const { page, context } = await openPage(t.browser)
		await page.goto(t.server.url)
		await page.waitForSelector('[data-testid=new-board]')
		expect(await seriousViolations(page)).toEqual([])
		await context.close()
	})

	it('a board page with a typed sticky selected has no serious or critical violation', async () => {
		const created = await createTemplateBoard(t.server.url, 'blank', 'Accessible board')
		const { page, context } = await openPage(t.browser)
		await page.goto(created.links.facilitator)
		await waitConnected(page)
		await createSticky(page, 500, 350, 'Onboarding is confusing')
		await page.keyboard.press('2')
		expect(await seriousViolations(page)).toEqual([])
		await context.close()
	})
})
