/**
 * The storage provider: every persisted store of the server behind its async
 * port. `startServer` takes one; nothing else in the server names a backend.
 *
 * | port | what | adapters |
 * |---|---|---|
 * | boards: BoardStorage | board documents (snapshot + update log) | SQLite, PostgreSQL, memory |
 * | tokens: BoardTokenStore | role tokens (hashes) | SQLite, PostgreSQL, memory |
 * | sessions: SessionStore | voting sessions, ballots, session state | SQLite, PostgreSQL, memory |
 * | versions: VersionStore | saved and automatic board versions | SQLite, PostgreSQL, memory |
 */
import type { BoardTokenStore } from '../auth/tokenStore'
import { SqliteBoardTokenStore } from '../auth/tokenStore'
import type { SessionStore } from '../session/sessionStore'
import { SqliteSessionStore } from '../session/sessionStore'
import { openAppDatabase } from './appDatabase'
import type { BoardStorage } from './boardStorage'
import { MemoryBoardTokenStore, MemorySessionStore } from './memoryAppStores'
import { MemoryBoardStorage } from './memoryBoardStorage'
import { createPgPool, type PgPoolOptions } from './postgres/pgPool'
import { PgBoardTokenStore, PgSessionStore } from './postgres/pgAppStores'
import { PgBoardStorage } from './postgres/pgBoardStorage'
import { runPgMigrations } from './postgres/pgMigrations'
import { SqliteBoardStorage } from './sqliteBoardStorage'
import { MemoryVersionStore } from './memoryVersionStore'
import { PgVersionStore } from './postgres/pgVersionStore'
import { SqliteVersionStore } from './sqliteVersionStore'
import type { VersionStore } from './versionStore'

export type StorageBackend = 'sqlite' | 'postgres' | 'memory'

export interface StorageProvider {
	readonly backend: StorageBackend
	readonly boards: BoardStorage
	readonly tokens: BoardTokenStore
	readonly sessions: SessionStore
	readonly versions: VersionStore
	/** Closes every store (flushes nothing: rooms flush before this is called). */
	close(): Promise<void>
}

/** SQLite in `dataDir/workshop-board.sqlite` (created and migrated in place). */
export function openSqliteStorage(dataDir: string): StorageProvider {
	const boards = SqliteBoardStorage.open(dataDir)
	// Tokens and sessions use a second connection to the same file (server/storage/appDatabase.ts).
	const appDatabase = openAppDatabase(dataDir)
	return {
		backend: 'sqlite',
		boards,
		tokens: new SqliteBoardTokenStore(appDatabase),
		sessions: new SqliteSessionStore(appDatabase),
		versions: new SqliteVersionStore(appDatabase),
		async close() {
			await boards.close()
			if (appDatabase.open) appDatabase.close()
		},
	}
}

/** Everything in process memory; gone when the process ends. */
export function openMemoryStorage(): StorageProvider {
	const boards = new MemoryBoardStorage()
	return { backend: 'memory', boards, tokens: new MemoryBoardTokenStore(), sessions: new MemorySessionStore(),
		versions: new MemoryVersionStore(),
		close: () => boards.close() }
}

/**
 * PostgreSQL at `url`: one pool shared by the four stores; migrations run
 * first under an advisory lock. Rejects when the database is unreachable.
 */
export async function openPostgresStorage(url: string, options: PgPoolOptions = {}): Promise<StorageProvider> {
	const pool = createPgPool(url, options)
	try {
		await runPgMigrations(pool)
	} catch (error) {
		await pool.end().catch(() => {})
		throw error
	}
	return {
		backend: 'postgres',
		boards: new PgBoardStorage(pool),
		tokens: new PgBoardTokenStore(pool),
		sessions: new PgSessionStore(pool),
		versions: new PgVersionStore(pool),
		async close() {
			if (!pool.ended) await pool.end()
		},
	}
}

/** `provider` with its board documents behind `wrap` (fault-injecting wrappers in tests); close() closes both. */
export function withBoards(provider: StorageProvider, wrap: (boards: BoardStorage) => BoardStorage): StorageProvider {
	const boards = wrap(provider.boards)
	return {
		...provider,
		boards,
		async close() {
			await boards.close()
			await provider.close()
		},
	}
}
