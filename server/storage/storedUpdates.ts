/**
 * Turns a stored snapshot plus its update log into one Yjs update. Shared by
 * every BoardStorage adapter so all of them load a board the same way.
 */
import * as Y from 'yjs'
import type { StoredBoard } from './boardStorage'

/** Up to this many parts Y.mergeUpdates is fastest; beyond, its cost grows superlinearly. */
const MERGE_UPDATES_MAX_PARTS = 64

/**
 * Merges snapshot + log into one update so the room integrates it with a
 * single applyUpdate. Y.mergeUpdates is superlinear in the number of parts
 * (measured: 10k small updates ≈ 1.4 s), so a long log — e.g. left by a
 * crash before compaction — is instead applied to a scratch doc in one
 * transaction (100k updates ≈ 0.3 s) and re-encoded.
 */
export function mergeStoredUpdates(parts: Uint8Array[]): Uint8Array | null {
	if (parts.length === 0) return null
	if (parts.length === 1) return parts[0]
	if (parts.length <= MERGE_UPDATES_MAX_PARTS) return Y.mergeUpdates(parts)
	const scratch = new Y.Doc()
	try {
		scratch.transact(() => {
			for (const part of parts) Y.applyUpdate(scratch, part)
		})
		return Y.encodeStateAsUpdate(scratch)
	} finally {
		scratch.destroy()
	}
}

/** Builds a StoredBoard from a snapshot (if any) and the log rows after it, in seq order. */
export function toStoredBoard(
	snapshot: { throughSeq: number; bytes: Uint8Array } | null,
	log: readonly { seq: number; bytes: Uint8Array }[],
): StoredBoard {
	const parts: Uint8Array[] = []
	if (snapshot) parts.push(snapshot.bytes)
	let pendingBytes = 0
	for (const row of log) {
		parts.push(row.bytes)
		pendingBytes += row.bytes.byteLength
	}
	const lastSeq = log.length > 0 ? log[log.length - 1].seq : (snapshot?.throughSeq ?? 0)
	return { update: mergeStoredUpdates(parts), lastSeq, pendingUpdates: log.length, pendingBytes }
}

/** A Buffer (what SQLite and PostgreSQL drivers return) viewed as a plain Uint8Array, without copying. */
export function toUint8Array(buffer: Buffer): Uint8Array {
	return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
