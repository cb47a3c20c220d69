/**
 * Guarantee 5 (docs/reliability.md): no leaks.
 *
 * 1,000 connect/disconnect cycles of stock y-websocket clients spread over
 * 100 rooms (each client syncs, sets awareness, sometimes writes, then
 * leaves). Afterwards every room unloads (/healthz rooms 0, connections 0)
 * and the server's live heap — measured after a full GC through a heap
 * snapshot (test/integration/helpers/processMetrics.ts) — is back near the
 * baseline taken after a warm-up. Resident memory (VmRSS) is reported too.
 *
 * LEAK_CYCLES / LEAK_ROOMS change the load (e.g. to check that the small
 * difference does not grow with cycles or with distinct rooms).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
	connectClient,
	destroyClients,
	fetchHealth,
	heapSnapshotEnv,
	makeTempDir,
	measureLiveHeap,
	mulberry32,
	readVmRssKiB,
	removeDir,
	startServerProcess,
	waitFor,
	waitForSynced,
	type ServerProcess,
} from './helpers'

const CYCLES = Number(process.env.LEAK_CYCLES ?? 1_000)
const ROOMS = Number(process.env.LEAK_ROOMS ?? 100)
const CONCURRENCY = 10
/** Live heap may end this much above the warm baseline (caches, JIT code, SQLite statement objects). */
const MAX_HEAP_GROWTH_BYTES = 8 * 1024 * 1024

let server: ServerProcess
let dataDir: string
let diagnosticDir: string

beforeAll(async () => {
	dataDir = await makeTempDir('workshop-board-leaks-')
	diagnosticDir = await makeTempDir('workshop-board-heap-')
	server = await startServerProcess({ boards: ['leak-room-7', ...Array.from({ length: ROOMS }, (_, i) => [`warmup-room-${i}`, `leak-room-${i}`]).flat()],
		dataDir,
		env: { LOG_LEVEL: process.env.LEAKS_LOG_LEVEL ?? 'error', ROOM_UNLOAD_DELAY_MS: '50', ...heapSnapshotEnv(diagnosticDir) },
	})
})
afterAll(async () => {
	await server?.kill('SIGKILL')
	await removeDir(dataDir)
	await removeDir(diagnosticDir)
})

/** `count` cycles over `rooms` rooms with `CONCURRENCY` clients at a time. */
async function runCycles(count: number, roomPrefix: string, seed: number): Promise<void> {
	const random = mulberry32(seed)
	let next = 0
	const lane = async () => {
		while (next < count) {
			const cycle = next++
			const provider = connectClient(server.wsUrl, `${roomPrefix}-${cycle % ROOMS}`)
			try {
				await waitForSynced(provider).catch((error: unknown) => {
					throw new Error(`${String(error)}\nserver output:\n${server.output().slice(-4000)}`)
				})
				provider.awareness.setLocalStateField('user', { name: `visitor ${cycle}`, color: '#1971c2' })
				if (random() < 0.5) provider.doc.getMap('records').set(`visit-${cycle}`, { at: cycle })
			} finally {
				destroyClients(provider)
			}
		}
	}
	await Promise.all(Array.from({ length: CONCURRENCY }, lane))
}

async function waitForIdle(): Promise<void> {
	await waitFor(
		async () => {
			const health = await fetchHealth(server.url)
			return health.rooms === 0 && health.connections === 0
		},
		{ timeoutMs: 20_000, intervalMs: 50, message: 'rooms and connections did not drop to 0' },
	)
}

describe('leaks', () => {
	it(`${CYCLES} connect/disconnect cycles over ${ROOMS} rooms: all rooms unload, heap back near baseline`, async () => {
		const pid = server.process.pid as number
		// Warm-up: JIT, SQLite statements and lazily built module state are not leaks.
		await runCycles(100, 'warmup-room', 1)
		await waitForIdle()
		const heapBaseline = await measureLiveHeap(server, diagnosticDir)
		const rssBaseline = await readVmRssKiB(pid)

		const started = Date.now()
		await runCycles(CYCLES, 'leak-room', 2)
		const cyclesMs = Date.now() - started
		const rssPeak = await readVmRssKiB(pid)
		await waitForIdle()
		const unloadMs = Date.now() - started - cyclesMs

		const heapAfter = await measureLiveHeap(server, diagnosticDir)
		const rssAfter = await readVmRssKiB(pid)
		console.info(
			`[leaks] cycles=${CYCLES} rooms=${ROOMS} in ${cyclesMs} ms, idle after ${unloadMs} ms; ` +
				`live heap baseline=${(heapBaseline / 2 ** 20).toFixed(1)} MiB after=${(heapAfter / 2 ** 20).toFixed(1)} MiB ` +
				`(Δ ${((heapAfter - heapBaseline) / 2 ** 10).toFixed(0)} KiB); ` +
				`VmRSS baseline=${(rssBaseline / 1024).toFixed(0)} MiB peak=${(rssPeak / 1024).toFixed(0)} MiB after=${(rssAfter / 1024).toFixed(0)} MiB`,
		)
		expect(heapAfter - heapBaseline).toBeLessThan(MAX_HEAP_GROWTH_BYTES)

		// The boards are intact after unloading: a visit that wrote is still there.
		const reader = connectClient(server.wsUrl, 'leak-room-7')
		await waitForSynced(reader)
		expect(reader.doc.getMap('records').size).toBeGreaterThan(0)
		destroyClients(reader)
		expect(server.output()).not.toMatch(/uncaught_exception|unhandled_rejection/)
	})
})
