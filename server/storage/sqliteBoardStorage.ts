/**
 * BoardStorage on one SQLite file (better-sqlite3, WAL). better-sqlite3 is
 * synchronous; the async interface exists for other backends.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { BoardId } from '../../shared/boardId'
import type { BoardStorage, StoredBoard } from './boardStorage'
import { runMigrations } from './migrations'
import { toStoredBoard, toUint8Array } from './storedUpdates'

export const DATABASE_FILE_NAME = 'workshop-board.sqlite'

export class SqliteBoardStorage implements BoardStorage {
	private readonly db: Database.Database
	private readonly statements

	/** Opens (creating the directory and file if missing) `dataDir/workshop-board.sqlite`. */
	static open(dataDir: string): SqliteBoardStorage {
		fs.mkdirSync(dataDir, { recursive: true })
		return new SqliteBoardStorage(new Database(path.join(dataDir, DATABASE_FILE_NAME)))
	}

	constructor(db: Database.Database) {
		this.db = db
		db.pragma('journal_mode = WAL')
		// FULL: a commit is fsynced before appendUpdates resolves, so "accepted
		// and flushed" also survives power loss, not only a process crash. The
		// room batches updates (~100 ms) so this costs a few fsyncs per second.
		db.pragma('synchronous = FULL')
		// Wait briefly instead of failing at once if another process (a backup,
		// the sqlite3 shell) holds the write lock.
		db.pragma('busy_timeout = 2000')
		db.pragma('foreign_keys = ON')
		runMigrations(db)
		this.statements = {
			upsertBoard: db.prepare(
				`INSERT INTO boards (id, created_at, updated_at) VALUES (@id, @now, @now)
				 ON CONFLICT (id) DO UPDATE SET updated_at = @now`,
			),
			lastSeq: db.prepare(
				`SELECT MAX(seq) AS seq FROM (
					SELECT MAX(seq) AS seq FROM board_updates WHERE board_id = ?
					UNION ALL SELECT through_seq FROM board_snapshots WHERE board_id = ?
				)`,
			),
			insertUpdate: db.prepare('INSERT INTO board_updates (board_id, seq, bytes) VALUES (?, ?, ?)'),
			snapshot: db.prepare('SELECT through_seq AS throughSeq, bytes FROM board_snapshots WHERE board_id = ?'),
			updatesAfter: db.prepare('SELECT seq, bytes FROM board_updates WHERE board_id = ? AND seq > ? ORDER BY seq'),
			upsertSnapshot: db.prepare(
				`INSERT INTO board_snapshots (board_id, through_seq, bytes, created_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT (board_id) DO UPDATE SET through_seq = excluded.through_seq, bytes = excluded.bytes,
				 created_at = excluded.created_at`,
			),
			deleteUpdatesThrough: db.prepare('DELETE FROM board_updates WHERE board_id = ? AND seq <= ?'),
		}
	}

	async loadBoard(boardId: BoardId): Promise<StoredBoard> {
		return this.db.transaction((): StoredBoard => {
			const snapshot = this.statements.snapshot.get(boardId) as { throughSeq: number; bytes: Buffer } | undefined
			const afterSeq = snapshot?.throughSeq ?? 0
			const rows = this.statements.updatesAfter.all(boardId, afterSeq) as { seq: number; bytes: Buffer }[]
			return toStoredBoard(
				snapshot ? { throughSeq: snapshot.throughSeq, bytes: toUint8Array(snapshot.bytes) } : null,
				rows.map((row) => ({ seq: row.seq, bytes: toUint8Array(row.bytes) })),
			)
		})()
	}

	async appendUpdates(boardId: BoardId, updates: readonly Uint8Array[]): Promise<number> {
		return this.db.transaction((): number => {
			this.statements.upsertBoard.run({ id: boardId, now: Date.now() })
			const row = this.statements.lastSeq.get(boardId, boardId) as { seq: number | null }
			let seq = row.seq ?? 0
			for (const update of updates) {
				seq += 1
				this.statements.insertUpdate.run(boardId, seq, update)
			}
			return seq
		})()
	}

	async compact(boardId: BoardId, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		this.db.transaction(() => {
			this.statements.upsertBoard.run({ id: boardId, now: Date.now() })
			const current = this.statements.snapshot.get(boardId) as { throughSeq: number } | undefined
			// Keep seq monotonic even if a caller passes an older seq.
			const through = Math.max(throughSeq, current?.throughSeq ?? 0)
			this.statements.upsertSnapshot.run(boardId, through, snapshot, Date.now())
			this.statements.deleteUpdatesThrough.run(boardId, through)
		})()
	}

	async close(): Promise<void> {
		if (this.db.open) this.db.close()
	}
}
