/**
 * BoardStorage on PostgreSQL (same model as SqliteBoardStorage: snapshot +
 * ordered update log per board). A commit has returned from the server
 * before appendUpdates resolves, so with PostgreSQL's default
 * `synchronous_commit = on` an accepted update is as durable as with SQLite's
 * `synchronous = FULL`.
 *
 * Concurrent writers (several processes, or overlapping calls of one): each
 * append first upserts the board's `boards` row, which row-locks it until the
 * transaction ends, so appends of one board are serialised and their seq
 * numbers never collide; other boards are not blocked.
 *
 * In a cluster the owner process writes through the `…Fenced` methods, which
 * refuse a deposed owner's writes in the same transaction (./pgFencing.ts).
 */
import type pg from 'pg'
import type { BoardId } from '../../../shared/boardId'
import type { BoardStorage, StoredBoard } from '../boardStorage'
import { toStoredBoard, toUint8Array } from '../storedUpdates'
import { checkFence, UnknownBoardError, type FencedBoardWrites } from './pgFencing'
import { inPgTransaction } from './pgPool'

const UPSERT_BOARD = `INSERT INTO boards (id, created_at, updated_at) VALUES ($1, $2, $2)
	ON CONFLICT (id) DO UPDATE SET updated_at = EXCLUDED.updated_at`

const LAST_SEQ = `SELECT GREATEST(
	(SELECT MAX(seq) FROM board_updates WHERE board_id = $1),
	(SELECT through_seq FROM board_snapshots WHERE board_id = $1)) AS seq`

export class PgBoardStorage implements BoardStorage, FencedBoardWrites {
	/** `ownsPool`: close() ends the pool (false when a StorageProvider shares it between stores). */
	constructor(
		private readonly pool: pg.Pool,
		private readonly ownsPool = false,
	) {}

	async loadBoard(boardId: BoardId): Promise<StoredBoard> {
		// REPEATABLE READ: the snapshot and the log are read from one consistent view,
		// even if a compaction of another process commits between the two queries.
		return inPgTransaction(
			this.pool,
			async (client) => {
				const snapshot = await client.query<{ through_seq: string; bytes: Buffer }>(
					'SELECT through_seq, bytes FROM board_snapshots WHERE board_id = $1',
					[boardId],
				)
				const first = snapshot.rows[0]
				const afterSeq = first ? Number(first.through_seq) : 0
				const log = await client.query<{ seq: string; bytes: Buffer }>(
					'SELECT seq, bytes FROM board_updates WHERE board_id = $1 AND seq > $2 ORDER BY seq',
					[boardId, afterSeq],
				)
				return toStoredBoard(
					first ? { throughSeq: afterSeq, bytes: toUint8Array(first.bytes) } : null,
					log.rows.map((row) => ({ seq: Number(row.seq), bytes: toUint8Array(row.bytes) })),
				)
			},
			'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
		)
	}

	appendUpdates(boardId: BoardId, updates: readonly Uint8Array[]): Promise<number> {
		return inPgTransaction(this.pool, (client) => appendIn(client, boardId, updates))
	}

	compact(boardId: BoardId, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		return inPgTransaction(this.pool, (client) => compactIn(client, boardId, snapshot, throughSeq))
	}

	async claimFence(boardId: BoardId, fence: number): Promise<void> {
		await inPgTransaction(this.pool, async (client) => {
			const board = await client.query('SELECT 1 FROM boards WHERE id = $1', [boardId])
			if (board.rowCount === 0) throw new UnknownBoardError(boardId)
			await checkFence(client, boardId, fence, true)
		})
	}

	appendUpdatesFenced(boardId: BoardId, updates: readonly Uint8Array[], fence: number): Promise<number> {
		return inPgTransaction(this.pool, async (client) => {
			await checkFence(client, boardId, fence)
			return appendIn(client, boardId, updates)
		})
	}

	compactFenced(boardId: BoardId, snapshot: Uint8Array, throughSeq: number, fence: number): Promise<void> {
		return inPgTransaction(this.pool, async (client) => {
			await checkFence(client, boardId, fence)
			await compactIn(client, boardId, snapshot, throughSeq)
		})
	}

	async close(): Promise<void> {
		if (this.ownsPool && !this.pool.ended) await this.pool.end()
	}
}

async function appendIn(client: pg.PoolClient, boardId: BoardId, updates: readonly Uint8Array[]): Promise<number> {
	await client.query(UPSERT_BOARD, [boardId, Date.now()])
	const last = Number((await client.query<{ seq: string | null }>(LAST_SEQ, [boardId])).rows[0].seq ?? 0)
	if (updates.length === 0) return last
	// One statement for the whole batch: a room flush is one round trip, not one per update.
	await client.query(
		`INSERT INTO board_updates (board_id, seq, bytes)
		 SELECT $1, $2::bigint + t.ord, t.bytes FROM unnest($3::bytea[]) WITH ORDINALITY AS t(bytes, ord)`,
		[boardId, last, updates.map(toBuffer)],
	)
	return last + updates.length
}

async function compactIn(client: pg.PoolClient, boardId: BoardId, snapshot: Uint8Array, throughSeq: number): Promise<void> {
	await client.query(UPSERT_BOARD, [boardId, Date.now()])
	const current = await client.query<{ through_seq: string }>('SELECT through_seq FROM board_snapshots WHERE board_id = $1', [boardId])
	// Keep seq monotonic even if a caller passes an older seq.
	const through = Math.max(throughSeq, current.rows[0] ? Number(current.rows[0].through_seq) : 0)
	await client.query(
		`INSERT INTO board_snapshots (board_id, through_seq, bytes, created_at) VALUES ($1, $2, $3, $4)
		 ON CONFLICT (board_id) DO UPDATE SET through_seq = EXCLUDED.through_seq, bytes = EXCLUDED.bytes, created_at = EXCLUDED.created_at`,
		[boardId, through, toBuffer(snapshot), Date.now()],
	)
	await client.query('DELETE FROM board_updates WHERE board_id = $1 AND seq <= $2', [boardId, through])
}

function toBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
