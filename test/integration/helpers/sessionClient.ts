/**
 * A facilitated-session client on a raw `ws` socket (the client side of
 * shared/session): sends requests on MessageType.session, records every
 * session message and every frame it receives, answers nothing else.
 *
 *   const alice = await connectSessionClient(server.wsUrl, boardId, { token })
 *   await alice.join('alice-0001', 'Alice')
 *   const reply = await alice.request({ type: 'vote.place', sessionId, itemId })
 */
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { MessageType } from '../../../shared/protocol'
import { encodeSessionFrame, parseSessionServerMessage } from '../../../shared/session/codec'
import type { SessionRequestInput, SessionServerMessage } from '../../../shared/session/messages'

/** A request without its id (the client numbers requests). */
export type SessionRequestBody = SessionRequestInput extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never
export type SessionResponse = Extract<SessionServerMessage, { type: 'response' }>

export interface SessionClient {
	ws: WebSocket
	/** Every session message received, parsed, in order. */
	messages: SessionServerMessage[]
	/** Every frame received, raw (for "does anything contain X" checks). */
	frames: Uint8Array[]
	/** Session payloads the shared schema (what browsers accept) rejected; should stay empty. */
	invalidMessages: unknown[]
	closeCode(): number | null
	closed: Promise<number>
	request(body: SessionRequestBody): Promise<SessionResponse>
	/** Sends a raw session payload (e.g. a forged or malformed one). */
	sendRaw(payload: unknown): void
	join(participantId: string, name: string): Promise<SessionResponse>
	/** Resolves with the first received message matching `predicate` (already received ones count). */
	waitForMessage<T extends SessionServerMessage>(predicate: (m: SessionServerMessage) => m is T, timeoutMs?: number): Promise<T>
	close(): void
}

export interface SessionClientOptions {
	token?: string
}

export async function connectSessionClient(wsUrl: string, boardId: string, options: SessionClientOptions = {}): Promise<SessionClient> {
	const query = options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`
	const ws = new WebSocket(`${wsUrl}/${boardId}${query}`)
	const messages: SessionServerMessage[] = []
	const frames: Uint8Array[] = []
	const invalidMessages: unknown[] = []
	const pending = new Map<number, (response: SessionResponse) => void>()
	const listeners = new Set<() => void>()
	let nextId = 1
	let code: number | null = null
	ws.on('error', () => {})
	const closed = new Promise<number>((resolve) =>
		ws.on('close', (closeCode) => {
			code = closeCode
			resolve(closeCode)
		}),
	)
	ws.on('message', (data: Buffer) => {
		const frame = new Uint8Array(data)
		frames.push(frame)
		const decoder = decoding.createDecoder(frame)
		if (decoding.readVarUint(decoder) !== MessageType.session) return
		const raw = JSON.parse(decoding.readVarString(decoder)) as unknown
		if (parseSessionServerMessage(raw) === null) invalidMessages.push(raw)
		const message = raw as SessionServerMessage
		messages.push(message)
		if (message.type === 'response' && message.id !== null) pending.get(message.id)?.(message)
		for (const listener of listeners) listener()
	})
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve())
		ws.once('close', (closeCode) => reject(new Error(`closed with ${closeCode} before open`)))
		ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)))
	})
	const client: SessionClient = {
		ws,
		messages,
		frames,
		invalidMessages,
		closeCode: () => code,
		closed,
		request(body) {
			const id = nextId++
			return new Promise<SessionResponse>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no response to ${body.type} within 20 s`)), 20_000)
				pending.set(id, (response) => {
					clearTimeout(timer)
					pending.delete(id)
					resolve(response)
				})
				ws.send(encodeSessionFrame({ ...body, id }))
			})
		},
		sendRaw(payload) {
			ws.send(encodeSessionFrame(payload))
		},
		join(participantId, name) {
			return client.request({ type: 'join', participantId, name })
		},
		waitForMessage(predicate, timeoutMs = 10_000) {
			return new Promise((resolve, reject) => {
				const check = () => {
					const found = messages.find(predicate)
					if (!found) return false
					listeners.delete(check)
					clearTimeout(timer)
					resolve(found)
					return true
				}
				const timer = setTimeout(() => {
					listeners.delete(check)
					reject(new Error('waitForMessage timed out'))
				}, timeoutMs)
				if (!check()) listeners.add(check)
			})
		},
		close() {
			ws.close()
		},
	}
	return client
}

/** Upgrade status of `/sync/<boardId>?token=…` without completing a WebSocket (101 when accepted). */
export async function upgradeStatus(wsUrl: string, boardId: string, token?: string): Promise<{ status: number; bytesBeforeClose: number }> {
	const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`
	const ws = new WebSocket(`${wsUrl}/${boardId}${query}`)
	let bytes = 0
	ws.on('message', (data: Buffer) => (bytes += data.byteLength))
	return new Promise((resolve) => {
		ws.on('error', () => {})
		ws.once('unexpected-response', (_req, res) => {
			res.resume()
			resolve({ status: res.statusCode ?? 0, bytesBeforeClose: bytes })
			ws.terminate()
		})
		ws.once('open', () => {
			setTimeout(() => {
				resolve({ status: 101, bytesBeforeClose: bytes })
				ws.close()
			}, 200)
		})
	})
}
