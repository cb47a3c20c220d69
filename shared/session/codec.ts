/**
 * Framing of the session channel on the y-websocket socket:
 * varUint(MessageType.session) · varString(JSON).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { MessageType } from '../protocol'
import { MAX_SESSION_MESSAGE_BYTES } from './limits'
import { SessionRequestSchema, SessionServerMessageSchema, type SessionRequest, type SessionServerMessage } from './messages'

/** One session frame. Typed as backed by an ArrayBuffer so the DOM's WebSocket.send accepts it. */
export function encodeSessionFrame(message: unknown): Uint8Array<ArrayBuffer> {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MessageType.session)
	encoding.writeVarString(encoder, JSON.stringify(message))
	return encoding.toUint8Array(encoder) as Uint8Array<ArrayBuffer>
}

/** Reads the JSON payload after the message type varint. Throws on malformed framing. */
export function readSessionPayload(decoder: decoding.Decoder): unknown {
	const remaining = decoder.arr.byteLength - decoder.pos
	if (remaining > MAX_SESSION_MESSAGE_BYTES + 8) throw new Error('session message too large')
	return JSON.parse(decoding.readVarString(decoder)) as unknown
}

export type ParsedRequest =
	| { ok: true; request: SessionRequest }
	| { ok: false; id: number | null; message: string }

/** Validates a decoded payload as a request; on failure keeps the request id when there is one. */
export function parseSessionRequest(payload: unknown): ParsedRequest {
	const parsed = SessionRequestSchema.safeParse(payload)
	if (parsed.success) return { ok: true, request: parsed.data }
	const rawId = typeof payload === 'object' && payload !== null ? (payload as { id?: unknown }).id : undefined
	const id = typeof rawId === 'number' && Number.isInteger(rawId) && rawId >= 0 && rawId < 2 ** 31 ? rawId : null
	const issue = parsed.error.issues[0]
	return { ok: false, id, message: issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid request' }
}

/** Client side: decodes and validates one server frame payload. */
export function parseSessionServerMessage(payload: unknown): SessionServerMessage | null {
	const parsed = SessionServerMessageSchema.safeParse(payload)
	return parsed.success ? parsed.data : null
}
