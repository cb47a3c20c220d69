/**
 * Guarantee 2 on a real full disk: DATA_DIR on a 2 MiB tmpfs. When SQLite
 * cannot write, the server keeps running, closes the board's clients with
 * 4503 (retryable) and accepts nothing more for it; the client keeps its
 * edits and pushes them once the disk has room again. Nothing is lost.
 *
 * Needs permission to mount a tmpfs (root, as in CI and the dev machines);
 * where that is refused the test is skipped with the reason printed.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/protocol'
import { connectClient, destroyClients, startServerProcess, waitFor, waitForSynced, type ServerProcess } from './helpers'

const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'workshop-board-tinyfs-'))
let mounted = false
try {
	execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' })
	mounted = true
} catch (error) {
	console.warn(`reliability.diskfull: cannot mount a tmpfs here (${String(error).split('\n')[0]}); skipping the real full-disk test`)
}

describe.runIf(mounted)('a real full disk', () => {
	let server: ServerProcess | null = null
	beforeAll(async () => {
		server = await startServerProcess({ boards: ['disk-board'], dataDir: path.join(mountPoint, 'data'), env: { ROOM_UNLOAD_DELAY_MS: '100', PERSIST_FLUSH_INTERVAL_MS: '50' } })
	})
	afterAll(async () => {
		await server?.stop()
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
				if (!codes.includes(CloseCode.storageUnavailable) && written < 200) meta.set(`blob-${written++}`, 'x'.repeat(64 * 1024))
				return codes.includes(CloseCode.storageUnavailable)
			},
			{ timeoutMs: 30_000, intervalMs: 20, message: 'the server never reported the full disk' },
		)
		// A real SQLite write failure, logged; the process is still up and serving.
		await waitFor(() => /disk is full|SQLITE_FULL/i.test(running.output()), { timeoutMs: 5_000, message: 'no disk-full error logged' })
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
		server = await startServerProcess({ boards: ['disk-board'], dataDir: path.join(mountPoint, 'data') })
		const fresh = connectClient(server.wsUrl, 'disk-board')
		await waitForSynced(fresh)
		expect([...fresh.doc.getMap('boardMeta').keys()].filter((k) => k.startsWith('blob-'))).toHaveLength(written)
		destroyClients(fresh)
	})
})
