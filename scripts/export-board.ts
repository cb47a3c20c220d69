/**
 * Exports one board from DATA_DIR without the server:
 *
 *   npm run export -- <boardId> [--format json|csv|md] [--out FILE]
 *
 * Reads DATA_DIR (default ./data) through the storage module with the SQLite
 * file opened read-only, so it works while the server runs (WAL lets a reader
 * see the last committed state; updates the server has accepted but not yet
 * flushed — at most PERSIST_FLUSH_INTERVAL_MS old — are not included).
 * Closed voting sessions' results come from the same file (the session store
 * writes a close synchronously), so they need no running server either.
 *
 * With DATABASE_URL set it reads PostgreSQL instead (same data the server
 * stores there; docs/deployment.md).
 *
 * Exit codes: 0 written, 1 unknown board / no database / failure, 2 bad arguments.
 * Errors go to stderr; the export goes to stdout unless --out is given.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { BoardIdSchema, type BoardId } from '../shared/boardId'
import { buildBoardExport, type ClosedVotingInput, type EstimationRoundInput } from '../shared/export'
import { readStoredBoardContent } from '../server/api/boardDocuments'
import { EXPORT_FORMATS, isExportFormat, renderBoardExport } from '../server/api/exportFormats'
import { publicRound } from '../server/session/estimationRounds'
import { parseStoredSessionState } from '../server/session/sessionState'
import { SqliteSessionStore } from '../server/session/sessionStore'
import type { BoardStorage } from '../server/storage/boardStorage'
import { DATABASE_FILE_NAME, SqliteBoardStorage } from '../server/storage/sqliteBoardStorage'
import { openPostgresStorage } from '../server/storage/storageProvider'
import { parseConfig } from '../server/config'

const USAGE = `usage: npm run export -- <boardId> [--format ${Object.keys(EXPORT_FORMATS).join('|')}] [--out FILE]
Reads DATA_DIR (default ./data). Writes the export to stdout, or to FILE with --out.`

export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const

class CliError extends Error {
	constructor(
		message: string,
		readonly exitCode: number,
	) {
		super(message)
	}
}

interface CliOptions {
	boardId: string
	format: keyof typeof EXPORT_FORMATS
	out: string | null
	dataDir: string
}

const OPTIONS_WITH_VALUE = new Set(['--format', '-f', '--out', '-o'])
const KNOWN_OPTION = /^(?:--format|--out|--help|-f|-o|-h)(?:=|$)/

/**
 * Board ids are base64url and may start with '-' ("-E935mOX…"): such an
 * argument that is not one of our options (nor an option's value) is moved
 * behind '--' so parseArgs takes it as the positional board id.
 */
function protectDashIds(argv: readonly string[]): string[] {
	const args: string[] = []
	const dashIds: string[] = []
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]
		if (arg === '--') {
			args.push(...argv.slice(i))
			break
		}
		const previous = i > 0 ? argv[i - 1] : ''
		if (arg.startsWith('-') && !KNOWN_OPTION.test(arg) && !OPTIONS_WITH_VALUE.has(previous) && BoardIdSchema.safeParse(arg).success) {
			dashIds.push(arg)
		} else args.push(arg)
	}
	if (dashIds.length === 0) return args
	return args.includes('--') ? [...args, ...dashIds] : [...args, '--', ...dashIds]
}

function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
	let parsed
	try {
		parsed = parseArgs({
			args: protectDashIds(argv),
			allowPositionals: true,
			options: { format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
		})
	} catch (error) {
		throw new CliError(`${(error as Error).message}\n${USAGE}`, ExitCode.usage)
	}
	if (parsed.values.help) return 'help'
	if (parsed.positionals.length !== 1) throw new CliError(`expected exactly one board id\n${USAGE}`, ExitCode.usage)
	const boardId = BoardIdSchema.safeParse(parsed.positionals[0])
	if (!boardId.success) throw new CliError(`invalid board id: ${boardId.error.issues[0].message}`, ExitCode.usage)
	const format = parsed.values.format ?? 'json'
	if (!isExportFormat(format)) throw new CliError(`unknown format ${JSON.stringify(format)}\n${USAGE}`, ExitCode.usage)
	if (parsed.values.out === '') throw new CliError(`--out needs a file name\n${USAGE}`, ExitCode.usage)
	return { boardId: boardId.data, format, out: parsed.values.out ?? null, dataDir: path.resolve(env.DATA_DIR || './data') }
}

/**
 * The board's closed voting sessions, read through the session store on a
 * read-only connection. A database from before facilitated sessions (no
 * voting_sessions table: the server adds it at its next start) has none.
 */
async function readClosedVotingSessions(file: string, boardId: BoardId): Promise<ClosedVotingInput[]> {
	const db = new Database(file, { readonly: true, fileMustExist: true })
	try {
		const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'voting_sessions'").get()
		if (!table) return []
		return await new SqliteSessionStore(db).loadClosedResults(boardId)
	} finally {
		db.close()
	}
}

/** The board's estimation rounds from its stored session state (revealed ones are exported, as aggregates). */
function estimationRoundsOf(storedState: unknown): EstimationRoundInput[] {
	return parseStoredSessionState(storedState, Date.now()).estimation.map(publicRound)
}

async function readEstimationRounds(file: string, boardId: BoardId): Promise<EstimationRoundInput[]> {
	const db = new Database(file, { readonly: true, fileMustExist: true })
	try {
		const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'board_session_state'").get()
		return table ? estimationRoundsOf(await new SqliteSessionStore(db).loadState(boardId)) : []
	} finally {
		db.close()
	}
}

interface ExportSource {
	/** Where the board was looked for (for messages). */
	where: string
	boards: BoardStorage
	closedVotingSessions(boardId: BoardId): Promise<ClosedVotingInput[]>
	estimationRounds(boardId: BoardId): Promise<EstimationRoundInput[]>
	close(): Promise<void>
}

async function openSource(options: CliOptions): Promise<ExportSource> {
	const databaseUrl = process.env.DATABASE_URL
	if (databaseUrl) {
		let url: string | null
		try {
			url = parseConfig({ DATABASE_URL: databaseUrl }).databaseUrl
		} catch (error) {
			throw new CliError(error instanceof Error ? error.message : String(error), ExitCode.usage)
		}
		const storage = await openPostgresStorage(url ?? databaseUrl)
		return { where: 'DATABASE_URL', boards: storage.boards, closedVotingSessions: (id) => storage.sessions.loadClosedResults(id), estimationRounds: async (id) => estimationRoundsOf(await storage.sessions.loadState(id)), close: () => storage.close() }
	}
	const file = path.join(options.dataDir, DATABASE_FILE_NAME)
	if (!fs.existsSync(file)) throw new CliError(`no board database at ${file} (set DATA_DIR)`, ExitCode.failed)
	const boards = new SqliteBoardStorage(new Database(file, { readonly: true, fileMustExist: true }))
	return { where: file, boards, closedVotingSessions: (id) => readClosedVotingSessions(file, id), estimationRounds: (id) => readEstimationRounds(file, id), close: () => boards.close() }
}

async function run(options: CliOptions): Promise<void> {
	const source = await openSource(options)
	try {
		const content = await readStoredBoardContent(source.boards, options.boardId)
		if (!content) throw new CliError(`board ${options.boardId} not found in ${source.where}`, ExitCode.failed)
		const votingSessions = await source.closedVotingSessions(options.boardId)
		const data = buildBoardExport({
			boardId: options.boardId,
			title: content.title,
			template: content.template,
			records: content.records,
			now: Date.now(),
			votingSessions,
			estimationRounds: await source.estimationRounds(options.boardId),
		})
		const text = renderBoardExport(data, options.format)
		if (options.out) fs.writeFileSync(options.out, text)
		else await new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())))
	} finally {
		await source.close()
	}
}

async function main(): Promise<number> {
	try {
		const options = parseCli(process.argv.slice(2), process.env)
		if (options === 'help') {
			process.stdout.write(`${USAGE}\n`)
			return ExitCode.ok
		}
		await run(options)
		return ExitCode.ok
	} catch (error) {
		if (error instanceof CliError) {
			process.stderr.write(`export-board: ${error.message}\n`)
			return error.exitCode
		}
		process.stderr.write(`export-board: ${error instanceof Error ? error.message : String(error)}\n`)
		return ExitCode.failed
	}
}

process.exitCode = await main()
