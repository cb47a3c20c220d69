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
