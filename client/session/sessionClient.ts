/**
 * The browser side of the facilitated-session channel (docs/sessions.md):
 * requests and events as JSON on y-websocket message type 100, next to the
 * document sync on the same socket. Joins on every (re)connect, keeps the
 * latest public state, the caller's ballots and the server clock offset.
 */
import * as decoding from 'lib0/decoding'
import type { WebsocketProvider } from 'y-websocket'
import { MessageType } from '../../shared/protocol'
import { encodeSessionFrame, parseSessionServerMessage, readSessionPayload } from '../../shared/session/codec'
import { BallotSchema, type Ballot, type JoinResult, type SessionError, type SessionEvent, type SessionRequestInput, type SessionState } from '../../shared/session/messages'
import type { BoardRole } from '../../shared/session/roles'

export interface SessionSnapshot {
	joined: boolean
	role: BoardRole | null
	/** This browser's participant id, as joined (null before the first join). */
	participantId: string | null
	state: SessionState | null
	/** Own ballots by voting session id. */
	ballots: Record<string, Ballot>
	/** serverNow − Date.now(), from the latest server message. */
	clockOffsetMs: number
}

export class SessionRequestError extends Error {
	constructor(readonly error: SessionError) {
		super(error.message)
	}
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never
export type SessionRequestBody = DistributiveOmit<SessionRequestInput, 'id'>

export interface SessionClient {
	getSnapshot(): SessionSnapshot
	subscribe(listener: () => void): () => void
	/** Events other than state/ballot updates (summon, focus, reveal, refused). */
	onEvent(listener: (event: SessionEvent) => void): () => void
	request<T = unknown>(body: SessionRequestBody): Promise<T>
	/** Server time now, corrected for this client's clock offset. */
	serverNow(): number
	/** Tells the session the participant's name changed (it rejoins under the new name). */
	identityChanged(): void
	destroy(): void
}

const REQUEST_TIMEOUT_MS = 10_000

export function createSessionClient(provider: WebsocketProvider, identity: () => { participantId: string; name: string }): SessionClient {
	let snapshot: SessionSnapshot = { joined: false, role: null, participantId: null, state: null, ballots: {}, clockOffsetMs: 0 }
	const listeners = new Set<() => void>()
	const eventListeners = new Set<(event: SessionEvent) => void>()
	const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }>()
	let nextId = 1
	let destroyed = false

	const update = (patch: Partial<SessionSnapshot>) => {
		snapshot = { ...snapshot, ...patch }
		for (const listener of listeners) listener()
	}

	const send = (body: SessionRequestBody): Promise<unknown> => {
		const ws = provider.ws
		if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected'))
		const id = nextId++
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				pending.delete(id)
				reject(new Error('no answer from the server'))
			}, REQUEST_TIMEOUT_MS)
			pending.set(id, { resolve, reject, timer })
			ws.send(encodeSessionFrame({ ...body, id }) as Uint8Array<ArrayBuffer>)
		})
	}

	const join = () => {
		const { participantId, name } = identity()
		send({ type: 'join', participantId, name: name || 'Anonymous' }).then(
			(result) => {
				const joined = result as JoinResult
				const ballots: Record<string, Ballot> = {}
				for (const ballot of joined.ballots) ballots[ballot.sessionId] = ballot
				update({ joined: true, role: joined.role, participantId: joined.participantId, state: joined.state, ballots })
			},
			(error: unknown) => console.warn('[session] join failed:', (error as Error).message),
		)
	}

	provider.messageHandlers[MessageType.session] = (_encoder, decoder: decoding.Decoder) => {
		let message
		try {
			message = parseSessionServerMessage(readSessionPayload(decoder))
		} catch {
			message = null
		}
		if (!message) {
			console.warn('[session] ignored a malformed session message')
			return
		}
		const clockOffsetMs = message.serverNow - Date.now()
		switch (message.type) {
			case 'response': {
				if (message.id === null) return
				const waiting = pending.get(message.id)
				if (!waiting) return
				pending.delete(message.id)
				clearTimeout(waiting.timer)
				snapshot = { ...snapshot, clockOffsetMs }
				if (message.ok) waiting.resolve(message.result)
				else waiting.reject(new SessionRequestError(message.error))
				return
			}
			case 'state':
				update({ state: message.state, clockOffsetMs })
				return
			case 'ballot':
				update({ ballots: { ...snapshot.ballots, [message.ballot.sessionId]: message.ballot }, clockOffsetMs })
				return
			default:
				snapshot = { ...snapshot, clockOffsetMs }
				for (const listener of eventListeners) listener(message)
		}
	}

	const onStatus = ({ status }: { status: string }) => {
		if (status === 'connected') join()
		else if (snapshot.joined) update({ joined: false })
	}
	provider.on('status', onStatus)
	if (provider.wsconnected) join()
	// The server takes a second join on the same connection as a rename.
	let joinedAs = identity().name
	const rejoinIfRenamed = () => {
		const { name } = identity()
		if (name === joinedAs) return
		joinedAs = name
		if (snapshot.joined) join()
	}

	return {
		getSnapshot: () => snapshot,
		subscribe(listener) {
			listeners.add(listener)
			return () => listeners.delete(listener)
		},
		onEvent(listener) {
			eventListeners.add(listener)
			return () => eventListeners.delete(listener)
		},
		async request<T>(body: SessionRequestBody): Promise<T> {
			const result = await send(body)
			// Ballot-changing requests answer with the caller's new ballot.
			if (body.type === 'vote.place' || body.type === 'vote.remove' || body.type === 'ballot.get') {
				const ballot = BallotSchema.safeParse(result)
				if (ballot.success) update({ ballots: { ...snapshot.ballots, [ballot.data.sessionId]: ballot.data } })
			}
			return result as T
		},
		serverNow: () => Date.now() + snapshot.clockOffsetMs,
		identityChanged: rejoinIfRenamed,
		destroy() {
			if (destroyed) return
			destroyed = true
			provider.off('status', onStatus)
			delete provider.messageHandlers[MessageType.session]
			for (const { reject, timer } of pending.values()) {
				clearTimeout(timer)
				reject(new Error('board closed'))
			}
			pending.clear()
			listeners.clear()
			eventListeners.clear()
		},
	}
}
