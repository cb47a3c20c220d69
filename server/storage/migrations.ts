/**
 * Named, append-only schema migrations for the SQLite database. Never edit or
 * reorder a shipped migration; add a new one. Applied names are recorded in
 * `schema_migrations`, each migration in its own transaction.
 */
import type Database from 'better-sqlite3'

export interface Migration {
	name: string
	up(db: Database.Database): void
}

export const MIGRATIONS: readonly Migration[] = [
	{
		name: '001-create-boards-updates-and-snapshots',
		up(db) {
			db.exec(`
				CREATE TABLE boards (
					id TEXT PRIMARY KEY,
					created_at INTEGER NOT NULL,
					updated_at INTEGER NOT NULL
				);
				-- The append-only log of accepted Yjs updates, folded into board_snapshots by compaction.
				CREATE TABLE board_updates (
					board_id TEXT NOT NULL REFERENCES boards(id),
					seq INTEGER NOT NULL,
					bytes BLOB NOT NULL,
					PRIMARY KEY (board_id, seq)
				) WITHOUT ROWID;
				-- One full Yjs state per board; through_seq is the last log entry it contains,
				-- kept so seq numbers never go backwards after the log is emptied.
				CREATE TABLE board_snapshots (
					board_id TEXT PRIMARY KEY REFERENCES boards(id),
					through_seq INTEGER NOT NULL,
					bytes BLOB NOT NULL,
					created_at INTEGER NOT NULL
				);
			`)
		},
	},
	{
		// Facilitated sessions (#4): one token per role per board, stored as SHA-256 only.
		// A board without rows here is "open" (created before role links; docs/sessions.md).
		name: '002-create-board-tokens',
		up(db) {
			db.exec(`
				CREATE TABLE board_tokens (
					board_id TEXT NOT NULL,
					role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'viewer')),
					token_hash BLOB NOT NULL UNIQUE,
					created_at INTEGER NOT NULL,
					PRIMARY KEY (board_id, role)
				) WITHOUT ROWID;
			`)
		},
	},
	{
		// Facilitated sessions (#4): voting sessions, ballots, and the rest of the session state.
		name: '003-create-voting-sessions-and-session-state',
		up(db) {
			db.exec(`
				CREATE TABLE voting_sessions (
					id TEXT PRIMARY KEY,
					board_id TEXT NOT NULL,
					config TEXT NOT NULL,
					status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
					created_at INTEGER NOT NULL,
					closed_at INTEGER,
					-- Aggregated results (JSON), set on close.
					results TEXT,
					-- Per-session secret that turns participant ids into voter keys while an
					-- anonymous session is open; erased with the ballots on close.
					voter_salt BLOB
				);
				CREATE INDEX voting_sessions_by_board ON voting_sessions (board_id, created_at);
				-- One row per voter and item with at least one dot. Anonymous sessions: voter_key is
				-- HMAC(voter_salt, participant id), voter_name is NULL, and the rows are deleted on close.
				CREATE TABLE vote_ballots (
					session_id TEXT NOT NULL REFERENCES voting_sessions(id) ON DELETE CASCADE,
					voter_key TEXT NOT NULL,
					item_id TEXT NOT NULL,
					count INTEGER NOT NULL CHECK (count > 0),
					voter_name TEXT,
					PRIMARY KEY (session_id, voter_key, item_id)
				) WITHOUT ROWID;
				-- Timer, agenda, lock, private mode, follow-me of a board (JSON).
				CREATE TABLE board_session_state (
					board_id TEXT PRIMARY KEY,
					state TEXT NOT NULL,
					updated_at INTEGER NOT NULL
				);
			`)
		},
	},
	{
		// Board versions (#14 item 5): a snapshot of the Y.Doc (doc) and of the session state
		// (session, JSON) per row; retention and per-board caps are applied by server/versions.
		name: '004-create-board-versions',
		up(db) {
			db.exec(`
				CREATE TABLE board_versions (
					id TEXT PRIMARY KEY,
					board_id TEXT NOT NULL,
					name TEXT NOT NULL,
					kind TEXT NOT NULL CHECK (kind IN ('named', 'auto')),
					created_at INTEGER NOT NULL,
					size_bytes INTEGER NOT NULL,
					doc BLOB NOT NULL,
					session TEXT NOT NULL
				);
				CREATE INDEX board_versions_by_board ON board_versions (board_id, created_at);
			`)
		},
	},
]

/** Applies every migration not yet recorded. Returns the names applied now. */
export function runMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): string[] {
	db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`)
	const applied = new Set(
		(db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((row) => row.name),
	)
	const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)')
	const appliedNow: string[] = []
	for (const migration of migrations) {
		if (applied.has(migration.name)) continue
		db.transaction(() => {
			migration.up(db)
			record.run(migration.name, Date.now())
		})()
		appliedNow.push(migration.name)
	}
	return appliedNow
}
