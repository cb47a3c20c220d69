/**
 * The y-websocket wire format written and read by hand, for lean load
 * clients that hold no Y.Doc: sync step 1/2 with empty states, doc updates
 * wrapped in a sync frame, and awareness updates of a single client.
 * Layout (y-protocols): frame = varUint(messageType) payload;
 * sync payload = varUint(syncType) varUint8Array(data);
 * awareness payload = varUint8Array(varUint(n) n × [varUint(clientID) varUint(clock) varString(json)]).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { MessageType } from '../../shared/protocol'

export const SyncType = { step1: 0, step2: 1, update: 2 } as const

/** Sync step 1 announcing an empty state vector: "send me everything". */
export function encodeEmptySyncStep1(): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MessageType.sync)
	encoding.writeVarUint(encoder, SyncType.step1)
	encoding.writeVarUint8Array(encoder, new Uint8Array([0]))
	return encoding.toUint8Array(encoder)
}

/** Sync step 2 carrying an empty update (what a client with nothing to add answers). */
export function encodeEmptySyncStep2(): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MessageType.sync)
	encoding.writeVarUint(encoder, SyncType.step2)
	encoding.writeVarUint8Array(encoder, new Uint8Array([0, 0]))
	return encoding.toUint8Array(encoder)
}

export function encodeSyncFrame(syncType: number, data: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MessageType.sync)
	encoding.writeVarUint(encoder, syncType)
	encoding.writeVarUint8Array(encoder, data)
	return encoding.toUint8Array(encoder)
}

/** An awareness frame with one client's state. */
export function encodeAwarenessFrame(clientId: number, clock: number, stateJson: string): Uint8Array {
	const inner = encoding.createEncoder()
	encoding.writeVarUint(inner, 1)
	encoding.writeVarUint(inner, clientId)
	encoding.writeVarUint(inner, clock)
	encoding.writeVarString(inner, stateJson)
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MessageType.awareness)
	encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
	return encoding.toUint8Array(encoder)
}

/** Message type and (for sync frames) sync type of a frame, read from its first bytes. */
export function peekFrameType(frame: Uint8Array): { type: number; syncType: number | null } {
	const decoder = decoding.createDecoder(frame)
	const type = decoding.readVarUint(decoder)
	const syncType = type === MessageType.sync ? decoding.readVarUint(decoder) : null
	return { type, syncType }
}

/** The payload of a sync frame (after both varuints). */
export function readSyncPayload(frame: Uint8Array): { syncType: number; data: Uint8Array } {
	const decoder = decoding.createDecoder(frame)
	decoding.readVarUint(decoder)
	const syncType = decoding.readVarUint(decoder)
	return { syncType, data: decoding.readVarUint8Array(decoder) }
}

/** Every (clientID, state JSON) entry of an awareness frame; state is the raw JSON text ("null" when removed). */
export function readAwarenessEntries(frame: Uint8Array): Array<{ clientId: number; clock: number; json: string }> {
	const outer = decoding.createDecoder(frame)
	decoding.readVarUint(outer)
	const decoder = decoding.createDecoder(decoding.readVarUint8Array(outer))
	const count = decoding.readVarUint(decoder)
	const entries: Array<{ clientId: number; clock: number; json: string }> = []
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder)
		const clock = decoding.readVarUint(decoder)
		entries.push({ clientId, clock, json: decoding.readVarString(decoder) })
	}
	return entries
}

/**
 * States in an awareness frame: all, and those of a client other than `ownClientId` (the state a
 * server echoes back to its owner tells the owner nothing). Skips the JSON without decoding it.
 */
export function countAwarenessStates(frame: Uint8Array, ownClientId: number): { all: number; fromOthers: number } {
	const outer = decoding.createDecoder(frame)
	decoding.readVarUint(outer)
	const decoder = decoding.createDecoder(decoding.readVarUint8Array(outer))
	const all = decoding.readVarUint(decoder)
	let fromOthers = 0
	for (let i = 0; i < all; i++) {
		const clientId = decoding.readVarUint(decoder)
		decoding.readVarUint(decoder)
		decoding.readVarUint8Array(decoder)
		if (clientId !== ownClientId) fromOthers++
	}
	return { all, fromOthers }
}

/** Number of client states in an awareness frame (reads two varuints, decodes nothing else). */
export function readAwarenessCount(frame: Uint8Array): number {
	const decoder = decoding.createDecoder(frame)
	decoding.readVarUint(decoder)
	decoding.readVarUint(decoder) // payload length
	return decoding.readVarUint(decoder)
}
