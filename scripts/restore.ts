/**
 * Restores a backup made by `npm run backup` into DATA_DIR:
 *
 *   npm run restore -- FILE [--data-dir DIR] [--force]
 *
 * 1. Validates FILE before touching anything: an SQLite database whose
 *    `PRAGMA integrity_check` is ok, with the tables of Workshop Board
 *    (boards, board_updates, board_snapshots, schema_migrations) and only
 *    migrations this version knows (a backup from a newer version is refused).
 * 2. Refuses to replace an existing DATA_DIR/workshop-board.sqlite unless
 *    --force. With --force the old database (and its -wal/-shm) is kept aside
 *    as workshop-board.sqlite.before-restore-<timestamp>, never deleted.
 *    Stop the server first: it holds the old file open.
 * 3. Copies with SQLite's backup API into a temporary file in DATA_DIR,
 *    re-validates it and renames it into place (atomic on one filesystem).
 *
 * With DATABASE_URL set (PostgreSQL), steps 1 and 2 are the same (a database
 * that holds any board, token or session counts as existing); with --force the
 * database's current contents are first backed up to
 * FILE's directory as before-restore-<timestamp>.sqlite, then every table is
 * replaced by the backup's rows in one transaction (server/storage/storeTransfer.ts).
 * Stop every server process on that database first.
 *
 * Exit codes: 0 restored, 1 refused or failed, 2 bad arguments.
 *
 * Also the shared part of scripts/backup.ts: validation and CLI plumbing.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { MIGRATIONS } from '../server/storage/migrations'
import { DATABASE_FILE_NAME } from '../server/storage/sqliteBoardStorage'
import { describeCounts, describeLocation, parseStoreLocation, TargetNotEmptyError, transferStore } from '../server/storage/storeTransfer'
// A cycle (backup.ts imports this file's helpers), harmless: only functions cross it, none runs at import.
import { backupPostgres } from './backup'

export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const

export class CliError extends Error {
	constructor(
		message: string,
		readonly exitCode: number,
	) {
		super(message)
	}
}

/** Tables every Workshop Board database has (migration 001 and the migration log). */
export const REQUIRED_TABLES = ['boards', 'board_updates', 'board_snapshots', 'schema_migrations'] as const

const SQLITE_HEADER = 'SQLite format 3\0'

export interface DatabaseSummary {
	boards: number
	migrations: string[]
	tables: string[]
}

/**
 * Checks that `file` is a sound Workshop Board database and summarises it.
 * Throws CliError (exit 1) naming the first problem found.
 */
export function describeDatabase(file: string): DatabaseSummary {
	const header = Buffer.alloc(SQLITE_HEADER.length)
	let fd: number
	try {
		fd = fs.openSync(file, 'r')
	} catch (error) {
		throw new CliError(`cannot read ${file}: ${(error as Error).message}`, ExitCode.failed)
	}
	try {
		fs.readSync(fd, header, 0, header.length, 0)
	} finally {
		fs.closeSync(fd)
	}
	if (header.toString('latin1') !== SQLITE_HEADER) throw new CliError(`${file} is not an SQLite database`, ExitCode.failed)

	let db: Database.Database
	try {
		db = new Database(file, { readonly: true, fileMustExist: true })
	} catch (error) {
		throw new CliError(`cannot open ${file}: ${(error as Error).message}`, ExitCode.failed)
	}
	try {
		const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check)
		if (integrity.length !== 1 || integrity[0] !== 'ok') {
			throw new CliError(`${file} failed integrity_check: ${integrity.slice(0, 5).join('; ')}`, ExitCode.failed)
		}
		const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
			(row) => row.name,
		)
		const missing = REQUIRED_TABLES.filter((table) => !tables.includes(table))
		if (missing.length > 0) {
			throw new CliError(`${file} is not a Workshop Board database (missing tables: ${missing.join(', ')})`, ExitCode.failed)
		}
		const migrations = (db.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as { name: string }[]).map((row) => row.name)
		const known = new Set(MIGRATIONS.map((migration) => migration.name))
		const unknown = migrations.filter((name) => !known.has(name))
		if (unknown.length > 0) {
			throw new CliError(`${file} was written by a newer Workshop Board (unknown migrations: ${unknown.join(', ')})`, ExitCode.failed)
		}
		const boards = (db.prepare('SELECT COUNT(*) AS count FROM boards').get() as { count: number }).count
		return { boards, migrations, tables }
	} catch (error) {
		if (error instanceof CliError) throw error
		throw new CliError(`${file} is not a readable Workshop Board database: ${(error as Error).message}`, ExitCode.failed)
	} finally {
		db.close()
	}
}

const USAGE = `usage: npm run restore -- FILE [--data-dir DIR] [--force]
Validates FILE (a backup from npm run backup) and copies it to DATA_DIR/${DATABASE_FILE_NAME} (DATA_DIR defaults to ./data).
Refuses to replace an existing database unless --force (the old one is kept aside). Stop the server first.`

function parseOptions(argv: string[]): { file: string; dataDir: string; force: boolean } {
	let parsed
	try {
		parsed = parseArgs({
			args: argv,
			options: { 'data-dir': { type: 'string' }, force: { type: 'boolean', default: false } },
			allowPositionals: true,
		})
	} catch (error) {
		throw new CliError(`${(error as Error).message}\n${USAGE}`, ExitCode.usage)
	}
	if (parsed.positionals.length !== 1) throw new CliError(USAGE, ExitCode.usage)
	return {
		file: path.resolve(parsed.positionals[0]),
		dataDir: path.resolve(parsed.values['data-dir'] ?? process.env.DATA_DIR ?? './data'),
		force: parsed.values.force ?? false,
	}
}

const SIDE_FILES = ['', '-wal', '-shm'] as const

/** PostgreSQL from DATABASE_URL (as the server reads it), or null for SQLite in DATA_DIR. */
export function configuredPostgres(): { kind: 'postgres'; url: string } | null {
	const value = process.env.DATABASE_URL?.trim()
	if (!value) return null
	try {
		const location = parseStoreLocation(value, 'DATABASE_URL')
		if (location.kind === 'postgres') return location
	} catch {
		// fall through: the same message for every malformed value, which is never echoed
	}
	throw new CliError('DATABASE_URL: must be a postgres://user[:password]@host[:port]/database URL', ExitCode.usage)
}

export async function restore(argv: string[]): Promise<string> {
	const { file, dataDir, force } = parseOptions(argv)
	const summary = describeDatabase(file)
	const postgres = configuredPostgres()
	if (postgres !== null) return restorePostgres(file, postgres, force)
	const target = path.join(dataDir, DATABASE_FILE_NAME)
	const existing = SIDE_FILES.map((suffix) => `${target}${suffix}`).filter((name) => fs.existsSync(name))
	if (existing.length > 0 && !force) {
		throw new CliError(`${target} already exists; stop the server and pass --force to replace it (the old database is kept aside)`, ExitCode.failed)
	}
	fs.mkdirSync(dataDir, { recursive: true })

	const partial = path.join(dataDir, `${DATABASE_FILE_NAME}.restoring-${process.pid}`)
	const source = new Database(file, { readonly: true, fileMustExist: true })
	try {
		await source.backup(partial)
		describeDatabase(partial)
	} catch (error) {
		fs.rmSync(partial, { force: true })
		if (error instanceof CliError) throw error
		throw new CliError(`restore failed: ${(error as Error).message}`, ExitCode.failed)
	} finally {
		source.close()
	}

	let keptAside = ''
	if (existing.length > 0) {
		// A stale -wal next to the restored file would be replayed into it: move the whole set.
		const aside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
		for (const suffix of SIDE_FILES) {
			if (fs.existsSync(`${target}${suffix}`)) fs.renameSync(`${target}${suffix}`, `${aside}${suffix}`)
		}
		keptAside = ` (previous database kept as ${aside})`
	}
	fs.renameSync(partial, target)
	return `restored ${summary.boards} board(s) from ${file} → ${target}${keptAside}`
}

/** A backup FILE → the PostgreSQL database, replacing its contents only with --force (kept aside first). */
async function restorePostgres(file: string, postgres: { kind: 'postgres'; url: string }, force: boolean): Promise<string> {
	// The backup is copied first so it is only ever read: an older one is migrated in the copy.
	const work = path.join(path.dirname(file), `.restoring-${process.pid}-${path.basename(file)}`)
	const source = new Database(file, { readonly: true, fileMustExist: true })
	try {
		await source.backup(work)
	} finally {
		source.close()
	}
	try {
		let keptAside = ''
		if (force) {
			const aside = path.join(path.dirname(file), `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`)
			await backupPostgres(postgres, aside)
			keptAside = ` (its previous contents kept as ${aside})`
		}
		const { counts } = await transferStore({ kind: 'sqlite', file: work }, postgres, { replace: force })
		return `restored ${counts.boards} board(s) (${describeCounts(counts)}) from ${file} → ${describeLocation(postgres)}${keptAside}`
	} catch (error) {
		if (error instanceof TargetNotEmptyError) {
			throw new CliError(
				`${describeLocation(postgres)} already holds data (${describeCounts(error.counts)}); stop the server and pass --force to replace it (its contents are backed up first)`,
				ExitCode.failed,
			)
		}
		if (error instanceof CliError) throw error
		throw new CliError(`restore into ${describeLocation(postgres)} failed, nothing was changed: ${(error as Error).message}`, ExitCode.failed)
	} finally {
		for (const suffix of SIDE_FILES) fs.rmSync(`${work}${suffix}`, { force: true })
	}
}

/** True when `moduleUrl` is the script node was started with (not imported by another module). */
export function isMainModule(moduleUrl: string): boolean {
	return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl)
}

/** Runs a CLI action: prints its result line, or the error to stderr with the error's exit code. */
export async function runCli(action: () => Promise<string>): Promise<void> {
	try {
		process.stdout.write(`${await action()}\n`)
		process.exitCode = ExitCode.ok
	} catch (error) {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
		process.exitCode = error instanceof CliError ? error.exitCode : ExitCode.failed
	}
}

if (isMainModule(import.meta.url)) await runCli(() => restore(process.argv.slice(2)))
