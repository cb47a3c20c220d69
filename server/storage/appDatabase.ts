/**
 * Opens a connection to the server's SQLite file for the synchronous stores
 * (role tokens, facilitated sessions). It is the same file as
 * SqliteBoardStorage's, with the same pragmas and migrations; better-sqlite3
 * is synchronous and Node single-threaded, so the two connections of one
 * process never hold the write lock at the same time.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { runMigrations } from './migrations'
import { DATABASE_FILE_NAME } from './sqliteBoardStorage'

export function openAppDatabase(dataDir: string): Database.Database {
	fs.mkdirSync(dataDir, { recursive: true })
	const db = new Database(path.join(dataDir, DATABASE_FILE_NAME))
	db.pragma('journal_mode = WAL')
	// NORMAL in WAL mode: a commit survives a crash of this process (what a vote
	// reply promises); only an OS crash or power cut can lose the last commits.
	// FULL would fsync every vote, which 100 simultaneous voters would queue on.
	db.pragma('synchronous = NORMAL')
	db.pragma('busy_timeout = 2000')
	db.pragma('foreign_keys = ON')
	runMigrations(db)
	return db
}
