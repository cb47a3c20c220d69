/**
 * A y-websocket client on a raw `ws` socket, for tests that must count or
 * forge frames (the stock provider hides both).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { MessageType } from '../../../shared/protocol'

export interface RawSyncClient {
	ws: WebSocket
	doc: Y.Doc
	awareness: awarenessProtocol.Awareness
	/** Count of received frames per MessageType. */
	received: Map<number, number>
	/** MessageType of every received frame, in arrival order. */
	receivedTypes: number[]
	/** Close code once closed, else null. */
	closeCode: () => number | null
	closed: Promise<number>
	/** Sends our awareness state (call after awareness.setLocalState). */
	sendAwareness(): void
	close(): void
}

/** Opens `${wsUrl}/${boardId}` (plus `params` as a query, e.g. `{ token }`) and resolves once the socket is open. */
export async function connectRawClient(wsUrl: string, boardId: string, options: { params?: Record<string, string> } = {}): Promise<RawSyncClient> {
	const query = options.params ? `?${new URLSearchParams(options.params).toString()}` : ''
	const ws = new WebSocket(`${wsUrl}/${boardId}${query}`)
	const doc = new Y.Doc()
	const awareness = new awarenessProtocol.Awareness(doc)
	const received = new Map<number, number>()
	const receivedTypes: number[] = []
	let code: number | null = null
	ws.on('error', () => {})
	const closed = new Promise<number>((resolve) =>
		ws.on('close', (closeCode) => {
			code = closeCode
			resolve(closeCode)
		}),
	)
	ws.on('message', (data: Buffer) => {
		const decoder = decoding.createDecoder(new Uint8Array(data))
		const type = decoding.readVarUint(decoder)
		received.set(type, (received.get(type) ?? 0) + 1)
		receivedTypes.push(type)
		if (type === MessageType.awareness) {
			awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), 'server')
		}
	})
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve())
		ws.once('close', (closeCode) => reject(new Error(`closed with ${closeCode} before open`)))
		ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)))
	})
	return {
		ws,
		doc,
		awareness,
		received,
		receivedTypes,
		closeCode: () => code,
		closed,
		sendAwareness() {
			const encoder = encoding.createEncoder()
			encoding.writeVarUint(encoder, MessageType.awareness)
			encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]))
			ws.send(encoding.toUint8Array(encoder))
		},
		close() {
			awareness.destroy()
			ws.close()
			doc.destroy()
		},
	}
}
