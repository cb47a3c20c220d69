/**
 * Guarantee 3 (docs/reliability.md): malformed input.
 *
 * ≥ 100k hostile frames over thousands of connections: random bytes, valid
 * sync step 1 / step 2 / update and awareness messages mutated by bit flips,
 * truncation and inserted varints, truncated varints, absurd length
 * prefixes, unknown message types and text frames. The server closes a
 * connection on its first bad frame; the lane reconnects and goes on.
 *
 * Counting: `sent` frames were written to an open socket (≥ 100k asserted);
 * `processed` ones provably reached the server's message decoder — a batch
 * of 1–8 frames is followed by a probe (sync step 1) and counts once the
 * probe is answered; a batch the server closed the socket on counts 1. Frames
 * sent after the fatal one of a batch are parsed by ws and then dropped.
 * Meanwhile an honest pair of stock clients in another room keeps doing
 * round trips. The process must stay up, log no uncaught error, and keep its
 * resident memory bounded.
 *
 * FUZZ_SEED=<n> replays a run; FUZZ_FRAMES raises the frame count.
 */
import WebSocket from 'ws'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { MessageType } from '../../shared/protocol'
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

const SEED = Number(process.env.FUZZ_SEED ?? 7_771)
const TARGET_FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000)
/**
 * Hard stop for the fuzzing phase, whatever the frame count. The lanes stop as soon as
 * TARGET_FRAMES are sent, so this only bounds a slow run: most frames are fatal, so the
 * rate is the rate of new connections, and each upgrade waits for its credential check
 * in the store — a PostgreSQL round trip (~5% fewer connections per second than SQLite's
 * in-process read on the shared 2-core machine, which reached 95k of 100k within 45 s).
 */
const BUDGET_MS = 60_000
/**
 * Floor on frames the server's decoder provably handled (see FuzzStats). Most
 * hostile frames are fatal, so this is bounded by how fast connections can be
 * opened (~1,200–1,600/s on 2 shared cores); the rest of the 100k arrive on
 * sockets the server is already closing and are parsed by ws, then dropped.
 */
const MIN_PROCESSED = Number(process.env.FUZZ_MIN_PROCESSED ?? 15_000)
const LANES = 16
/**
 * Pace of new connections. Each closed socket stays referenced for 5 s by the
 * server's terminate timer (CLOSE_GRACE_MS, server/sync/clientConnection.ts),
 * so the server's RSS peak grows with the connection rate: ~370 MiB at an
 * unpaced 2,300/s. Pacing keeps the RSS bound meaningful on fast machines.
 */
const MAX_CONNECTIONS_PER_SECOND = 1_500
/** Generous bound on the server's resident memory (it idles around 130 MiB). */
const MAX_RSS_KIB = 400 * 1024
/**
 * The server runs with its V8 old space capped: unbounded memory use would
 * crash it (asserted not to happen), and V8 cannot postpone collecting the
 * fuzz's garbage past the RSS bound (unpaced, peaks of ~490 MiB were seen
 * without the cap — garbage, not live data: the live heap stays ~20 MiB).
 */
const SERVER_MAX_OLD_SPACE_MIB = 256
/**
 * Live heap (after a full GC) once the fuzz rooms unloaded, compared with before. RSS alone
 * cannot show a leak here: V8 keeps freed pages for a while after ~20k connections.
 */
const MAX_HEAP_GROWTH_BYTES = 16 * 1024 * 1024

let server: ServerProcess
let dataDir: string
let diagnosticDir: string
const clients: WebsocketProvider[] = []

beforeAll(async () => {
	dataDir = await makeTempDir('workshop-board-fuzz-')
	diagnosticDir = await makeTempDir('workshop-board-heap-')
	server = await startServerProcess({ boards: ['honest-room', ...Array.from({ length: LANES }, (_, lane) => `fuzz-room-${lane}`)],
		dataDir,
		env: {
			LOG_LEVEL: 'error',
			ROOM_UNLOAD_DELAY_MS: '500',
			NODE_OPTIONS: `${heapSnapshotEnv(diagnosticDir).NODE_OPTIONS} --max-old-space-size=${SERVER_MAX_OLD_SPACE_MIB}`,
		},
	})
})
afterAll(async () => {
	destroyClients(...clients.splice(0))
	await server?.kill('SIGKILL')
	await removeDir(dataDir)
	await removeDir(diagnosticDir)
})

type Random = () => number
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1)
type Frame = Uint8Array | string

function randomBytes(random: Random, length: number): Uint8Array {
	const bytes = new Uint8Array(length)
	for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256)
	return bytes
}

function frameOf(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder()
	write(encoder)
	return encoding.toUint8Array(encoder)
}

/** Valid messages of every kind, built with real Yjs, to mutate. */
function validTemplates(random: Random): Uint8Array[] {
	const doc = new Y.Doc()
	const updates: Uint8Array[] = []
	doc.on('update', (update: Uint8Array) => updates.push(update))
	const records = doc.getMap('records')
	for (let i = 0; i < 12; i++) {
		const record = new Y.Map<unknown>()
		record.set('id', `shape:${i}`)
		record.set('x', random() * 1000)
		record.set('props', new Y.Map())
		records.set(`shape:${i}`, record)
		if (i % 3 === 0) records.delete(`shape:${i - 1}`)
	}
	doc.getText('notes').insert(0, 'some text to mutate ✓')
	doc.getArray('list').push([1, 'two', { three: [3] }, new Uint8Array([4])])
	const awareness = new awarenessProtocol.Awareness(doc)
	awareness.setLocalState({ user: { name: 'fuzz', color: '#123456' }, presence: { cursor: { x: 1, y: 2 } } })
	const awarenessUpdate = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])
	awareness.destroy()

	const sync = (syncType: number, payload: Uint8Array) =>
		frameOf((e) => {
			encoding.writeVarUint(e, MessageType.sync)
			encoding.writeVarUint(e, syncType)
			encoding.writeVarUint8Array(e, payload)
		})
	const templates = [
		sync(0, Y.encodeStateVector(doc)),
		sync(0, new Uint8Array([0])),
		sync(1, Y.encodeStateAsUpdate(doc)),
		...updates.map((update) => sync(2, update)),
		frameOf((e) => {
			encoding.writeVarUint(e, MessageType.awareness)
			encoding.writeVarUint8Array(e, awarenessUpdate)
		}),
		frameOf((e) => encoding.writeVarUint(e, MessageType.queryAwareness)),
		frameOf((e) => {
			encoding.writeVarUint(e, MessageType.session)
			encoding.writeVarString(e, '{"type":"join"}')
		}),
	]
	doc.destroy()
	return templates
}

/** A varint of `value` (which may exceed 2^53 in spirit: long runs of 0xff). */
function varint(random: Random): Uint8Array {
	const choice = random()
	if (choice < 0.3) return new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]) // 2^32 - 1
	if (choice < 0.5) return new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) // ≈ 2^56
	if (choice < 0.6) return new Uint8Array(Array.from({ length: 12 }, () => 0xff)) // never terminates
	return frameOf((e) => encoding.writeVarUint(e, Math.floor(random() * 2 ** 31)))
}

function splice(bytes: Uint8Array, at: number, removeCount: number, insert: Uint8Array): Uint8Array {
	const remove = Math.max(0, Math.min(removeCount, bytes.length - at))
	const result = new Uint8Array(bytes.length - remove + insert.length)
	result.set(bytes.subarray(0, at))
	result.set(insert, at)
	result.set(bytes.subarray(at + remove), at + insert.length)
	return result
}

/** One hostile frame. The categories and their weights are listed in docs/reliability.md. */
function hostileFrame(random: Random, templates: Uint8Array[]): Frame {
	const template = templates[Math.floor(random() * templates.length)]
	const kind = random()
	if (kind < 0.1) return randomBytes(random, Math.floor(random() * 512))
	if (kind < 0.3) {
		// bit flips
		const bytes = template.slice()
		const flips = 1 + Math.floor(random() * 8)
		for (let i = 0; i < flips; i++) bytes[Math.floor(random() * bytes.length)] ^= 1 << Math.floor(random() * 8)
		return bytes
	}
	if (kind < 0.45) return template.subarray(0, Math.floor(random() * template.length)) // truncation
	if (kind < 0.6) return splice(template, Math.floor(random() * template.length), 0, varint(random)) // inserted varint
	if (kind < 0.72) {
		// absurd length prefix: keep the message/sync type, replace the length varint
		const headerLength = template[0] === MessageType.sync ? 2 : 1
		return splice(template, headerLength, 1, varint(random))
	}
	if (kind < 0.78) return new Uint8Array([Math.floor(random() * 4), 0x80, 0x80, 0x80]) // truncated varint
	if (kind < 0.84) return random() < 0.5 ? 'garbage text frame' : JSON.stringify({ type: 'sync', update: [1, 2, 3] })
	if (kind < 0.88) return frameOf((e) => encoding.writeVarUint(e, 4 + Math.floor(random() * 1_000))) // unknown type
	if (kind < 0.92) return new Uint8Array(0)
	// A valid message now and then, so connections live long enough to reach deeper states.
	return template
}

interface FuzzStats {
	/** Frames written to an open socket. */
	sent: number
	/**
	 * Frames the server decoded: batches whose probe was answered (the server
	 * handles a socket's frames in order), plus one frame per batch the server
	 * closed the connection on. Approximate: a hostile frame that happens to be
	 * a valid sync step 1 is answered like a probe.
	 */
	processed: number
	connections: number
	closeCodes: Map<number, number>
	started: number
}

/** Sync step 1 with an empty state vector: the server answers every one with a sync step 2. */
const PROBE = frameOf((e) => {
	encoding.writeVarUint(e, MessageType.sync)
	encoding.writeVarUint(e, 0)
	encoding.writeVarUint8Array(e, new Uint8Array([0]))
})
const isSyncStep2 = (data: Buffer): boolean => data.length >= 2 && data[0] === MessageType.sync && data[1] === 1

async function openSocket(boardId: string): Promise<WebSocket | null> {
	const ws = new WebSocket(`${server.wsUrl}/${boardId}`, { perMessageDeflate: false })
	ws.binaryType = 'nodebuffer'
	ws.on('error', () => {})
	return new Promise((resolve) => {
		ws.once('open', () => resolve(ws))
		ws.once('close', () => resolve(null))
		ws.once('unexpected-response', () => {
			ws.terminate()
			resolve(null)
		})
	})
}

/**
 * One lane: a connection at a time, in the lane's own room; batches of 1–8 hostile
 * frames, each followed by a probe; the next batch goes out once the probe is
 * answered. When the server closes the socket, the lane reconnects.
 */
async function runLane(lane: number, deadline: number, stats: FuzzStats, templates: Uint8Array[]): Promise<void> {
	const random = mulberry32(SEED * 1_000 + lane)
	const boardId = `fuzz-room-${lane}`
	while (stats.sent < TARGET_FRAMES && Date.now() < deadline) {
		const aheadMs = (stats.connections / MAX_CONNECTIONS_PER_SECOND) * 1000 - (Date.now() - stats.started)
		if (aheadMs > 0) await new Promise((resolve) => setTimeout(resolve, aheadMs))
		const ws = await openSocket(boardId)
		if (ws === null) continue
		stats.connections += 1
		let answers = 0
		let wake: (() => void) | null = null
		ws.on('message', (data: Buffer) => {
			if (isSyncStep2(data)) answers += 1
			wake?.()
		})
		const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
		void closed.then((code) => {
			stats.closeCodes.set(code, (stats.closeCodes.get(code) ?? 0) + 1)
			wake?.()
		})
		let expectedAnswers = 0
		while (ws.readyState === WebSocket.OPEN && stats.sent < TARGET_FRAMES && Date.now() < deadline) {
			const batch = 1 + Math.floor(random() * 8)
			for (let i = 0; i < batch; i++) ws.send(hostileFrame(random, templates))
			ws.send(PROBE)
			stats.sent += batch
			expectedAnswers += 1
			while (answers < expectedAnswers && ws.readyState === WebSocket.OPEN && Date.now() < deadline) {
				await new Promise<void>((resolve) => {
					wake = resolve
					setTimeout(resolve, 1_000)
				})
			}
			if (answers >= expectedAnswers) stats.processed += batch
			else stats.processed += 1 // closed on a bad frame of this batch: at least that one was decoded
		}
		ws.terminate()
		await closed
	}
}

describe('malformed input', () => {
	it(`survives ≥ ${TARGET_FRAMES} hostile frames over many connections; other rooms notice nothing; memory bounded`, async () => {
		const alice = connectClient(server.wsUrl, 'honest-room')
		const bob = connectClient(server.wsUrl, 'honest-room')
		clients.push(alice, bob)
		await Promise.all([waitForSynced(alice), waitForSynced(bob)])
		const pid = server.process.pid as number
		const rssBefore = await readVmRssKiB(pid)
		const heapBefore = await measureLiveHeap(server, diagnosticDir)

		// The honest pair does a round trip every 250 ms during the fuzzing.
		let fuzzing = true
		const roundTripsMs: number[] = []
		const roundTrips = (async () => {
			let n = 0
			while (fuzzing) {
				const key = `round-trip-${n++}`
				const sent = Date.now()
				alice.doc.getMap('records').set(key, n)
				await waitFor(() => bob.doc.getMap('records').get(key) === n, { timeoutMs: 5_000, message: `round trip ${key}` })
				roundTripsMs.push(Date.now() - sent)
				await new Promise((resolve) => setTimeout(resolve, 250))
			}
		})()

		const rssSamples: number[] = []
		const sampler = setInterval(() => {
			readVmRssKiB(pid).then((kib) => rssSamples.push(kib), () => {})
		}, 500)

		const started = Date.now()
		const stats: FuzzStats = { sent: 0, processed: 0, connections: 0, closeCodes: new Map(), started }
		const templates = validTemplates(mulberry32(SEED))
		try {
			await Promise.all(Array.from({ length: LANES }, (_, lane) => runLane(lane, started + BUDGET_MS, stats, templates)))
		} finally {
			fuzzing = false
			clearInterval(sampler)
		}
		const fuzzMs = Date.now() - started
		await roundTrips

		// The process is up and handled every error where it occurred.
		expect(server.process.exitCode).toBeNull()
		expect(server.process.signalCode).toBeNull()
		expect(server.output()).not.toMatch(/uncaught_exception|unhandled_rejection|FATAL|heap out of memory/)
		expect(stats.sent).toBeGreaterThanOrEqual(TARGET_FRAMES)
		expect(stats.processed).toBeGreaterThanOrEqual(MIN_PROCESSED)
		// Bad frames closed their connection with 4400 (or 1002/1007 from the WebSocket layer).
		expect(stats.closeCodes.get(4400) ?? 0).toBeGreaterThan(stats.connections / 2)

		// The honest room still round-trips both ways, and a new client syncs.
		expect(roundTripsMs.length).toBeGreaterThanOrEqual(Math.floor(fuzzMs / 2_000))
		bob.doc.getMap('records').set('after-fuzz', 'ok')
		await waitFor(() => alice.doc.getMap('records').get('after-fuzz') === 'ok')
		const late = connectClient(server.wsUrl, 'honest-room')
		clients.push(late)
		await waitForSynced(late)
		expect(late.doc.getMap('records').get('after-fuzz')).toBe('ok')
		const rssAfter = await readVmRssKiB(pid)
		const rssPeak = Math.max(rssBefore, rssAfter, ...rssSamples)
		// Not growing: once the fuzz sockets are gone and their rooms unloaded, the live heap is back.
		await waitFor(
			async () => {
				const health = await fetchHealth(server.url)
				return health.connections === 3 && health.rooms === 1
			},
			{ timeoutMs: 10_000, message: 'fuzz sockets not closed or fuzz rooms not unloaded' },
		)
		// Closed sockets stay referenced for CLOSE_GRACE_MS (5 s, server/sync/clientConnection.ts) by
		// their terminate timer, so the heap is polled until that passes rather than read once.
		const idleAt = Date.now()
		let heapAfter = Infinity
		await waitFor(
			async () => {
				heapAfter = await measureLiveHeap(server, diagnosticDir)
				return heapAfter - heapBefore < MAX_HEAP_GROWTH_BYTES
			},
			{ timeoutMs: 15_000, intervalMs: 1_000, message: 'live heap did not return near its baseline' },
		).catch(() => {})
		const heapSettledMs = Date.now() - idleAt

		const codes = [...stats.closeCodes.entries()].sort((a, b) => b[1] - a[1]).map(([code, count]) => `${code}:${count}`)
		const sortedRoundTrips = [...roundTripsMs].sort((a, b) => a - b)
		console.info(
			`[fuzz] seed=${SEED} processed=${stats.processed} sent=${stats.sent} connections=${stats.connections} in ${fuzzMs} ms ` +
				`(${Math.round(stats.sent / (fuzzMs / 1000))} frames/s sent, ${Math.round(stats.processed / (fuzzMs / 1000))} processed/s, ${Math.round(stats.connections / (fuzzMs / 1000))} conn/s) ` +
				`closeCodes=${codes.join(',')} VmRSS before=${mib(rssBefore * 1024)} peak=${mib(rssPeak * 1024)} after=${mib(rssAfter * 1024)} MiB ` +
				`live heap before=${mib(heapBefore)} after=${mib(heapAfter)} MiB (settled in ${heapSettledMs} ms) ` +
				`roundTrips=${roundTripsMs.length} p50=${sortedRoundTrips[Math.floor(sortedRoundTrips.length / 2)]} ms ` +
				`max=${sortedRoundTrips[sortedRoundTrips.length - 1]} ms`,
		)
		expect(rssPeak).toBeLessThan(MAX_RSS_KIB)
		expect(heapAfter - heapBefore).toBeLessThan(MAX_HEAP_GROWTH_BYTES)
	}, BUDGET_MS + 60_000) // the fuzzing phase, then heap measurements of up to ~25 s
})
