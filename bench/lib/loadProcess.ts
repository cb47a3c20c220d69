/**
 * A load-generator child process (forked by lib/loadPool.ts). It opens a
 * share of the bench's WebSocket clients and follows the coordinator's
 * commands over IPC: connect → prepare → run → collect, then exits.
 *
 * Most clients are lean: they speak the y-websocket protocol by hand and
 * never decode documents. Senders keep a private Y.Doc holding only their
 * own sticky (enough to produce valid updates); observers keep a full Y.Doc
 * of the board and timestamp every update and cursor they receive.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { MessageType } from '../../shared/protocol'
import { getRecordsMap } from '../../shared/recordCodec'
import { nowMs } from './clock'
import type { CoordinatorMessage, FanoutConfig, FanoutStats, JoinConfig, JoinStats, WorkerMessage } from './loadProtocol'
import { cursorStateJson, insertRecord, noteRecord, readSentAt } from './records'
import {
	SyncType,
	encodeAwarenessFrame,
	encodeEmptySyncStep1,
	encodeEmptySyncStep2,
	encodeSyncFrame,
	peekFrameType,
	countAwarenessStates,
	readAwarenessEntries,
	readSyncPayload,
} from './wire'

/** Hard stop: a stuck process never outlives the bench. */
const PROCESS_DEADLINE_MS = 10 * 60_000
setTimeout(() => process.exit(3), PROCESS_DEADLINE_MS).unref()

function send(message: WorkerMessage): void {
	process.send?.(message)
}

const STEP1 = encodeEmptySyncStep1()
const STEP2 = encodeEmptySyncStep2()

function toBytes(data: WebSocket.RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
	if (data instanceof ArrayBuffer) return new Uint8Array(data)
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/** Resolves once `ws` is open. Attach 'message' listeners before awaiting: the server's first frame can arrive in the same tick as 'open'. */
function opened(ws: WebSocket): Promise<void> {
	return new Promise((resolve, reject) => {
		ws.once('open', () => resolve())
		ws.once('error', reject)
	})
}

/**
 * Opens a socket, retrying a refused or reset connect (200 clients connecting at once on a loaded
 * machine occasionally see one). Frames that arrive before `listen` is called (the server's first
 * frame can come in the same tick as 'open') are kept and handed over first.
 */
async function connectWithRetry(url: string, attempts = 3): Promise<{ ws: WebSocket; listen(handler: (data: WebSocket.RawData) => void): void }> {
	for (let attempt = 1; ; attempt++) {
		const ws = new WebSocket(url, { perMessageDeflate: false })
		const early: WebSocket.RawData[] = []
		let handler: ((data: WebSocket.RawData) => void) | null = null
		ws.on('message', (data: WebSocket.RawData) => (handler ? handler(data) : early.push(data)))
		try {
			await opened(ws)
		} catch (error) {
			ws.terminate()
			if (attempt >= attempts) throw error
			await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
			continue
		}
		return {
			ws,
			listen(next) {
				handler = next
				for (const data of early.splice(0)) next(data)
			},
		}
	}
}

// ---------------------------------------------------------------- fan-out

/** A sender's doc update: moves its sticky and stamps it (the observers read sender, seq, sentAt). */
function moveSticky(sticky: Y.Map<unknown>, index: number, seq: number): void {
	sticky.set('x', index * 250 + (seq % 100))
	sticky.set('y', seq % 300)
	const meta = sticky.get('meta') as Y.Map<unknown>
	meta.set('sender', index)
	meta.set('seq', seq)
	meta.set('sentAt', nowMs())
}

/** Yjs clock ticks one moveSticky adds (one item per map set), measured once on a scratch doc. */
const CLOCKS_PER_SENDER_UPDATE = (() => {
	const doc = new Y.Doc()
	const sticky = insertRecord(getRecordsMap(doc), noteRecord('shape:probe', 0, 0, 'probe'))
	const before = Y.getState(doc.store, doc.clientID)
	doc.transact(() => moveSticky(sticky, 0, 0))
	return Y.getState(doc.store, doc.clientID) - before
})()

/**
 * Senders' updates in one doc frame, per Yjs client id. A server may merge the updates of one
 * event-loop turn into one frame, so frames undercount: the clock span per client of the frame's
 * update says how many moveSticky updates it carries. Parsed once per distinct frame (every client
 * of this process receives the same bytes), keyed by a hash of the frame.
 */
const clocksPerFrame = new Map<string, Map<number, number>>()
function senderClocksIn(frame: Uint8Array): Map<number, number> {
	let hash = 0x811c9dc5
	for (let i = 0; i < frame.length; i++) hash = Math.imul(hash ^ frame[i]!, 0x01000193)
	const key = `${frame.length}:${hash >>> 0}`
	const cached = clocksPerFrame.get(key)
	if (cached !== undefined) return cached
	const { from, to } = Y.parseUpdateMeta(readSyncPayload(frame).data)
	const clocks = new Map<number, number>()
	for (const [client, end] of to) clocks.set(client, end - (from.get(client) ?? end))
	if (clocksPerFrame.size > 10_000) clocksPerFrame.clear()
	clocksPerFrame.set(key, clocks)
	return clocks
}

/** Updates in a frame: all of them, and those not of `ownClientId` (the receiver's own doc, if any). */
function senderUpdatesIn(frame: Uint8Array, ownClientId: number | null): { all: number; fromOthers: number } {
	let all = 0
	let others = 0
	for (const [client, span] of senderClocksIn(frame)) {
		all += span
		if (client !== ownClientId) others += span
	}
	return {
		all: Math.max(1, Math.round(all / CLOCKS_PER_SENDER_UPDATE)),
		fromOthers: others === 0 ? 0 : Math.max(1, Math.round(others / CLOCKS_PER_SENDER_UPDATE)),
	}
}

interface FanoutClient {
	index: number
	role: 'lean' | 'sender' | 'observer'
	ws: WebSocket
	awarenessId: number
	awarenessClock: number
	nextCursorAt: number
	/** Cursor moves per second (0: never). */
	cursorHz: number
	sendHz: number
	nextSendAt: number
	seq: number
	/** Senders: their private doc and sticky. */
	doc: Y.Doc | null
	sticky: Y.Map<unknown> | null
	gotFirstSync: boolean
}

/** Client `index`'s cursor at time `t`: a 40-unit circle, one lap per 2 s, around its own spot of a 16-column grid over `area`. */
function cursorInArea(area: NonNullable<FanoutConfig['cursorArea']>, index: number, t: number): [number, number] {
	const columns = 16
	const rows = 13 // 16 × 13 spots: room for 200 cursors
	const cx = area.x + ((index % columns) + 0.5) * (area.w / columns)
	const cy = area.y + ((Math.floor(index / columns) % rows) + 0.5) * (area.h / rows)
	const angle = (t / 2000) * 2 * Math.PI + index
	return [cx + 40 * Math.cos(angle), cy + 40 * Math.sin(angle)]
}

async function runFanout(config: FanoutConfig): Promise<void> {
	const url = `${config.wsUrl}/${config.boardId}`
	const clients: FanoutClient[] = []
	let measuring = false
	let runStartedAt = Number.POSITIVE_INFINITY
	let cpuAtRun = process.cpuUsage()
	const stats: FanoutStats = {
		kind: 'fanout',
		sentBySender: {},
		firstMeasuredSeqBySender: {},
		cursorsSent: 0,
		docFrames: 0,
		docUpdates: 0,
		docUpdatesFromOthers: 0,
		awarenessFrames: 0,
		otherFrames: 0,
		awarenessStates: 0,
		awarenessStatesFromOthers: 0,
		bytesReceived: 0,
		docFramesByClient: {},
		docLatencies: [],
		cursorLatencies: [],
		seenByObserver: {},
		cpuUserMs: 0,
		cpuSystemMs: 0,
		closedEarly: 0,
		eventLoopDelay: { p50: 0, p99: 0, max: 0 },
	}
	const loopDelay = monitorEventLoopDelay({ resolution: 5 })
	const seen = new Map<number, Set<string>>()

	const onFrame = (client: FanoutClient, frame: Uint8Array, receivedAt: number, observerDoc: Y.Doc | null): void => {
		const { type, syncType } = peekFrameType(frame)
		if (type === MessageType.sync) {
			if (syncType === SyncType.step1) {
				client.ws.send(STEP2)
				client.gotFirstSync = true
			}
			if (measuring && syncType === SyncType.update) {
				const updates = senderUpdatesIn(frame, client.doc?.clientID ?? null)
				stats.docFrames++
				stats.docUpdates += updates.all
				stats.docUpdatesFromOthers += updates.fromOthers
				stats.docFramesByClient[client.index] = (stats.docFramesByClient[client.index] ?? 0) + updates.all
			}
			if (observerDoc && syncType !== SyncType.step1) {
				pendingReceiveTime = receivedAt
				Y.applyUpdate(observerDoc, readSyncPayload(frame).data, 'server')
			}
		} else if (type === MessageType.awareness) {
			// A stock provider re-encodes the same entries (ids and clocks) it just applied.
			if (config.echoAwareness && measuring) client.ws.send(frame)
			if (measuring) {
				stats.awarenessFrames++
				const states = countAwarenessStates(frame, client.awarenessId)
				stats.awarenessStates += states.all
				stats.awarenessStatesFromOthers += states.fromOthers
			}
			if (observerDoc && measuring) {
				for (const entry of readAwarenessEntries(frame)) {
					if (entry.clientId === client.awarenessId) continue
					const sentAt = readSentAt(entry.json)
					if (sentAt !== null && sentAt >= runStartedAt) stats.cursorLatencies.push(receivedAt - sentAt)
				}
			}
		} else if (measuring) {
			stats.otherFrames++
		}
		if (measuring) stats.bytesReceived += frame.byteLength
	}

	let pendingReceiveTime = 0
	await Promise.all(
		config.clients.map(async (spec) => {
			const connection = await connectWithRetry(url)
			const ws = connection.ws
			const client: FanoutClient = {
				index: spec.index,
				role: spec.role,
				ws,
				awarenessId: 1_000_000 + spec.index,
				awarenessClock: 0,
				nextCursorAt: 0,
				sendHz: spec.sendHz,
				cursorHz: spec.cursorHz ?? config.cursorHz,
				nextSendAt: 0,
				seq: 0,
				doc: null,
				sticky: null,
				gotFirstSync: false,
			}
			let observerDoc: Y.Doc | null = null
			if (spec.role === 'observer') {
				observerDoc = new Y.Doc()
				const observedSeen = new Set<string>()
				seen.set(spec.index, observedSeen)
				getRecordsMap(observerDoc).observeDeep((events) => {
					for (const event of events) {
						if (!(event instanceof Y.YMapEvent) || !event.keysChanged.has('seq')) continue
						const meta = event.target as Y.Map<unknown>
						const sentAt = meta.get('sentAt')
						const seq = meta.get('seq')
						const sender = meta.get('sender')
						if (typeof sentAt !== 'number' || typeof seq !== 'number') continue
						observedSeen.add(`${String(sender)}:${seq}`)
						if (sentAt >= runStartedAt) stats.docLatencies.push(pendingReceiveTime - sentAt)
					}
				})
			}
			connection.listen((data) => onFrame(client, toBytes(data), nowMs(), observerDoc))
			ws.on('close', () => {
				if (measuring) stats.closedEarly++
			})
			ws.on('error', () => {})
			// What a stock client sends on open: sync step 1 (we have nothing).
			ws.send(STEP1)
			clients.push(client)
		}),
	)
	// Connected once every client got the server's step 1.
	const connectDeadline = Date.now() + 30_000
	while (clients.some((c) => !c.gotFirstSync) && Date.now() < connectDeadline) await new Promise((r) => setTimeout(r, 20))
	send({ type: 'connected' })

	const prepare = (): void => {
		for (const client of clients) {
			if (client.role !== 'sender') continue
			const doc = new Y.Doc()
			client.doc = doc
			doc.on('update', (update: Uint8Array) => client.ws.send(encodeSyncFrame(SyncType.update, update)))
			doc.transact(() => {
				client.sticky = insertRecord(getRecordsMap(doc), noteRecord(`shape:bench-${client.index}`, client.index * 250, 0, `sticky ${client.index}`))
			})
			stats.sentBySender[client.index] = 0
		}
	}

	let loop: NodeJS.Timeout | null = null
	const run = (startAt: number, durationMs: number, warmupMs = 0): void => {
		const measureFrom = startAt + warmupMs
		const startMeasuring = (): void => {
			runStartedAt = measureFrom
			cpuAtRun = process.cpuUsage()
			measuring = true
			loopDelay.enable()
			for (const client of clients) if (client.role === 'sender') stats.firstMeasuredSeqBySender[client.index] = client.seq
		}
		if (warmupMs > 0) setTimeout(startMeasuring, Math.max(0, measureFrom - nowMs()))
		else startMeasuring()
		for (const client of clients) {
			client.nextCursorAt = client.cursorHz > 0 ? startAt + Math.random() * (1000 / client.cursorHz) : Number.POSITIVE_INFINITY
			if (client.role === 'sender') client.nextSendAt = startAt + Math.random() * (1000 / client.sendHz)
		}
		const endAt = measureFrom + durationMs
		const tick = (): void => {
			const now = nowMs()
			if (now >= endAt) {
				loop = null
				send({ type: 'ran' })
				return
			}
			for (const client of clients) {
				if (client.ws.readyState !== WebSocket.OPEN) continue
				if (now >= client.nextCursorAt) {
					client.nextCursorAt += 1000 / client.cursorHz
					if (client.nextCursorAt < now) client.nextCursorAt = now + 1000 / client.cursorHz
					const t = nowMs()
					const [x, y] = config.cursorArea ? cursorInArea(config.cursorArea, client.index, t) : [t % 1000, t % 700]
					client.ws.send(encodeAwarenessFrame(client.awarenessId, ++client.awarenessClock, cursorStateJson(client.index, x, y, t)))
					if (measuring) stats.cursorsSent++
				}
				if (client.role === 'sender' && client.sticky && client.doc && now >= client.nextSendAt) {
					client.nextSendAt += 1000 / client.sendHz
					if (client.nextSendAt < now) client.nextSendAt = now + 1000 / client.sendHz
					const seq = client.seq++
					client.doc.transact(() => moveSticky(client.sticky!, client.index, seq))
					stats.sentBySender[client.index] = seq + 1
				}
			}
			loop = setTimeout(tick, 2)
		}
		const wait = Math.max(0, startAt - nowMs())
		loop = setTimeout(tick, wait)
	}

	process.on('message', (message: CoordinatorMessage) => {
		if (message.type === 'prepare') {
			prepare()
			send({ type: 'prepared' })
		} else if (message.type === 'run') {
			run(message.startAt, message.durationMs, message.warmupMs)
		} else if (message.type === 'collect') {
			if (loop) clearTimeout(loop)
			measuring = false
			const cpu = process.cpuUsage(cpuAtRun)
			stats.cpuUserMs = cpu.user / 1000
			stats.cpuSystemMs = cpu.system / 1000
			loopDelay.disable()
			const ms = (ns: number): number => Math.round(ns / 1e4) / 100
			stats.eventLoopDelay = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) }
			for (const [index, keys] of seen) stats.seenByObserver[index] = [...keys]
			send({ type: 'stats', stats })
			for (const client of clients) client.ws.terminate()
			setTimeout(() => process.exit(0), 50)
		}
	})
}

// ---------------------------------------------------------------- join storm

async function runJoin(config: JoinConfig): Promise<void> {
	const url = `${config.wsUrl}/${config.boardId}`
	const stats: JoinStats = { kind: 'join', syncMs: [], bytesReceived: 0, framesReceived: 0, verified: [], cpuUserMs: 0, cpuSystemMs: 0 }
	const sockets: WebSocket[] = []
	let cpuAtRun = process.cpuUsage()
	send({ type: 'connected' })

	const joinOne = (index: number, slot: number): Promise<void> =>
		new Promise((resolve) => {
			const started = nowMs()
			const verify = config.verifyIndices.includes(index)
			const ws = new WebSocket(url, { perMessageDeflate: false })
			sockets.push(ws)
			let done = false
			const finish = (ms: number | null): void => {
				if (done) return
				done = true
				stats.syncMs[slot] = ms
				clearTimeout(timer)
				resolve()
			}
			const timer = setTimeout(() => finish(null), config.timeoutMs)
			ws.on('error', () => finish(null))
			ws.on('open', () => ws.send(STEP1))
			ws.on('message', (data: WebSocket.RawData) => {
				const frame = toBytes(data)
				stats.bytesReceived += frame.byteLength
				stats.framesReceived++
				const { type, syncType } = peekFrameType(frame)
				if (type !== MessageType.sync) return
				if (syncType === SyncType.step1) ws.send(STEP2)
				if (syncType === SyncType.step2) {
					const ms = nowMs() - started
					if (verify) {
						const doc = new Y.Doc()
						Y.applyUpdate(doc, readSyncPayload(frame).data)
						stats.verified.push({ index, records: getRecordsMap(doc).size })
						doc.destroy()
					}
					finish(ms)
				}
			})
		})

	process.on('message', (message: CoordinatorMessage) => {
		if (message.type === 'run') {
			cpuAtRun = process.cpuUsage()
			const joins = config.indices.map(
				(index, slot) =>
					new Promise<void>((resolve) => {
						setTimeout(() => void joinOne(index, slot).then(resolve), Math.max(0, message.startAt + index * config.spacingMs - nowMs()))
					}),
			)
			void Promise.all(joins).then(() => send({ type: 'ran' }))
		} else if (message.type === 'collect') {
			const cpu = process.cpuUsage(cpuAtRun)
			stats.cpuUserMs = cpu.user / 1000
			stats.cpuSystemMs = cpu.system / 1000
			send({ type: 'stats', stats })
			for (const ws of sockets) ws.terminate()
			setTimeout(() => process.exit(0), 50)
		}
	})
}

process.once('message', (message: CoordinatorMessage) => {
	if (message.type !== 'connect') return
	const started = message.config.kind === 'fanout' ? runFanout(message.config) : runJoin(message.config)
	started.catch((error: unknown) => {
		const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
		process.stderr.write(`load process: ${message}\n`)
		// Exit only once the error reached the coordinator (an exit right after send can drop it).
		process.send?.({ type: 'error', message } satisfies WorkerMessage, () => process.exit(1))
	})
})
