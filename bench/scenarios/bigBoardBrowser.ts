/**
 * Scenario 4 — a big board in headless Chromium. The bench page
 * (bench/browser/) is served by our server (CLIENT_DIST_DIR) and opened in
 * two modes with the same board:
 *   sync      the app's path: y-websocket sync from our server, bindStoreToYDoc, <Tldraw>
 *   snapshot  tldraw alone loading the same records from a store snapshot (no sync)
 * Time = navigation start → editor mounted, every shape in the store and two
 * frames painted. Then the frame rate of the synced page, idle and while a
 * remote client drags a sticky at 60 Hz.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { makeStickyBoard, seedBoard, startRemoteDrag } from '../lib/boardDoc'
import { metric, type ScenarioResult } from '../lib/report'
import { REPO_ROOT, startOurs } from '../lib/servers'
import { median, round } from '../lib/stats'
// Debian's Chromium with the flags this machine needs, exactly as the browser tests launch it.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/e2e/browser'

export const DIST = path.join(REPO_ROOT, 'node_modules/.cache/workshop-board-bench/browser-dist')
const BUILD_STAMP = path.join(DIST, '.built-at')
const SOURCE_DIRS = ['bench/browser', 'client/sync', 'client/board', 'client/presence', 'shared'].map((dir) => path.join(REPO_ROOT, dir))

function newestMtime(dir: string): number {
	let newest = 0
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name)
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs)
	}
	return newest
}

/** Builds the bench page with vite unless an up-to-date build exists. */
export function ensureBrowserBuild(log: (line: string) => void): void {
	const builtAt = fs.existsSync(BUILD_STAMP) ? fs.statSync(BUILD_STAMP).mtimeMs : 0
	if (builtAt > Math.max(...SOURCE_DIRS.map(newestMtime))) return
	log('big board: building the bench page (vite)…')
	const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'bench/browser/vite.config.ts'], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		timeout: 300_000,
	})
	if (result.status !== 0) throw new Error(`vite build of bench/browser failed:\n${result.stdout}\n${result.stderr}`)
	fs.writeFileSync(BUILD_STAMP, new Date().toISOString())
}

export interface FrameSample {
	frames: number
	ms: number
	longestFrameMs: number
}

/** Takes `count` frame samples one after another; returns the one with the median frame rate. */
export async function medianFrameSample(take: () => Promise<FrameSample>, count: number): Promise<FrameSample & { allFps: number[] }> {
	const taken: FrameSample[] = []
	for (let i = 0; i < count; i++) taken.push(await take())
	const fpsOf = (sample: FrameSample): number => (sample.frames / sample.ms) * 1000
	const sorted = [...taken].sort((a, b) => fpsOf(a) - fpsOf(b))
	return { ...sorted[Math.floor((sorted.length - 1) / 2)], allFps: taken.map((sample) => Math.round(fpsOf(sample) * 10) / 10) }
}

interface PageLoad {
	mode: 'sync' | 'snapshot'
	storeReadyMs: number
	mountedMs: number
	readyMs: number
	shapes: number
}

export async function openBoardPage(browser: Browser, url: string, mode: 'sync' | 'snapshot', timeoutMs: number) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
	const page = await context.newPage()
	const errors: string[] = []
	page.on('pageerror', (error) => errors.push(String(error)))
	await page.goto(url)
	try {
		await page.waitForFunction(() => window.__bench?.readyAt !== null || window.__bench?.error !== null, undefined, { timeout: timeoutMs, polling: 50 })
	} catch (error) {
		throw new Error(`${mode} page not ready within ${timeoutMs} ms: ${errors.join('; ') || String(error)}`)
	}
	const state = await page.evaluate(() => ({ ...window.__bench }))
	if (state.error) throw new Error(`${mode} page failed: ${state.error}`)
	const load: PageLoad = {
		mode,
		storeReadyMs: round(state.storeReadyAt) ?? 0,
		mountedMs: round(state.mountedAt) ?? 0,
		readyMs: round(state.readyAt) ?? 0,
		shapes: state.shapes,
	}
	return { load, page, close: () => context.close() }
}

export async function bigBoardScenario({
	quick,
	log,
	profileDir,
}: {
	quick: boolean
	log: (line: string) => void
	profileDir?: string
}): Promise<ScenarioResult> {
	const stickies = quick ? 2_000 : 5_000
	const runs = quick ? 1 : 3
	ensureBrowserBuild(log)
	const board = makeStickyBoard(stickies)
	fs.writeFileSync(path.join(DIST, 'bench-snapshot.json'), JSON.stringify(board.snapshot))
	const server = await startOurs({ env: { CLIENT_DIST_DIR: DIST } })
	const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
	const boardId = `bigboard-${Date.now().toString(36)}`
	await server.createBoard(boardId)
	const httpUrl = server.wsUrl.replace(/^ws:/, 'http:').replace(/\/sync$/, '')
	try {
		const host = await seedBoard(server.wsUrl, boardId, board.update)
		const loads: PageLoad[] = []
		for (let i = 0; i < runs; i++) {
			for (const mode of ['snapshot', 'sync'] as const) {
				const url = `${httpUrl}/?mode=${mode}&board=${boardId}&count=${stickies}`
				const opened = await openBoardPage(browser, url, mode, 120_000)
				log(`big board: ${mode.padEnd(8)} store ${opened.load.storeReadyMs} ms, mounted ${opened.load.mountedMs} ms, ready ${opened.load.readyMs} ms, ${opened.load.shapes} shapes`)
				loads.push(opened.load)
				await opened.close()
			}
		}
		// Frame rate of a synced page, idle and while a remote participant drags a sticky.
		const opened = await openBoardPage(browser, `${httpUrl}/?mode=sync&board=${boardId}&count=${stickies}`, 'sync', 120_000)
		const sampleMs = quick ? 2_000 : 4_000
		// Frame rates swing with whatever else this shared machine runs: the median of several samples.
		const samples = quick ? 1 : 3
		const idle = await opened.page.evaluate((ms) => window.__bench.countFrames(ms), sampleMs)
		const drag = await startRemoteDrag(server.wsUrl, boardId, 'shape:sticky-0', 60)
		const xBefore = await opened.page.evaluate(() => window.__bench.shapeX('shape:sticky-0'))
		// With --cpu-prof: a JS CPU profile of the page during the remote drag (Chrome DevTools Protocol).
		const cdp = profileDir ? await opened.page.context().newCDPSession(opened.page) : null
		if (cdp) {
			await cdp.send('Profiler.enable')
			await cdp.send('Profiler.start')
		}
		const dragging = await medianFrameSample(() => opened.page.evaluate((ms) => window.__bench.countFrames(ms), sampleMs), samples)
		if (cdp && profileDir) {
			const { profile } = await cdp.send('Profiler.stop')
			fs.mkdirSync(profileDir, { recursive: true })
			const file = path.join(profileDir, `browser-sync-remote-drag-${stickies}.cpuprofile`)
			fs.writeFileSync(file, JSON.stringify(profile))
			log(`big board: page profile during the remote drag → ${path.relative(REPO_ROOT, file)}`)
		}
		const xAfter = await opened.page.evaluate(() => window.__bench.shapeX('shape:sticky-0'))
		const dragFrames = await drag.stop()
		await opened.close()
		// Diagnostic: the same remote drag into a synced page without the IndexedDB copy (y-indexeddb).
		const noIdb = await openBoardPage(browser, `${httpUrl}/?mode=sync&idb=0&board=${boardId}&count=${stickies}`, 'sync', 120_000)
		const noIdbDrag = await startRemoteDrag(server.wsUrl, boardId, 'shape:sticky-0', 60)
		const noIdbDragging = await medianFrameSample(() => noIdb.page.evaluate((ms) => window.__bench.countFrames(ms), sampleMs), samples)
		await noIdbDrag.stop()
		await noIdb.close()
		// Baseline: tldraw alone (snapshot page) applying the same moves to its store, no sync.
		const alone = await openBoardPage(browser, `${httpUrl}/?mode=snapshot&board=${boardId}&count=${stickies}`, 'snapshot', 120_000)
		const aloneIdle = await alone.page.evaluate((ms) => window.__bench.countFrames(ms), sampleMs)
		const aloneMoving = await medianFrameSample(() => alone.page.evaluate((ms) => window.__bench.moveShapeLocally('shape:sticky-0', ms, 60), sampleMs), samples)
		// Diagnostic: the same moves, but each with new (equal) props/meta objects — what a record rebuilt from the doc looks like.
		const aloneFresh = await medianFrameSample(() => alone.page.evaluate((ms) => window.__bench.moveShapeLocally('shape:sticky-0', ms, 60, true), sampleMs), samples)
		await alone.close()
		host.close()

		const ready = (mode: 'sync' | 'snapshot') => median(loads.filter((l) => l.mode === mode).map((l) => l.readyMs))
		const syncMs = ready('sync')
		const snapshotMs = ready('snapshot')
		const fps = (sample: { frames: number; ms: number }) => round((sample.frames / sample.ms) * 1000, 1)
		const dragArrived = xBefore !== xAfter
		log(`big board: fps idle ${fps(idle)}, during remote drag ${fps(dragging)} (samples ${dragging.allFps.join(' / ')}; longest frame ${round(dragging.longestFrameMs)} ms, remote sticky moved: ${dragArrived})`)
		log(`big board: remote drag without the IndexedDB copy: ${fps(noIdbDragging)} fps (longest frame ${round(noIdbDragging.longestFrameMs)} ms)`)
		log(`big board: tldraw alone: fps idle ${fps(aloneIdle)}, same moves applied locally ${fps(aloneMoving)} (longest frame ${round(aloneMoving.longestFrameMs)} ms), with new props/meta objects ${fps(aloneFresh)}`)
		return {
			id: '4 big board',
			title: `${stickies.toLocaleString('en-US')}-sticky board in headless Chromium`,
			referenceLabel: 'tldraw snapshot, no sync',
			metrics: [
				metric('open → interactive, all shapes in store (median)', 'ms', round(syncMs), round(snapshotMs), { text: '≤ 1.5× tldraw alone', met: syncMs <= 1.5 * snapshotMs }),
				metric('frame rate, idle', 'fps', fps(idle), fps(aloneIdle)),
				metric('frame rate, remote drag at 60 Hz', 'fps', fps(dragging), fps(aloneMoving)),
				metric('frame rate, remote drag, sync without IndexedDB copy', 'fps', fps(noIdbDragging), fps(aloneMoving)),
				metric('frame rate, tldraw alone, moves with new props/meta objects', 'fps', fps(aloneFresh), fps(aloneMoving)),
				metric('longest frame during remote drag', 'ms', round(dragging.longestFrameMs), round(aloneMoving.longestFrameMs)),
			],
			details: { stickies, runs, loads, idle, dragging, noIdbDragging, aloneIdle, aloneMoving, aloneFresh, remoteDragFrames: dragFrames, remoteDragArrived: dragArrived, snapshotBytes: JSON.stringify(board.snapshot).length, boardUpdateBytes: board.update.byteLength },
			notes: ['Bench page renders tldraw with its default shape utils (not the app\'s custom note util), same assets; headless Chromium, software rendering (--disable-gpu).'],
		}
	} finally {
		await browser.close()
		await server.stop()
	}
}
