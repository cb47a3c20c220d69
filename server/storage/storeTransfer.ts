/**
 * Copies everything the server stores — boards (snapshot + update log), role
 * tokens (hashes), voting sessions, ballots, session state and board versions — from one store
 * to another, table by table and row by row: `npm run migrate-storage`, and
 * `backup`/`restore` on PostgreSQL (a PostgreSQL backup is an SQLite file of
 * the same tables, so it restores into either backend).
 *
 * Both schemas have the same tables and columns (server/storage/migrations.ts,
 * server/storage/postgres/pgMigrations.ts), so a row copy is lossless by
 * construction: ids, sequence numbers, timestamps and bytes are copied as they
 * are, and the row counts are compared before the target commits.
 *
 * - The source is read in one snapshot (SQLite: one read transaction in WAL
 *   mode; PostgreSQL: REPEATABLE READ READ ONLY), so a running server's later
 *   writes are either wholly in or wholly out. Stop the server to copy its
 *   last updates too.
 * - The target is written in one transaction: all or nothing. A target that
 *   already holds data is refused unless `replace` (then its rows are deleted
 *   in that same transaction).
 * - Rows are read in pages by primary key, so a 100k-update board never sits
 *   in memory at once.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { MIGRATIONS, runMigrations } from './migrations'
import { createPgPool } from './postgres/pgPool'
import { PG_MIGRATIONS, runPgMigrations } from './postgres/pgMigrations'
import { DATABASE_FILE_NAME } from './sqliteBoardStorage'

export type StoreLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string }

export class StoreLocationError extends Error {
	override name = 'StoreLocationError'
}

/** A store the copy refuses to write: it has data and `replace` was not asked for. */
export class TargetNotEmptyError extends Error {
	override name = 'TargetNotEmptyError'
	constructor(
		readonly target: string,
		readonly counts: TableCounts,
	) {
		super(`${target} is not empty (${describeCounts(counts)})`)
	}
}

interface TableSpec {
	name: string
	/** Primary key, the order of the copy and of its pages. */
	key: readonly string[]
	columns: readonly string[]
	/** Rows per page: fewer where a row holds a whole document, to bound memory. */
	pageRows: number
}

/** Parents before children (foreign keys); deleted in reverse order. */
export const TRANSFER_TABLES: readonly TableSpec[] = [
	{ name: 'boards', key: ['id'], columns: ['id', 'created_at', 'updated_at'], pageRows: 500 },
	{ name: 'board_snapshots', key: ['board_id'], columns: ['board_id', 'through_seq', 'bytes', 'created_at'], pageRows: 10 },
	{ name: 'board_updates', key: ['board_id', 'seq'], columns: ['board_id', 'seq', 'bytes'], pageRows: 200 },
	{ name: 'board_tokens', key: ['board_id', 'role'], columns: ['board_id', 'role', 'token_hash', 'created_at'], pageRows: 500 },
	{
		name: 'voting_sessions',
		key: ['id'],
		columns: ['id', 'board_id', 'config', 'status', 'created_at', 'closed_at', 'results', 'voter_salt'],
		pageRows: 200,
	},
	{
		name: 'vote_ballots',
		key: ['session_id', 'voter_key', 'item_id'],
		columns: ['session_id', 'voter_key', 'item_id', 'count', 'voter_name'],
		pageRows: 500,
	},
	{ name: 'board_session_state', key: ['board_id'], columns: ['board_id', 'state', 'updated_at'], pageRows: 200 },
	// Board versions (004-create-board-versions): each row holds a whole document.
	{ name: 'board_versions', key: ['id'], columns: ['id', 'board_id', 'name', 'kind', 'created_at', 'size_bytes', 'doc', 'session'], pageRows: 10 },
]

export type TableCounts = Record<string, number>

/**
 * `sqlite:DIR` (the server's DATA_DIR: DIR/workshop-board.sqlite), `sqlite:FILE.sqlite`,
 * or `postgres://…` / `postgresql://…`. `flag` names the option in errors.
 */
export function parseStoreLocation(text: string | undefined, flag: string): StoreLocation {
	const value = text?.trim() ?? ''
	if (value === '') throw new StoreLocationError(`${flag} is missing: give sqlite:DIR or postgres://user@host/database`)
	if (value.startsWith('sqlite:')) {
		const target = value.slice('sqlite:'.length)
		if (target === '') throw new StoreLocationError(`${flag} sqlite: needs a directory (the server's DATA_DIR) or a .sqlite file, e.g. sqlite:./data`)
		const resolved = path.resolve(target)
		return { kind: 'sqlite', file: /\.(sqlite3?|db)$/i.test(resolved) ? resolved : path.join(resolved, DATABASE_FILE_NAME) }
	}
	if (/^postgres(ql)?:\/\//i.test(value)) {
		let url: URL
		try {
			url = new URL(value)
		} catch {
			throw new StoreLocationError(`${flag} is not a valid URL: expected postgres://user[:password]@host[:port]/database`)
		}
		if (url.hostname === '') throw new StoreLocationError(`${flag} has no host: expected postgres://user[:password]@host[:port]/database`)
		if (url.pathname.length <= 1) throw new StoreLocationError(`${flag} names no database: expected postgres://user[:password]@host[:port]/database`)
		return { kind: 'postgres', url: value }
	}
	// Never echo the value: it may be a URL with a password.
	throw new StoreLocationError(`${flag} must start with sqlite: or postgres:// (got a value of another kind)`)
}

/** For messages: the file, or the PostgreSQL URL without its password. */
export function describeLocation(location: StoreLocation): string {
	if (location.kind === 'sqlite') return `sqlite:${location.file}`
	const url = new URL(location.url)
	if (url.password) url.password = '***'
	return url.toString()
}

export function describeCounts(counts: TableCounts): string {
	const parts = [
		[counts.boards, 'board'],
		[counts.board_updates, 'logged update'],
		[counts.board_tokens, 'role token'],
		[counts.voting_sessions, 'voting session'],
		[counts.vote_ballots, 'ballot row'],
		[counts.board_session_state, 'session state'],
		// Named only when there are some, so the line stays as it was for stores without versions.
		...(counts.board_versions ? ([[counts.board_versions, 'board version']] as const) : []),
	] as const
	return parts.map(([n, what]) => `${n ?? 0} ${what}${n === 1 ? '' : 's'}`).join(', ')
}

/** One store, opened for the copy: a snapshot reader and a transactional writer. */
interface TransferStore {
	readonly description: string
	/** Starts the read snapshot (source) or the write transaction (target). */
	begin(mode: 'read' | 'write'): Promise<void>
	counts(): Promise<TableCounts>
	readPage(table: TableSpec, after: readonly unknown[] | null): Promise<unknown[][]>
	deleteAll(table: TableSpec): Promise<void>
	insert(table: TableSpec, rows: readonly unknown[][]): Promise<void>
	commit(): Promise<void>
	/** Rolls back anything uncommitted and closes. */
	close(): Promise<void>
}

function keyAfter(table: TableSpec, placeholder: (i: number) => string): string {
	const columns = table.key.join(', ')
	const values = table.key.map((_, i) => placeholder(i)).join(', ')
	return table.key.length === 1 ? `${columns} > ${values}` : `(${columns}) > (${values})`
}

class SqliteTransferStore implements TransferStore {
	private inTransaction = false
	private constructor(
		private readonly db: Database.Database,
		readonly description: string,
	) {}

	/**
	 * A source must exist and is opened read-only when its schema is current (a backup file is
	 * never modified); an older one is migrated in place, as the server would at start. A target
	 * is created and migrated.
	 */
	static open(file: string, role: 'source' | 'target'): SqliteTransferStore {
		if (role === 'source' && !fs.existsSync(file)) throw new StoreLocationError(`no database at ${file}`)
		if (role === 'target') fs.mkdirSync(path.dirname(file), { recursive: true })
		const known = MIGRATIONS.map((m) => m.name)
		if (role === 'source') {
			const readOnly = new Database(file, { readonly: true, fileMustExist: true })
			const applied = appliedSqliteMigrations(readOnly)
			refuseNewerSchema(applied, known, file)
			if (known.every((name) => applied.includes(name))) return new SqliteTransferStore(readOnly, `sqlite:${file}`)
			readOnly.close()
		}
		const db = new Database(file, { fileMustExist: role === 'source' })
		try {
			db.pragma('busy_timeout = 5000')
			db.pragma('foreign_keys = ON')
			refuseNewerSchema(appliedSqliteMigrations(db), known, file)
			runMigrations(db)
		} catch (error) {
			db.close()
			throw error
		}
		return new SqliteTransferStore(db, `sqlite:${file}`)
	}

	async begin(mode: 'read' | 'write') {
		// Read: a deferred transaction's first SELECT pins one WAL snapshot; the server keeps writing.
		this.db.exec(mode === 'read' ? 'BEGIN' : 'BEGIN IMMEDIATE')
		this.inTransaction = true
	}

	async counts() {
		return Object.fromEntries(
			TRANSFER_TABLES.map((table) => [table.name, (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table.name}`).get() as { n: number }).n]),
		)
	}

	async readPage(table: TableSpec, after: readonly unknown[] | null) {
		const where = after === null ? '' : `WHERE ${keyAfter(table, () => '?')}`
		const sql = `SELECT ${table.columns.join(', ')} FROM ${table.name} ${where} ORDER BY ${table.key.join(', ')} LIMIT ${table.pageRows}`
		return this.db
			.prepare(sql)
			.raw()
			.all(...(after ?? [])) as unknown[][]
	}

	async deleteAll(table: TableSpec) {
		this.db.prepare(`DELETE FROM ${table.name}`).run()
	}

	async insert(table: TableSpec, rows: readonly unknown[][]) {
		const statement = this.db.prepare(`INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`)
		for (const row of rows) statement.run(...row)
	}

	async commit() {
		this.db.exec('COMMIT')
		this.inTransaction = false
	}

	async close() {
		if (this.inTransaction) this.db.exec('ROLLBACK')
		this.db.close()
	}
}

class PgTransferStore implements TransferStore {
	private inTransaction = false
	private constructor(
		private readonly pool: pg.Pool,
		private readonly client: pg.PoolClient,
		readonly description: string,
	) {}

	static async open(location: { url: string }, description: string): Promise<PgTransferStore> {
		const pool = createPgPool(location.url, { max: 2 })
		try {
			const applied = await pool
				.query<{ name: string }>('SELECT name FROM schema_migrations')
				.then((result) => result.rows.map((row) => row.name))
				.catch((error: { code?: string }) => {
					if (error.code === '42P01') return [] // no schema_migrations yet: an empty database
					throw error
				})
			refuseNewerSchema(applied, PG_MIGRATIONS.map((m) => m.name), description)
			await runPgMigrations(pool)
			const client = await pool.connect()
			client.on('error', () => {}) // a lost connection fails the next query instead
			return new PgTransferStore(pool, client, description)
		} catch (error) {
			await pool.end().catch(() => {})
			throw error
		}
	}

	async begin(mode: 'read' | 'write') {
		await this.client.query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN')
		this.inTransaction = true
	}

	async counts() {
		const counts: TableCounts = {}
		for (const table of TRANSFER_TABLES) {
			counts[table.name] = (await this.client.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${table.name}`)).rows[0].n
		}
		return counts
	}

	async readPage(table: TableSpec, after: readonly unknown[] | null) {
		const where = after === null ? '' : `WHERE ${keyAfter(table, (i) => `$${i + 1}`)}`
		const result = await this.client.query({
			text: `SELECT ${table.columns.join(', ')} FROM ${table.name} ${where} ORDER BY ${table.key.join(', ')} LIMIT ${table.pageRows}`,
			values: after === null ? [] : [...after],
			rowMode: 'array',
			// BIGINT columns (seq, timestamps) as numbers, as SQLite stores them; for this query only.
			types: { getTypeParser: bigintAsNumber },
		})
		return result.rows as unknown[][]
	}

	async deleteAll(table: TableSpec) {
		await this.client.query(`DELETE FROM ${table.name}`)
	}

	async insert(table: TableSpec, rows: readonly unknown[][]) {
		if (rows.length === 0) return
		const width = table.columns.length
		const tuples = rows.map((_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`)
		await this.client.query(`INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES ${tuples.join(', ')}`, rows.flat())
	}

	async commit() {
		await this.client.query('COMMIT')
		this.inTransaction = false
	}

	async close() {
		if (this.inTransaction) await this.client.query('ROLLBACK').catch(() => {})
		this.client.release()
		await this.pool.end()
	}
}

const bigintAsNumber = ((oid: number, format?: 'text' | 'binary') =>
	oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser']

function appliedSqliteMigrations(db: Database.Database): string[] {
	const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined
	return hasLog ? (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((row) => row.name) : []
}

function refuseNewerSchema(applied: readonly string[], known: readonly string[], where: string): void {
	const unknown = applied.filter((name) => !known.includes(name))
	if (unknown.length > 0) throw new StoreLocationError(`${where} was written by a newer Workshop Board (unknown migrations: ${unknown.join(', ')})`)
}

async function openStore(location: StoreLocation, role: 'source' | 'target'): Promise<TransferStore> {
	if (location.kind === 'sqlite') return SqliteTransferStore.open(location.file, role)
	return PgTransferStore.open(location, describeLocation(location))
}

export interface TransferResult {
	counts: TableCounts
	/** Rows the target held before and that `replace` deleted. */
	replaced: TableCounts | null
}

export interface TransferOptions {
	/** Delete what the target holds (in the same transaction) instead of refusing. */
	replace?: boolean
}

/** Copies every row of every table from `from` to `to` (see the module comment). */
export async function transferStore(from: StoreLocation, to: StoreLocation, options: TransferOptions = {}): Promise<TransferResult> {
	if (from.kind === to.kind && (from.kind === 'sqlite' ? from.file === (to as { file: string }).file : from.url === (to as { url: string }).url)) {
		throw new StoreLocationError('--from and --to name the same store')
	}
	const source = await openStore(from, 'source')
	try {
		const target = await openStore(to, 'target')
		try {
			await source.begin('read')
			await target.begin('write')
			const before = await target.counts()
			const nonEmpty = Object.values(before).some((n) => n > 0)
			if (nonEmpty && !options.replace) throw new TargetNotEmptyError(target.description, before)
			if (nonEmpty) for (const table of [...TRANSFER_TABLES].reverse()) await target.deleteAll(table)

			const expected = await source.counts()
			for (const table of TRANSFER_TABLES) {
				const keyIndexes = table.key.map((column) => table.columns.indexOf(column))
				let after: unknown[] | null = null
				for (;;) {
					const rows = await source.readPage(table, after)
					if (rows.length === 0) break
					await target.insert(table, rows)
					const last = rows[rows.length - 1]
					after = keyIndexes.map((i) => last[i])
					if (rows.length < table.pageRows) break
				}
			}
			const copied = await target.counts()
			for (const table of TRANSFER_TABLES) {
				if (copied[table.name] !== expected[table.name]) {
					throw new Error(`copy check failed: ${table.name} has ${copied[table.name]} rows in the target, ${expected[table.name]} in the source`)
				}
			}
			await target.commit()
			return { counts: copied, replaced: nonEmpty ? before : null }
		} finally {
			await target.close()
		}
	} finally {
		await source.close()
	}
}
