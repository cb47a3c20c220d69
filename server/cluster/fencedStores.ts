/**
 * The stores as the rooms of a cluster process see them: every write of a
 * board carries this process's fencing token for it, and a board whose lease
 * this process does not hold can be neither loaded by a room nor written
 * (NotOwnerError, which fails the room like any storage fault: its clients
 * are closed with a retryable code and reconnect to the new owner).
 *
 * Without a cluster (`leases` null) the same wrappers only time the writes
 * for /metrics and call the stores unchanged.
 */
import type { BoardId } from '../../shared/boardId'
import type { SessionStore, StoredSessionState, StoredVotingSession } from '../session/sessionStore'
import type { BallotRow, VotingSessionRecord } from '../session/votingEngine'
import type { VoteResults } from '../../shared/session/messages'
import type { BoardStorage, StoredBoard } from '../storage/boardStorage'
import type { FencedSessionWrites } from '../storage/postgres/pgAppStores'
import type { FencedBoardWrites } from '../storage/postgres/pgFencing'
import type { ClusterMetrics } from './clusterMetrics'

/** This process does not hold the board's lease (any more). */
export class NotOwnerError extends Error {
	override name = 'NotOwnerError'
	constructor(boardId: BoardId) {
		super(`this process does not own board ${boardId}`)
	}
}

export interface FenceSource {
	fenceOf(boardId: BoardId): number | null
}

/** BoardStorage of the rooms: loads and writes only boards this process owns. */
export class RoomBoardStorage implements BoardStorage {
	constructor(
		private readonly inner: BoardStorage,
		private readonly leases: FenceSource | null,
		private readonly metrics: ClusterMetrics,
	) {}

	loadBoard(boardId: BoardId): Promise<StoredBoard> {
		if (this.leases) this.fenceFor(boardId)
		return this.inner.loadBoard(boardId)
	}

	appendUpdates(boardId: BoardId, updates: readonly Uint8Array[]): Promise<number> {
		return this.metrics.timeCommit('append', async () => {
			if (!this.leases) return this.inner.appendUpdates(boardId, updates)
			return this.fenced().appendUpdatesFenced(boardId, updates, this.fenceFor(boardId))
		})
	}

	compact(boardId: BoardId, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		return this.metrics.timeCommit('compact', async () => {
			if (!this.leases) return this.inner.compact(boardId, snapshot, throughSeq)
			return this.fenced().compactFenced(boardId, snapshot, throughSeq, this.fenceFor(boardId))
		})
	}

	/** The provider closes the real store. */
	async close(): Promise<void> {}

	private fenceFor(boardId: BoardId): number {
		const fence = this.leases?.fenceOf(boardId) ?? null
		if (fence === null) throw new NotOwnerError(boardId)
		return fence
	}

	private fenced(): FencedBoardWrites {
		return this.inner as unknown as FencedBoardWrites
	}
}

/**
 * BoardStorage of the HTTP API in a cluster (create, import, export): reads
 * as usual; a write carries this process's token if it owns the board, else
 * token 0, which the store accepts only for a board no owner ever claimed
 * (a board being created).
 */
export class ApiBoardStorage implements BoardStorage {
	constructor(
		private readonly inner: BoardStorage,
		private readonly leases: FenceSource,
	) {}

	loadBoard(boardId: BoardId): Promise<StoredBoard> {
		return this.inner.loadBoard(boardId)
	}

	appendUpdates(boardId: BoardId, updates: readonly Uint8Array[]): Promise<number> {
		return (this.inner as unknown as FencedBoardWrites).appendUpdatesFenced(boardId, updates, this.leases.fenceOf(boardId) ?? 0)
	}

	compact(boardId: BoardId, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		return (this.inner as unknown as FencedBoardWrites).compactFenced(boardId, snapshot, throughSeq, this.leases.fenceOf(boardId) ?? 0)
	}

	async close(): Promise<void> {}
}

interface FencedSessionSource {
	fencedWrites(boardId: BoardId, fence: number): FencedSessionWrites
}

/**
 * SessionStore of a cluster process: ballots, voting sessions and session
 * state are written only by the board's owner, with its token. Ballot writes
 * name a voting session, not a board: the board is remembered from the
 * session's load or creation (a room always loads its sessions first).
 */
export class FencedSessionStore implements SessionStore {
	private readonly boardOfSession = new Map<string, BoardId>()

	constructor(
		private readonly inner: SessionStore,
		private readonly leases: FenceSource,
		private readonly metrics: ClusterMetrics,
	) {}

	async loadVotingSessions(boardId: BoardId): Promise<StoredVotingSession[]> {
		const sessions = await this.inner.loadVotingSessions(boardId)
		for (const { record } of sessions) this.boardOfSession.set(record.id, boardId)
		return sessions
	}

	loadState(boardId: BoardId): Promise<unknown> {
		return this.inner.loadState(boardId)
	}

	loadClosedResults(boardId: BoardId): ReturnType<SessionStore['loadClosedResults']> {
		return this.inner.loadClosedResults(boardId)
	}

	insertVotingSession(record: VotingSessionRecord): Promise<void> {
		this.boardOfSession.set(record.id, record.boardId)
		return this.write(record.boardId, (writes) => writes.insertVotingSession(record))
	}

	setBallotCount(sessionId: string, row: BallotRow): Promise<void> {
		return this.write(this.boardOf(sessionId), (writes) => writes.setBallotCount(sessionId, row))
	}

	closeVotingSession(sessionId: string, closedAt: number, results: VoteResults, eraseBallots: boolean): Promise<void> {
		return this.write(this.boardOf(sessionId), (writes) => writes.closeVotingSession(sessionId, closedAt, results, eraseBallots))
	}

	saveState(boardId: BoardId, state: StoredSessionState): Promise<void> {
		return this.write(boardId, (writes) => writes.saveState(boardId, state))
	}

	private boardOf(sessionId: string): BoardId {
		const boardId = this.boardOfSession.get(sessionId)
		if (boardId === undefined) throw new Error(`voting session ${sessionId} was not loaded by this process`)
		return boardId
	}

	private write(boardId: BoardId, work: (writes: FencedSessionWrites) => Promise<void>): Promise<void> {
		return this.metrics.timeCommit('session', async () => {
			const fence = this.leases.fenceOf(boardId)
			if (fence === null) throw new NotOwnerError(boardId)
			await work((this.inner as unknown as FencedSessionSource).fencedWrites(boardId, fence))
		})
	}
}
