/**
 * Guarantee 2 on a real full disk: DATA_DIR on a 2 MiB tmpfs. When SQLite
 * cannot write, the server keeps running, closes the board's clients with
 * 4503 (retryable) and accepts nothing more for it; the client keeps its
 * edits and pushes them once the disk has room again. Nothing is lost.
 *
 * On PostgreSQL (TEST_STORAGE=postgres) the same with the database's files on
 * the tmpfs: a private PostgreSQL server (test/helpers/privatePostgres.ts) with
 * a tablespace there and the board database in it, so only this test's
 * database runs out of space. The values are random text, which neither
 * backend can compress away.
 *
 * Needs permission to mount a tmpfs (root, as in CI and the dev machines);
 * where that is refused the test is skipped with the reason printed.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/protocol'
import pg from 'pg'
import { privatePostgresForTests, type PrivatePostgres } from '../helpers/privatePostgres'
import { connectClient, destroyClients, startServerProcess, TEST_STORAGE, waitFor, waitForSynced, type ServerProcess } from './helpers'

const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'workshop-board-tinyfs-'))
let mounted = false
try {
	// PostgreSQL's new database alone takes ~7.5 MiB (a copy of template1).
	execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TEST_STORAGE === 'postgres' ? 12 : 2}m`, 'tmpfs', mountPoint], { stdio: 'pipe' })
	mounted = true
} catch (error) {
	console.warn(`reliability.diskfull: cannot mount a tmpfs here (${String(error).split('\n')[0]}); skipping the real full-disk test`)
}

/** On PostgreSQL: a private server whose board database lives in a tablespace on the tmpfs. */
async function databaseOnTinyDisk(): Promise<{ server: PrivatePostgres; url: string }> {
	const server = await privatePostgresForTests().start()
	const location = path.join(mountPoint, 'pg')
	mkdirSync(location)
	if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', location])
	const admin = new pg.Client({ connectionString: server.url })
	await admin.connect()
	try {
		await admin.query(`CREATE TABLESPACE tiny_disk LOCATION '${location}'`)
		await admin.query('CREATE DATABASE disk_full TABLESPACE tiny_disk')
	} finally {
		await admin.end()
	}
	return { server, url: server.url.replace(/\/postgres$/, '/disk_full') }
}

describe.runIf(mounted)('a real full disk', () => {
	let server: ServerProcess | null = null
	let postgres: PrivatePostgres | null = null
	/** SQLite in DATA_DIR on the tmpfs, or PostgreSQL with its files there. */
	let storageEnv: Record<string, string> = {}
	beforeAll(async () => {
		if (TEST_STORAGE === 'postgres') {
			const tiny = await databaseOnTinyDisk()
			postgres = tiny.server
			storageEnv = { DATABASE_URL: tiny.url }
		}
		server = await startServerProcess({
			boards: ['disk-board'],
			dataDir: path.join(mountPoint, 'data'),
			env: { ROOM_UNLOAD_DELAY_MS: '100', PERSIST_FLUSH_INTERVAL_MS: '50', ...storageEnv },
		})
	})
	afterAll(async () => {
		await server?.stop()
		await postgres?.destroy()
		if (mounted) execFileSync('umount', ['-l', mountPoint])
		rmSync(mountPoint, { recursive: true, force: true })
	})

	it('closes the board with 4503 while the disk is full, then takes every kept edit once it has room', async () => {
		const running = server!
		const writer = connectClient(running.wsUrl, 'disk-board')
		await waitForSynced(writer)
		const codes: number[] = []
		writer.on('connection-close', (event: { code: number } | null) => codes.push(event?.code ?? 0))
		const meta = writer.doc.getMap('boardMeta')
		// 64 KiB values until the server reports the board's storage unavailable.
		let written = 0
		await waitFor(
			() => {
				if (!codes.includes(CloseCode.storageUnavailable) && written < 200) meta.set(`blob-${written++}`, randomBytes(48 * 1024).toString('base64'))
				return codes.includes(CloseCode.storageUnavailable)
			},
			{ timeoutMs: 30_000, intervalMs: 20, message: 'the server never reported the full disk' },
		)
		// A real SQLite / PostgreSQL write failure, logged; the process is still up and serving.
		await waitFor(() => /disk is full|SQLITE_FULL|No space left on device/i.test(running.output()), { timeoutMs: 5_000, message: 'no disk-full error logged' })
		expect((await fetch(`${running.url}/healthz`)).status).toBe(200)
		console.log(`disk full after ${written} writes of 64 KiB`)
		expect(written).toBeGreaterThan(3)

		// Make room: the client reconnects by itself and pushes everything it kept.
		execFileSync('mount', ['-o', 'remount,size=256m', mountPoint])
		const reader = connectClient(running.wsUrl, 'disk-board')
		await waitFor(() => [...reader.doc.getMap('boardMeta').keys()].filter((k) => k.startsWith('blob-')).length === written, {
			timeoutMs: 30_000,
			message: 'the kept edits did not all arrive after the disk had room again',
		})
		destroyClients(writer, reader)

		// And they are stored: a restart on the same DATA_DIR has them all.
		await running.stop()
		server = await startServerProcess({ boards: ['disk-board'], dataDir: path.join(mountPoint, 'data'), env: storageEnv })
		const fresh = connectClient(server.wsUrl, 'disk-board')
		await waitForSynced(fresh)
		expect([...fresh.doc.getMap('boardMeta').keys()].filter((k) => k.startsWith('blob-'))).toHaveLength(written)
		destroyClients(fresh)
	})
})
