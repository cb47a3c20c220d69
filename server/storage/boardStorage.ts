/**
 * The storage boundary of the server. Rooms depend on this interface only,
 * so SQLite can be swapped for another backend that passes the same contract
 * suite (test/unit/storage.contract.ts).
 *
 * Model: a board is an optional snapshot (a full Yjs state) plus an ordered
 * log of updates appended after it. Compaction folds the log into a new
 * snapshot. Yjs updates are idempotent and commutative, so a snapshot that
 * already contains some later-appended updates is harmless.
 */
import type { BoardId } from '../../shared/boardId'

export interface StoredBoard {
	/** Snapshot and every update after it merged into one Yjs update; null for an unknown board. */
	update: Uint8Array | null
	/** Highest sequence number stored for the board (0 if none). */
	lastSeq: number
	/** Appended updates not yet folded into the snapshot — drives the compaction trigger. */
	pendingUpdates: number
	pendingBytes: number
}

export interface BoardStorage {
	loadBoard(boardId: BoardId): Promise<StoredBoard>
	/**
	 * Appends updates in order, atomically (all or none), creating the board
	 * row if needed. Resolves with the sequence number of the last one.
	 */
	appendUpdates(boardId: BoardId, updates: readonly Uint8Array[]): Promise<number>
	/**
	 * Replaces the snapshot and every update with seq <= throughSeq by
	 * `snapshot`, atomically. `snapshot` must contain all those updates.
	 */
	compact(boardId: BoardId, snapshot: Uint8Array, throughSeq: number): Promise<void>
	close(): Promise<void>
}
