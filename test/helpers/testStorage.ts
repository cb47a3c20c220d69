/**
 * The storage backend an integration test runs on, chosen once per run:
 *
 *   TEST_STORAGE=sqlite (default)  every data dir is SQLite in that dir
 *   TEST_STORAGE=postgres          every data dir gets its own fresh PostgreSQL
 *                                  database (wb_test_<random>), dropped after the file
 *
 * `npm run test:integration:postgres` (the vitest project `integration-postgres`)
 * runs the whole integration suite the second way. Tests never name a backend:
 * they pass their data dir to these helpers, which is why the same dir maps to
 * the same database for a whole file (restart tests reuse their dir).
 *
 *   const env = await storageEnvFor(dataDir)           // {} or { DATABASE_URL }
 *   const storage = await openTestStorage(dataDir)     // the same store, opened in the test
 *   const rows = await queryStored(dataDir, 'SELECT COUNT(*) AS n FROM boards WHERE id = ?', [id])
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { DATABASE_FILE_NAME } from '../../server/storage/sqliteBoardStorage'
import { openPostgresStorage, openSqliteStorage, type StorageProvider } from '../../server/storage/storageProvider'
import { postgresForTests, type PostgresForTests, type TestDatabase } from './postgresDatabase'

export type TestStorageBackend = 'sqlite' | 'postgres'

export const TEST_STORAGE: TestStorageBackend = process.env.TEST_STORAGE === 'postgres' ? 'postgres' : 'sqlite'

let postgres: Promise<PostgresForTests> | null = null
const databases = new Map<string, Promise<TestDatabase>>()

/** The PostgreSQL database of `dataDir` (created on first use), or null on SQLite. */
export async function databaseUrlFor(dataDir: string): Promise<string | null> {
	if (TEST_STORAGE !== 'postgres') return null
	const key = path.resolve(dataDir)
	let database = databases.get(key)
	if (!database) {
		database = (async () => {
			postgres ??= postgresForTests()
			const server = await postgres
			// Not skipped: a run that asked for PostgreSQL must fail without it rather than silently test SQLite.
			if (!server.available) throw new Error(`TEST_STORAGE=postgres but PostgreSQL is unreachable ${server.skipNote}`)
			return server.createDatabase()
		})()
		databases.set(key, database)
	}
	return (await database).url
}

/** Environment for a server process or script on `dataDir`: `{ DATABASE_URL }` on PostgreSQL, `{}` on SQLite. */
export async function storageEnvFor(dataDir: string): Promise<Record<string, string>> {
	const url = await databaseUrlFor(dataDir)
	return url === null ? {} : { DATABASE_URL: url }
}

/** The stores of `dataDir` as the server opens them. The caller closes it. */
export async function openTestStorage(dataDir: string): Promise<StorageProvider> {
	const url = await databaseUrlFor(dataDir)
	return url === null ? openSqliteStorage(dataDir) : openPostgresStorage(url)
}

/**
 * Runs one read-only SQL query on the tables of `dataDir`'s store (the two
 * schemas have the same tables and columns). Write it with `?` placeholders;
 * integers come back as numbers and BLOB/BYTEA as Buffer on both backends.
 */
export async function queryStored<Row extends Record<string, unknown>>(dataDir: string, sql: string, params: readonly unknown[] = []): Promise<Row[]> {
	const url = await databaseUrlFor(dataDir)
	if (url === null) {
		const db = new Database(path.join(dataDir, DATABASE_FILE_NAME), { readonly: true, fileMustExist: true })
		try {
			return db.prepare(sql).all(...params) as Row[]
		} finally {
			db.close()
		}
	}
	let index = 0
	const pgSql = sql.replace(/\?/g, () => `$${++index}`)
	const client = new pg.Client({ connectionString: url, types: { getTypeParser: numbersAsNumbers } })
	await client.connect()
	try {
		return (await client.query(pgSql, params as unknown[])).rows as Row[]
	} finally {
		await client.end()
	}
}

/** BIGINT (COUNT(*), seq, timestamps) as a number, as better-sqlite3 returns it; for this client only, not process-wide. */
const numbersAsNumbers = ((oid: number, format?: 'text' | 'binary') =>
	oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser']

/** Drops every database this file created (the integration-postgres project's setup file calls it after each file). */
export async function dropTestDatabases(): Promise<void> {
	const all = [...databases.values()]
	databases.clear()
	for (const database of all) {
		const opened = await database.catch(() => null)
		await opened?.drop()
	}
}
