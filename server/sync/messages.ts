/**
 * Encoders for the y-websocket wire format (first varint = MessageType,
 * then the y-protocols payload), as the stock y-websocket 3.x client reads it.
 */
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type * as Y from 'yjs'
import { MessageType } from '../../shared/protocol'

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MessageType.sync)
	syncProtocol.writeSyncStep1(encoder, doc)
	return encoding.toUint8Array(encoder)
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MessageType.sync)
	syncProtocol.writeSyncStep2(encoder, doc, stateVector)
	return encoding.toUint8Array(encoder)
}

export function encodeDocUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MessageType.sync)
	syncProtocol.writeUpdate(encoder, update)
	return encoding.toUint8Array(encoder)
}

export { encodeAwarenessMessage } from '../../shared/awarenessMessage'
