/**
 * Takes the README's screenshots (docs/images/) the way a workshop starts and
 * goes: a facilitator and a participant open a new discovery board, add a few
 * stickies, run a dot vote and close it. Needs a built client (`npm run build`)
 * and Chromium at /usr/bin/chromium.
 *
 *   npm run build && npm run screenshots
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { launchBrowser } from '../test/e2e/browser'
import { makeTempDir, removeDir, REPO_ROOT, startServerProcess } from '../test/integration/helpers'

const OUT_DIR = path.join(REPO_ROOT, 'docs/images')
const VIEWPORT = { width: 1366, height: 768 }

async function waitConnected(page: Page) {
	await page.waitForSelector('.tl-canvas', { timeout: 30_000 })
	await page.waitForSelector('[data-testid=board-status][data-state=connected]', { timeout: 15_000 })
	await page.waitForTimeout(800)
}

async function main() {
	const dataDir = await makeTempDir('workshop-board-screenshots-')
	const server = await startServerProcess({ dataDir })
	const browser = await launchBrowser()
	try {
		const response = await fetch(`${server.url}/api/boards`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ title: 'Onboarding discovery', template: 'discovery' }),
		})
		const created = (await response.json()) as { links: Record<'facilitator' | 'participant', string> }
		const open = async (link: string, name: string) => {
			const context = await browser.newContext({ viewport: VIEWPORT })
			await context.addInitScript((user) => window.localStorage.setItem('workshop-board:user', JSON.stringify(user)), {
				id: `shots-${name}`,
				name,
				color: name === 'Fran' ? '#e03131' : '#1971c2',
			})
			const page = await context.newPage()
			await page.goto(link)
			await waitConnected(page)
			return page
		}
		const fran = await open(created.links.facilitator, 'Fran')
		const pat = await open(created.links.participant, 'Pat')
		await fran.screenshot({ path: path.join(OUT_DIR, 'facilitator-start.png') })
		await pat.screenshot({ path: path.join(OUT_DIR, 'participant-start.png') })

		// Both zoom to stage 3 (click its heading, Shift+2), where the participant writes three ideas.
		const stage3 = async (page: Page) => {
			await page.locator('.tl-frame-heading', { hasText: /^\s*3 ·/ }).first().click()
			await page.keyboard.press('Shift+2')
			await page.waitForTimeout(500)
			await page.keyboard.press('Escape')
			return (await page.locator('.tl-frame-heading', { hasText: /^\s*3 ·/ }).first().boundingBox())!
		}
		const frame = await stage3(pat)
		await stage3(fran)
		const ideas = ['Guided setup checklist', 'Invite teammates in step 1', 'Sample board on sign-up']
		for (const [index, text] of ideas.entries()) {
			await pat.keyboard.press('Escape')
			await pat.keyboard.press('n')
			await pat.mouse.click(frame.x + 140 + index * 250, frame.y + 200)
			await pat.waitForSelector('[contenteditable="true"]', { timeout: 5_000 })
			await pat.keyboard.type(text)
			await pat.keyboard.press('Escape')
			// Stage 1 makes problems; these are ideas (kind shortcut 1), which the vote is for.
			await pat.keyboard.press('1')
			await pat.keyboard.press('Escape')
		}
		await fran.waitForFunction((count) => document.querySelectorAll('.tl-shape[data-shape-type="note"]').length >= count, ideas.length)

		await fran.click('[data-testid=panel-facilitate]')
		await fran.click('[data-testid=fac-tab-voting]')
		await fran.fill('[data-testid=voting-title]', 'What should we try first?')
		await fran.fill('[data-testid=voting-budget]', '3')
		await fran.click('[data-testid=voting-start]')
		await pat.waitForSelector('[data-testid=dots-left]', { timeout: 10_000 })
		const vote = (text: string) => pat.locator('.tl-shape[data-shape-type="note"]', { hasText: text }).locator('[data-testid=vote-add]').click()
		await vote('Guided setup checklist')
		await vote('Guided setup checklist')
		await vote('Sample board on sign-up')
		await pat.waitForTimeout(500)
		await fran.click('[data-testid=voting-close]')
		await pat.waitForSelector('[data-testid=vote-count]', { timeout: 10_000 })
		await pat.click('[data-testid=panel-votes]')
		await fran.waitForTimeout(800)
		await fran.screenshot({ path: path.join(OUT_DIR, 'facilitator-after-vote.png') })
		await pat.screenshot({ path: path.join(OUT_DIR, 'participant-after-vote.png') })
		console.log(`screenshots written to ${path.relative(REPO_ROOT, OUT_DIR)}/`)
	} finally {
		await browser.close()
		await server.stop()
		await removeDir(dataDir)
	}
}

await fs.mkdir(OUT_DIR, { recursive: true })
await main()
