/**
 * Scenario 8 — what a browser downloads and when. The app's own production
 * build is served by our server and opened in headless Chromium:
 *   landing  `/`: the JavaScript it downloads (decoded bytes of every script)
 *   board    `/b/<id>` as a participant: when the sync socket is created and
 *            when the canvas chunk (tldraw, ~1.8 MB) has been evaluated (the
 *            `canvas-module-evaluated` mark in BoardPage.tsx), both from
 *            navigation start. The socket must not wait for the canvas code.
 * Medians over several cold loads (a fresh browser context each time).
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { metric, type ScenarioOptions, type ScenarioResult } from '../lib/report'
import { REPO_ROOT, startOurs } from '../lib/servers'
import { median, round } from '../lib/stats'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/e2e/browser'

const APP_DIST = path.join(REPO_ROOT, 'node_modules/.cache/workshop-board-bench/app-dist')
const LANDING_JS_TARGET_KB = 250

function buildApp(log: (line: string) => void): void {
	log('page load: building the app (vite)…')
	const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', APP_DIST, '--emptyOutDir'], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		timeout: 300_000,
	})
	if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`)
}

interface ScriptLoad {
	name: string
	decodedBytes: number
}

async function scriptsOf(browser: Browser, url: string, waitFor: string) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
	// Every socket the page creates, with its time from navigation start.
	await context.addInitScript(() => {
		const NativeWebSocket = window.WebSocket
		const created: number[] = []
		;(window as unknown as { __socketsCreatedAt: number[] }).__socketsCreatedAt = created
		window.WebSocket = class extends NativeWebSocket {
			constructor(...args: ConstructorParameters<typeof WebSocket>) {
				created.push(performance.now())
				super(...args)
			}
		}
	})
	const page = await context.newPage()
	try {
		await page.goto(url)
		await page.waitForSelector(waitFor, { timeout: 60_000 })
		return await page.evaluate(() => ({
			scripts: performance
				.getEntriesByType('resource')
				.filter((entry): entry is PerformanceResourceTiming => entry instanceof PerformanceResourceTiming && entry.name.endsWith('.js'))
				.map((entry) => ({ name: new URL(entry.name).pathname, decodedBytes: entry.decodedBodySize })),
			socketsCreatedAt: (window as unknown as { __socketsCreatedAt: number[] }).__socketsCreatedAt,
			canvasEvaluatedAt: performance.getEntriesByName('canvas-module-evaluated')[0]?.startTime ?? null,
		}))
	} finally {
		await context.close()
	}
}

export async function pageLoadScenario({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
	const runs = quick ? 3 : 7
	buildApp(log)
	const server = await startOurs({ env: { CLIENT_DIST_DIR: APP_DIST } })
	const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
	const httpUrl = server.wsUrl.replace(/^ws:/, 'http:').replace(/\/sync$/, '')
	try {
		const created = await fetch(`${httpUrl}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Page load', template: 'discovery' }) })
		if (!created.ok) throw new Error(`creating the board failed: ${created.status}`)
		const { links } = (await created.json()) as { links: { participant: string } }
		const participantUrl = new URL(links.participant, httpUrl).toString()

		const landingKb: number[] = []
		const landingScripts: string[] = []
		const socketMs: number[] = []
		const canvasEvaluatedMs: number[] = []
		const canvasKb: number[] = []
		for (let run = 0; run < runs; run++) {
			const landing = await scriptsOf(browser, httpUrl, '[data-testid=new-board]')
			landingKb.push(landing.scripts.reduce((sum, script) => sum + script.decodedBytes, 0) / 1000)
			if (run === 0) landingScripts.push(...landing.scripts.map((script) => script.name))
			const board = await scriptsOf(browser, participantUrl, '.tl-container')
			const canvas = board.scripts.find((script: ScriptLoad) => /\/BoardPage-[^/]*\.js$/.test(script.name))
			if (!canvas) throw new Error(`no canvas chunk among ${board.scripts.map((script) => script.name).join(', ')}`)
			if (board.socketsCreatedAt.length === 0) throw new Error('the board page opened no socket')
			if (board.canvasEvaluatedAt === null) throw new Error('no canvas-module-evaluated mark')
			socketMs.push(board.socketsCreatedAt[0])
			canvasEvaluatedMs.push(board.canvasEvaluatedAt)
			canvasKb.push(canvas.decodedBytes / 1000)
		}
		const landing = round(median(landingKb), 1)
		const socket = round(median(socketMs), 1)
		const canvas = round(median(canvasEvaluatedMs), 1)
		log(`page load: landing ${landing} kB of JS (${landingScripts.join(', ')}); board: socket at ${socket} ms, canvas chunk (${round(median(canvasKb), 0)} kB) evaluated at ${canvas} ms`)
		return {
			id: '8 page load',
			title: 'What the browser downloads: landing page JS; board socket vs canvas code',
			referenceLabel: 'canvas chunk evaluated (for the socket time)',
			metrics: [
				metric('landing page JavaScript', 'kB', landing, null, { text: `≤ ${LANDING_JS_TARGET_KB} kB`, met: landing !== null && landing <= LANDING_JS_TARGET_KB }),
				metric('board page: sync socket created', 'ms', socket, canvas, { text: 'before the canvas code runs', met: socket !== null && canvas !== null && socket < canvas }),
				metric('board page: canvas chunk', 'kB', round(median(canvasKb), 0), null),
			],
			details: { runs, landingKb, landingScripts, socketMs, canvasEvaluatedMs, canvasKb },
			notes: ['decoded (uncompressed) script bytes; a cold browser context per load, served from localhost'],
		}
	} finally {
		await browser.close()
		await server.stop()
	}
}
