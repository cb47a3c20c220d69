/**
 * BoardStorage in process memory, for unit tests and throwaway servers.
 * Several instances can share one `MemoryBoardData` to stand for several
 * connections to one database (the contract suite's concurrent writers).
 * Every method copies its inputs and outputs, so callers can never change
 * stored bytes by mutating an array they passed or received.
 */
import type { BoardId } from '../../shared/boardId'
import type { BoardStorage, StoredBoard } from './boardStorage'
import { toStoredBoard } from './storedUpdates'

interface MemoryBoard {
	snapshot: { throughSeq: number; bytes: Uint8Array } | null
	log: { seq: number; bytes: Uint8Array }[]
}

/** The "database" of MemoryBoardStorage; share it between instances to share data. */
export type MemoryBoardData = Map<BoardId, MemoryBoard>

export type MemoryStorageOperation = 'loadBoard' | 'appendUpdates' | 'compact'

export class MemoryBoardStorage implements BoardStorage {
	private closed = false
	private readonly failing = new Map<MemoryStorageOperation, Error>()

	constructor(readonly data: MemoryBoardData = new Map()) {}

	/** Failure injection: every call of `operation` rejects with `error` (nothing written) until cleared with null. */
	failOperation(operation: MemoryStorageOperation, error: Error | null): void {
		if (error) this.failing.set(operation, error)
		else this.failing.delete(operation)
	}

	async loadBoard(boardId: BoardId): Promise<StoredBoard> {
		this.check('loadBoard')
		const board = this.data.get(boardId)
		if (!board) return toStoredBoard(null, [])
		return toStoredBoard(board.snapshot && { ...board.snapshot, bytes: board.snapshot.bytes.slice() }, board.log.map((row) => ({ ...row, bytes: row.bytes.slice() })))
	}

	async appendUpdates(boardId: BoardId, updates: readonly Uint8Array[]): Promise<number> {
		this.check('appendUpdates')
		const board = this.boardFor(boardId)
		let seq = board.log.length > 0 ? board.log[board.log.length - 1].seq : (board.snapshot?.throughSeq ?? 0)
		for (const update of updates) board.log.push({ seq: ++seq, bytes: update.slice() })
		return seq
	}

	async compact(boardId: BoardId, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		this.check('compact')
		const board = this.boardFor(boardId)
		// Keep seq monotonic even if a caller passes an older seq.
		const through = Math.max(throughSeq, board.snapshot?.throughSeq ?? 0)
		board.snapshot = { throughSeq: through, bytes: snapshot.slice() }
		board.log = board.log.filter((row) => row.seq > through)
	}

	async close(): Promise<void> {
		this.closed = true
	}

	private check(operation: MemoryStorageOperation): void {
		if (this.closed) throw new Error('MemoryBoardStorage is closed')
		const error = this.failing.get(operation)
		if (error) throw error
	}

	private boardFor(boardId: BoardId): MemoryBoard {
		let board = this.data.get(boardId)
		if (!board) {
			board = { snapshot: null, log: [] }
			this.data.set(boardId, board)
		}
		return board
	}
}
