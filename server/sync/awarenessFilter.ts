/**
 * Drops the entries of an incoming awareness update that cannot change the
 * room's awareness, before y-protocols JSON-parses every one of them.
 *
 * Why: stock y-websocket providers re-send every awareness change they apply,
 * other participants' included (yjs/yjs#732; our own client no longer does,
 * client/sync/ownAwarenessOnly.ts). In a 200-person room that is ~199 echoed
 * states per frame from each such client, all with clocks the room already
 * has. Reading two varints per entry is far cheaper than JSON.parse.
 *
 * The rule mirrors y-protocols' applyAwarenessUpdate: an entry applies when
 * its clock is newer than the known one, or equal with a `null` state for a
 * client that still has one (a removal). Entries are only ever dropped when
 * applyAwarenessUpdate would ignore them, so the result is the same.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'

/** `null` as UTF-8: a state is compared as bytes, so a dropped entry is never decoded at all. */
const NULL_STATE = new TextEncoder().encode('null')

function isNullState(bytes: Uint8Array): boolean {
	return bytes.length === NULL_STATE.length && bytes.every((byte, i) => byte === NULL_STATE[i])
}

/** `update` itself when every entry may apply, a smaller update when some may, null when none can. */
export function withoutStaleAwarenessEntries(awareness: Awareness, update: Uint8Array): Uint8Array | null {
	const decoder = decoding.createDecoder(update)
	const count = decoding.readVarUint(decoder)
	const fresh: Array<[start: number, end: number]> = []
	for (let i = 0; i < count; i++) {
		const start = decoder.pos
		const clientId = decoding.readVarUint(decoder)
		const clock = decoding.readVarUint(decoder)
		// A varString is a varUint8Array of UTF-8: read it as a view, without decoding.
		const state = decoding.readVarUint8Array(decoder)
		const knownClock = awareness.meta.get(clientId)?.clock ?? 0
		const applies = clock > knownClock || (clock === knownClock && isNullState(state) && awareness.states.has(clientId))
		if (applies) fresh.push([start, decoder.pos])
	}
	if (fresh.length === count) return update
	if (fresh.length === 0) return null
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, fresh.length)
	for (const [start, end] of fresh) encoding.writeUint8Array(encoder, update.subarray(start, end))
	return encoding.toUint8Array(encoder)
}
