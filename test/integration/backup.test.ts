/**
 * Guarantee 8 (docs/reliability.md): backup and restore while the server runs,
 * on the run's backend (TEST_STORAGE): SQLite's online backup, or on PostgreSQL
 * a logical copy of every table in one snapshot (DATABASE_URL set for the scripts).
 *
 * `npm run backup` (scripts/backup.ts) is taken from a
 * live server whose boards are being edited, restored with `npm run restore`
 * (scripts/restore.ts) into a fresh DATA_DIR, and a second server on it must
 * serve every board identical to the live one (same state vector, same
 * content). A backup taken in the middle of writes is a consistent snapshot:
 * for every writer, a prefix of what it wrote.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
	connectClient,
	destroyClients,
	makeTempDir,
	REPO_ROOT,
	removeDir,
	startServerProcess,
	storageEnvFor,
	TEST_STORAGE,
	waitFor,
	waitForSynced,
	type ServerProcess,
} from './helpers'

const run = promisify(execFile)
const BOARDS = 5
const WRITERS_PER_BOARD = 2

const servers: ServerProcess[] = []
const clients: WebsocketProvider[] = []
const dirs: string[] = []

afterEach(async () => {
	destroyClients(...clients.splice(0))
	await Promise.all(servers.splice(0).map((server) => server.kill('SIGKILL')))
	await Promise.all(dirs.splice(0).map(removeDir))
})

async function tempDir(): Promise<string> {
	const dir = await makeTempDir('workshop-board-backup-')
	dirs.push(dir)
	return dir
}

async function start(dataDir: string): Promise<ServerProcess> {
	const server = await startServerProcess({ boards: ['restore-rules-board', ...Array.from({ length: BOARDS }, (_, i) => `backup-board-${i}`)], dataDir, env: { LOG_LEVEL: 'error', ROOM_UNLOAD_DELAY_MS: '60000' } })
	servers.push(server)
	return server
}

function client(server: ServerProcess, boardId: string): WebsocketProvider {
	const provider = connectClient(server.wsUrl, boardId)
	clients.push(provider)
	return provider
}

/**
 * Runs scripts/<script>.ts. `viaNpm` goes through `npm run <script> -- …`
 * exactly as a user would (slower: npm starts first); otherwise node directly.
 * The script works on the store of the `--data-dir` it is given (its DATABASE_URL on PostgreSQL).
 */
async function runScript(
	script: 'backup' | 'restore',
	args: string[],
	{ viaNpm = false } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
	const [command, commandArgs] = viaNpm
		? ['npm', ['run', '--silent', script, '--', ...args]]
		: [process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args]]
	const dataDir = args[args.indexOf('--data-dir') + 1]
	const env = { ...process.env, ...(args.includes('--data-dir') ? await storageEnvFor(dataDir) : {}) }
	try {
		const { stdout, stderr } = await run(command, commandArgs, { cwd: REPO_ROOT, env })
		return { code: 0, stdout, stderr }
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string }
		return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
	}
}

/** A board as served to a fresh stock client: its state vector and content, via Y.encodeStateAsUpdate. */
async function readBoard(server: ServerProcess, boardId: string): Promise<{ stateVector: number[]; content: unknown }> {
	const reader = client(server, boardId)
	await waitForSynced(reader)
	const copy = new Y.Doc()
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(reader.doc))
	const board = {
		stateVector: [...Y.encodeStateVector(copy)],
		content: { records: copy.getMap('records').toJSON(), boardMeta: copy.getMap('boardMeta').toJSON() },
	}
	copy.destroy()
	return board
}

/** Each writer appends `w<i>-<n>` keys to its board every few ms until stopped. */
function startWriters(providers: WebsocketProvider[]): { stop(): void; written: string[][] } {
	const written = providers.map(() => [] as string[])
	const timers = providers.map((provider, i) =>
		setInterval(() => {
			const key = `w${i}-${written[i].length}`
			provider.doc.getMap('records').set(key, { writer: i, n: written[i].length, text: 'x'.repeat(i * 10) })
			written[i].push(key)
		}, 5 + i),
	)
	return { written, stop: () => timers.forEach(clearInterval) }
}

describe('backup and restore', () => {
	it('backs up a live server under edits; restored into a fresh DATA_DIR, every board is identical', async () => {
		const liveDir = await tempDir()
		const live = await start(liveDir)
		const boardIds = Array.from({ length: BOARDS }, (_, i) => `backup-board-${i}`)
		const providers = boardIds.flatMap((boardId) => Array.from({ length: WRITERS_PER_BOARD }, () => client(live, boardId)))
		await Promise.all(providers.map((provider) => waitForSynced(provider)))
		providers[0].doc.getMap('boardMeta').set('title', 'Backed up board')
		const writers = startWriters(providers)
		await waitFor(() => writers.written.every((keys) => keys.length > 20))

		// 1. A backup in the middle of writes is a consistent snapshot: per writer, a prefix of its keys.
		const backupDir = await tempDir()
		const midWrite = path.join(backupDir, 'mid-write.sqlite')
		const during = await runScript('backup', ['--data-dir', liveDir, '--out', midWrite], { viaNpm: true })
		expect(during.stderr).toBe('')
		expect(during.code).toBe(0)
		expect(during.stdout).toMatch(/backed up \d+ board\(s\)/)

		// 2. Quiesce, let the server commit (≤ 1 s), back up again while it still runs with everyone connected.
		writers.stop()
		await new Promise((resolve) => setTimeout(resolve, 1_100))
		const quiet = path.join(backupDir, 'quiet.sqlite')
		expect((await runScript('backup', ['--data-dir', liveDir, '--out', quiet])).code).toBe(0)
		// The backup is one self-contained file.
		await expect(fs.access(`${quiet}-wal`)).rejects.toThrow()

		const restoredDir = await tempDir()
		const restored = await runScript('restore', [quiet, '--data-dir', restoredDir], { viaNpm: true })
		expect(restored.stderr).toBe('')
		expect(restored.code).toBe(0)
		const second = await start(restoredDir)
		for (const boardId of boardIds) {
			const [original, copy] = await Promise.all([readBoard(live, boardId), readBoard(second, boardId)])
			expect(copy.stateVector, boardId).toEqual(original.stateVector)
			expect(copy.content, boardId).toEqual(original.content)
			expect(Object.keys((copy.content as { records: object }).records).length, boardId).toBeGreaterThan(40)
		}

		// The mid-write backup, restored, holds for every writer a prefix of what it wrote.
		const midDir = await tempDir()
		expect((await runScript('restore', [midWrite, '--data-dir', midDir])).code).toBe(0)
		const third = await start(midDir)
		for (const [b, boardId] of boardIds.entries()) {
			const { content } = await readBoard(third, boardId)
			const keys = new Set(Object.keys((content as { records: Record<string, unknown> }).records))
			for (let w = b * WRITERS_PER_BOARD; w < (b + 1) * WRITERS_PER_BOARD; w++) {
				const all = writers.written[w]
				const present = all.filter((key) => keys.has(key)).length
				expect(all.slice(0, present).every((key) => keys.has(key)), `writer ${w} of ${boardId}`).toBe(true)
			}
		}
	})

	it('restore validates the file and refuses to overwrite without --force', async () => {
		const liveDir = await tempDir()
		const live = await start(liveDir)
		const writer = client(live, 'restore-rules-board')
		await waitForSynced(writer)
		writer.doc.getMap('records').set('kept', 'yes')
		await new Promise((resolve) => setTimeout(resolve, 1_100))
		const backupDir = await tempDir()
		const backupFile = path.join(backupDir, 'board.sqlite')
		expect((await runScript('backup', ['--data-dir', liveDir, '--out', backupFile])).code).toBe(0)
		// An existing backup file is not overwritten without --force either.
		const again = await runScript('backup', ['--data-dir', liveDir, '--out', backupFile])
		expect(again.code).toBe(1)
		expect(again.stderr).toMatch(/exists; pass --force/)

		// Not SQLite, an SQLite file of something else, and a corrupt copy are refused; nothing is written.
		const target = await tempDir()
		const notSqlite = path.join(backupDir, 'notes.txt')
		await fs.writeFile(notSqlite, 'hello')
		const otherDb = path.join(backupDir, 'other.sqlite')
		const other = new Database(otherDb)
		other.exec('CREATE TABLE todo (id INTEGER PRIMARY KEY, title TEXT)')
		other.close()
		const corrupt = path.join(backupDir, 'corrupt.sqlite')
		const bytes = await fs.readFile(backupFile)
		// Garbage over every b-tree page header but the first page's, so the file still opens as SQLite.
		const pageSize = bytes.readUInt16BE(16)
		for (let page = 1; page * pageSize < bytes.length; page++) bytes.fill(0xa5, page * pageSize, page * pageSize + 8)
		await fs.writeFile(corrupt, bytes)
		for (const [file, reason] of [
			[notSqlite, /not an SQLite database/],
			[otherDb, /not a Workshop Board database \(missing tables: boards/],
			[corrupt, /integrity_check|not a readable Workshop Board database|malformed/],
		] as const) {
			const result = await runScript('restore', [file, '--data-dir', target])
			expect(result.code, file).toBe(1)
			expect(result.stderr, file).toMatch(reason)
		}
		expect(await fs.readdir(target)).toEqual([])
		expect((await runScript('restore', [])).code).toBe(2)

		// Restoring onto an existing database needs --force; the old one is kept aside.
		expect((await runScript('restore', [backupFile, '--data-dir', target])).code).toBe(0)
		const refused = await runScript('restore', [backupFile, '--data-dir', target])
		expect(refused.code).toBe(1)
		expect(refused.stderr).toMatch(/already (exists|holds data \(\d+ boards?,).*; stop the server and pass --force/)
		const forced = await runScript('restore', [backupFile, '--data-dir', target, '--force'])
		expect(forced.code).toBe(0)
		// SQLite keeps the old file in DATA_DIR; PostgreSQL's old contents are backed up next to the backup file.
		const keptAside = TEST_STORAGE === 'postgres' ? (await fs.readdir(backupDir)).filter((name) => name.startsWith('before-restore-')) : (await fs.readdir(target)).filter((name) => name.includes('.before-restore-'))
		expect(keptAside).toHaveLength(1)

		const restoredServer = await start(target)
		const reader = client(restoredServer, 'restore-rules-board')
		await waitForSynced(reader)
		expect(reader.doc.getMap('records').get('kept')).toBe('yes')
	})
})
