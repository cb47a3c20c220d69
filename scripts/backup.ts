/**
 * Online backup of DATA_DIR/workshop-board.sqlite, safe while the server runs:
 *
 *   npm run backup -- [--out FILE] [--data-dir DIR] [--force]
 *
 * Uses SQLite's online backup API (better-sqlite3 `db.backup`) on a read-only
 * connection: the copy is one consistent snapshot of the database (boards,
 * role tokens, sessions) as of the last committed transaction, taken page by
 * page without blocking the server's writers for more than a step. Updates the
 * server accepted but had not committed yet (≤ PERSIST_FLUSH_INTERVAL_MS old)
 * are not in it.
 *
 * The result is a single self-contained file (rollback journal mode, no -wal),
 * checked with `PRAGMA integrity_check` before it is moved into place. Default
 * FILE: ./backups/workshop-board-<UTC timestamp>.sqlite. An existing FILE is
 * never overwritten unless --force.
 *
 * With DATABASE_URL set (PostgreSQL), the backup is a logical copy of every
 * table into the same kind of SQLite file (server/storage/storeTransfer.ts),
 * read in one REPEATABLE READ snapshot while the server runs; it restores into
 * PostgreSQL (`DATABASE_URL=… npm run restore -- FILE`) or into SQLite alike.
 * `pg_dump -Fc` of the database remains a valid alternative (docs/deployment.md).
 *
 * Exit codes: 0 written, 1 failure (no database, integrity), 2 bad arguments.
 * Restore with `npm run restore -- FILE` (scripts/restore.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { DATABASE_FILE_NAME } from '../server/storage/sqliteBoardStorage'
import { describeCounts, describeLocation, transferStore } from '../server/storage/storeTransfer'
import { CliError, ExitCode, configuredPostgres, describeDatabase, isMainModule, runCli } from './restore'

const USAGE = `usage: npm run backup -- [--out FILE] [--data-dir DIR] [--force]
Copies DATA_DIR/${DATABASE_FILE_NAME} (DATA_DIR defaults to ./data) with SQLite's online backup, while the server runs;
with DATABASE_URL set, copies that PostgreSQL database's tables into FILE (an SQLite file).`

function parseOptions(argv: string[]): { out: string; dataDir: string; force: boolean } {
	let parsed
	try {
		parsed = parseArgs({
			args: argv,
			options: { out: { type: 'string' }, 'data-dir': { type: 'string' }, force: { type: 'boolean', default: false } },
			allowPositionals: false,
		})
	} catch (error) {
		throw new CliError(`${(error as Error).message}\n${USAGE}`, ExitCode.usage)
	}
	const stamp = new Date().toISOString().replace(/[:.]/g, '-')
	return {
		out: path.resolve(parsed.values.out ?? path.join('backups', `workshop-board-${stamp}.sqlite`)),
		dataDir: path.resolve(parsed.values['data-dir'] ?? process.env.DATA_DIR ?? './data'),
		force: parsed.values.force ?? false,
	}
}

export async function backup(argv: string[]): Promise<string> {
	const { out, dataDir, force } = parseOptions(argv)
	const postgres = configuredPostgres()
	if (fs.existsSync(out) && !force) throw new CliError(`${out} exists; pass --force to overwrite it`, ExitCode.failed)
	if (postgres !== null) return backupPostgres(postgres, out)
	const source = path.join(dataDir, DATABASE_FILE_NAME)
	if (!fs.existsSync(source)) throw new CliError(`no database at ${source}`, ExitCode.failed)
	fs.mkdirSync(path.dirname(out), { recursive: true })

	// Written next to the target and renamed, so FILE is never a half-written backup.
	const partial = `${out}.partial-${process.pid}`
	const db = new Database(source, { readonly: true, fileMustExist: true })
	try {
		await db.backup(partial)
	} catch (error) {
		fs.rmSync(partial, { force: true })
		throw new CliError(`backup failed: ${(error as Error).message}`, ExitCode.failed)
	} finally {
		db.close()
	}
	try {
		const copy = new Database(partial)
		try {
			// The source is in WAL mode; make the backup one self-contained file.
			copy.pragma('journal_mode = DELETE')
		} finally {
			copy.close()
		}
		const summary = describeDatabase(partial) // throws if it is not a sound Workshop Board database
		fs.renameSync(partial, out)
		return `backed up ${summary.boards} board(s), ${fs.statSync(out).size} bytes → ${out}`
	} catch (error) {
		fs.rmSync(partial, { force: true })
		throw error
	}
}

/** PostgreSQL → a new SQLite file at `out`, written next to it and renamed once checked. */
export async function backupPostgres(postgres: { kind: 'postgres'; url: string }, out: string): Promise<string> {
	fs.mkdirSync(path.dirname(out), { recursive: true })
	const partial = `${out}.partial-${process.pid}`
	try {
		const { counts } = await transferStore(postgres, { kind: 'sqlite', file: partial })
		const copy = new Database(partial)
		try {
			copy.pragma('journal_mode = DELETE')
		} finally {
			copy.close()
		}
		describeDatabase(partial)
		fs.renameSync(partial, out)
		return `backed up ${counts.boards} board(s) (${describeCounts(counts)}) from ${describeLocation(postgres)}, ${fs.statSync(out).size} bytes → ${out}`
	} catch (error) {
		for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${partial}${suffix}`, { force: true })
		if (error instanceof CliError) throw error
		throw new CliError(`backup of ${describeLocation(postgres)} failed: ${(error as Error).message}`, ExitCode.failed)
	}
}

if (isMainModule(import.meta.url)) await runCli(() => backup(process.argv.slice(2)))
