/**
 * Fencing of board writes on PostgreSQL (cluster mode, server/cluster).
 *
 * Every new owner lease of a board comes with a higher token (Redis INCR).
 * Each write of the board runs `checkFence` first, in the SAME transaction:
 * one statement that raises the stored token to the given one only if the
 * stored one is not higher (`fence <= given`), and row-locks it until the
 * transaction ends. A write of a deposed owner (paused process, partitioned
 * host) therefore either commits before the new owner's claim — which then
 * waits for it and loads afterwards, so the write is seen — or is refused.
 */
import type pg from 'pg'
import type { BoardId } from '../../../shared/boardId'

/** A write carried an older fencing token than the board's current owner holds. */
export class StaleFenceError extends Error {
	override name = 'StaleFenceError'
	constructor(
		readonly boardId: BoardId,
		readonly given: number,
		/** The board's current token. */
		readonly stored: number,
	) {
		super(`board ${boardId}: fencing token ${given} is stale (the store holds ${stored}: a newer owner took the board)`)
	}
}

/** A claim for a board that was never created: no fence row is written for it (a socket must not create rows). */
export class UnknownBoardError extends Error {
	override name = 'UnknownBoardError'
	constructor(readonly boardId: BoardId) {
		super(`board ${boardId} does not exist`)
	}
}

const raiseFence = (comparison: '<=' | '<') => `INSERT INTO board_owner_fences (board_id, fence, updated_at) VALUES ($1, $2, $3)
	ON CONFLICT (board_id) DO UPDATE SET fence = EXCLUDED.fence, updated_at = EXCLUDED.updated_at
	WHERE board_owner_fences.fence ${comparison} EXCLUDED.fence
	RETURNING fence`

/** A write: the owner's token may equal the stored one (it claimed it). */
const RAISE_FENCE_FOR_WRITE = raiseFence('<=')
/**
 * A claim: a new lease must bring a token NO owner had before, strictly above
 * the stored one — after a Redis restart the counter could hand out a token
 * a deposed (paused) owner still holds.
 */
const RAISE_FENCE_FOR_CLAIM = raiseFence('<')

/**
 * Raises the board's token to `fence` (row-locked to the end of the transaction) or throws
 * StaleFenceError. `claim`: the token must be strictly newer than the stored one.
 */
export async function checkFence(client: Pick<pg.PoolClient, 'query'>, boardId: BoardId, fence: number, claim = false): Promise<void> {
	const { rowCount } = await client.query(claim ? RAISE_FENCE_FOR_CLAIM : RAISE_FENCE_FOR_WRITE, [boardId, fence, Date.now()])
	if (rowCount === 1) return
	const { rows } = await client.query<{ fence: string }>('SELECT fence FROM board_owner_fences WHERE board_id = $1', [boardId])
	throw new StaleFenceError(boardId, fence, rows[0] ? Number(rows[0].fence) : 0)
}

/** Writes that carry a fencing token: PgBoardStorage and PgSessionStore implement them. */
export interface FencedBoardWrites {
	/**
	 * Raises the token before the new owner loads the board: from then on older owners' writes are
	 * refused. Throws UnknownBoardError for a board never created, StaleFenceError for an old token.
	 */
	claimFence(boardId: BoardId, fence: number): Promise<void>
	appendUpdatesFenced(boardId: BoardId, updates: readonly Uint8Array[], fence: number): Promise<number>
	compactFenced(boardId: BoardId, snapshot: Uint8Array, throughSeq: number, fence: number): Promise<void>
}
