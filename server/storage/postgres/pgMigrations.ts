/**
 * Named, append-only schema migrations for PostgreSQL, the same schema as
 * server/storage/migrations.ts (SQLite) in PostgreSQL types. Never edit or
 * reorder a shipped migration; add a new one.
 *
 * `runPgMigrations` holds a session-level advisory lock for the whole run, so
 * two server processes starting together against one database migrate once:
 * the second waits, then finds every migration recorded.
 */
import type pg from 'pg'
import { checkOut } from './pgPool'

export interface PgMigration {
	name: string
	sql: string
}

/** Key of the advisory lock taken while migrating (any fixed bigint; "wbmigrat" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x77626d6967726174n

export const PG_MIGRATIONS: readonly PgMigration[] = [
	{
		name: '001-create-boards-updates-and-snapshots',
		sql: `
			CREATE TABLE boards (
				id TEXT PRIMARY KEY,
				-- Milliseconds since the epoch, as in the SQLite schema, so migrate-storage copies values unchanged.
				created_at BIGINT NOT NULL,
				updated_at BIGINT NOT NULL
			);
			-- The append-only log of accepted Yjs updates, folded into board_snapshots by compaction.
			CREATE TABLE board_updates (
				board_id TEXT NOT NULL REFERENCES boards(id),
				seq BIGINT NOT NULL,
				bytes BYTEA NOT NULL,
				PRIMARY KEY (board_id, seq)
			);
			-- One full Yjs state per board; through_seq is the last log entry it contains,
			-- kept so seq numbers never go backwards after the log is emptied.
			CREATE TABLE board_snapshots (
				board_id TEXT PRIMARY KEY REFERENCES boards(id),
				through_seq BIGINT NOT NULL,
				bytes BYTEA NOT NULL,
				created_at BIGINT NOT NULL
			);
		`,
	},
	{
		// One token per role per board, stored as SHA-256 only (docs/sessions.md).
		name: '002-create-board-tokens',
		sql: `
			CREATE TABLE board_tokens (
				board_id TEXT NOT NULL,
				role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'viewer')),
				token_hash BYTEA NOT NULL UNIQUE,
				created_at BIGINT NOT NULL,
				PRIMARY KEY (board_id, role)
			);
		`,
	},
	{
		name: '003-create-voting-sessions-and-session-state',
		sql: `
			CREATE TABLE voting_sessions (
				id TEXT PRIMARY KEY,
				board_id TEXT NOT NULL,
				config TEXT NOT NULL,
				status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
				created_at BIGINT NOT NULL,
				closed_at BIGINT,
				results TEXT,
				voter_salt BYTEA
			);
			CREATE INDEX voting_sessions_by_board ON voting_sessions (board_id, created_at);
			CREATE TABLE vote_ballots (
				session_id TEXT NOT NULL REFERENCES voting_sessions(id) ON DELETE CASCADE,
				voter_key TEXT NOT NULL,
				item_id TEXT NOT NULL,
				count INTEGER NOT NULL CHECK (count > 0),
				voter_name TEXT,
				PRIMARY KEY (session_id, voter_key, item_id)
			);
			CREATE TABLE board_session_state (
				board_id TEXT PRIMARY KEY,
				state TEXT NOT NULL,
				updated_at BIGINT NOT NULL
			);
		`,
	},
	{
		// Board versions (#14 item 5), as in the SQLite migration of the same name.
		name: '004-create-board-versions',
		sql: `
			CREATE TABLE board_versions (
				id TEXT PRIMARY KEY,
				board_id TEXT NOT NULL,
				name TEXT NOT NULL,
				kind TEXT NOT NULL CHECK (kind IN ('named', 'auto')),
				created_at BIGINT NOT NULL,
				size_bytes BIGINT NOT NULL,
				doc BYTEA NOT NULL,
				session TEXT NOT NULL
			);
			CREATE INDEX board_versions_by_board ON board_versions (board_id, created_at);
		`,
	},
	{
		// The fencing token of each board's owner process in a cluster (REDIS_URL, server/cluster):
		// a write carrying a lower token than the stored one comes from a deposed owner and is refused.
		// Its own table, not a column of boards: session writes fence boards whose row they never touch.
		name: '005-create-board-owner-fences',
		sql: `
			CREATE TABLE board_owner_fences (
				board_id TEXT PRIMARY KEY,
				fence BIGINT NOT NULL CHECK (fence >= 0),
				updated_at BIGINT NOT NULL
			);
		`,
	},
]

/** Applies every migration not yet recorded, each in its own transaction. Returns the names applied now. */
export async function runPgMigrations(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<string[]> {
	const client = await checkOut(pool)
	let released = false
	try {
		await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()])
		try {
			await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`)
			const applied = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name))
			const appliedNow: string[] = []
			for (const migration of migrations) {
				if (applied.has(migration.name)) continue
				await client.query('BEGIN')
				try {
					await client.query(migration.sql)
					await client.query('INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)', [migration.name, Date.now()])
					await client.query('COMMIT')
				} catch (error) {
					await client.query('ROLLBACK')
					throw error
				}
				appliedNow.push(migration.name)
			}
			return appliedNow
		} finally {
			await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()])
		}
	} catch (error) {
		// A connection in an unknown state (e.g. lost mid-migration) must not go back to the pool.
		client.releaseChecked(error instanceof Error ? error : new Error(String(error)))
		released = true
		throw error
	} finally {
		if (!released) client.releaseChecked()
	}
}
