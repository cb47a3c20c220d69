/**
 * Knows, within a few seconds, whether the server is still there, and which
 * local changes it has received — with a stock y-websocket server.
 *
 * Why: a dropped network leaves the WebSocket open for ~30 s (y-websocket's
 * fixed message timeout), so the status said "Connected" while nothing moved,
 * and it could not tell which edits had reached the server.
 *
 * How: a sync step 1 (our state vector) is a request every y-websocket server
 * answers with a sync step 2, in order on the same socket. So
 * - every step 1 we send (the provider's on connect, and ours) is a heartbeat:
 *   no message at all for DEAD_AFTER_MS means the link is dead, and we drop it
 *   at once (the provider then reconnects with its backoff);
 * - when the answer to a step 1 arrives, every local update sent before that
 *   step 1 has been applied by the server: those changes are acknowledged.
 * Heartbeats go out only when the link has been quiet for HEARTBEAT_MS or
 * local changes wait for their acknowledgement, so busy rooms add nothing.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { WebsocketProvider } from 'y-websocket'

/** y-websocket's message type for sync messages. */
const MESSAGE_SYNC = 0
export const HEARTBEAT_MS = 2000
export const DEAD_AFTER_MS = 5000

export interface ConnectionHeartbeat {
	/** Local updates the server has not acknowledged yet. */
	unacknowledged(): number
	onChange(listener: () => void): () => void
	stop(): void
}

export function startConnectionHeartbeat(provider: WebsocketProvider, isLocalOrigin: (origin: unknown) => boolean): ConnectionHeartbeat {
	const doc = provider.doc
	let localSeq = 0
	let ackedSeq = 0
	/** For each step 1 on the wire, the local sequence number it acknowledges once answered. */
	let awaitingAnswers: number[] = []
	let lastSentAt = 0
	/** Our sync step 2 (edits made while away) answers the server's step 1: only after it do acknowledgements cover them. */
	let serverStep1Seen = false
	const listeners = new Set<() => void>()
	const changed = () => {
		for (const listener of listeners) listener()
	}

	const onUpdate = (_update: Uint8Array, origin: unknown) => {
		if (!isLocalOrigin(origin)) return
		localSeq += 1
		changed()
	}
	doc.on('update', onUpdate)

	const onStatus = ({ status }: { status: string }) => {
		// The provider sends its own step 1 right after this event, on the new socket. Its
		// answer may overtake our step 2 (edits made while away), so it acknowledges nothing.
		awaitingAnswers = status === 'connected' ? [-1] : []
		serverStep1Seen = false
		lastSentAt = Date.now()
	}
	provider.on('status', onStatus)

	const handleSync = provider.messageHandlers[MESSAGE_SYNC]
	provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, prov, emitSynced, messageType) => {
		const syncType = decoding.peekVarUint(decoder)
		handleSync(encoder, decoder, prov, emitSynced, messageType)
		if (syncType === syncProtocol.messageYjsSyncStep1) serverStep1Seen = true
		if (syncType !== syncProtocol.messageYjsSyncStep2) return
		const acknowledged = awaitingAnswers.shift()
		if (acknowledged !== undefined && acknowledged > ackedSeq) {
			ackedSeq = acknowledged
			changed()
		}
	}

	const sendStep1 = () => {
		const ws = provider.ws
		if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return
		const encoder = encoding.createEncoder()
		encoding.writeVarUint(encoder, MESSAGE_SYNC)
		syncProtocol.writeSyncStep1(encoder, doc)
		awaitingAnswers.push(localSeq)
		lastSentAt = Date.now()
		ws.send(encoding.toUint8Array(encoder))
	}

	const tick = () => {
		if (!provider.wsconnected) return
		const now = Date.now()
		const quietFor = now - provider.wsLastMessageReceived
		if (quietFor > DEAD_AFTER_MS) {
			// Drop the dead socket now (status → disconnected) and let the provider reconnect.
			provider.disconnect()
			provider.connect()
			return
		}
		if (!serverStep1Seen) return
		const sinceSent = now - lastSentAt
		const waitingForAck = localSeq > ackedSeq && awaitingAnswers.every((seq) => seq < localSeq)
		if ((quietFor >= HEARTBEAT_MS && sinceSent >= HEARTBEAT_MS) || (waitingForAck && sinceSent >= HEARTBEAT_MS / 4)) sendStep1()
	}
	const timer = setInterval(tick, HEARTBEAT_MS / 4)

	return {
		unacknowledged: () => localSeq - ackedSeq,
		onChange(listener) {
			listeners.add(listener)
			return () => listeners.delete(listener)
		},
		stop() {
			clearInterval(timer)
			doc.off('update', onUpdate)
			provider.off('status', onStatus)
			provider.messageHandlers[MESSAGE_SYNC] = handleSync
			listeners.clear()
		},
	}
}
