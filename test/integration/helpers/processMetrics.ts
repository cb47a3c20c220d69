/**
 * Measuring a server child process from outside, for the reliability tests:
 * a free port to restart on, resident memory from /proc, and the live V8
 * heap after a full GC (through a heap snapshot the process writes on a
 * signal — the server has no debug endpoint, and needs none).
 *
 *   const diagnosticDir = await makeTempDir()
 *   const server = await startServerProcess({ dataDir, env: heapSnapshotEnv(diagnosticDir) })
 *   const before = await measureLiveHeap(server, diagnosticDir)
 *   readVmRssKiB(server.process.pid!)
 */
import fs from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import type { ServerProcess } from './serverProcess'

/** A TCP port that was free on 127.0.0.1 a moment ago (for restarting a server on the same port). */
export async function findFreePort(): Promise<number> {
	const server = net.createServer()
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject)
		server.listen(0, '127.0.0.1', () => resolve())
	})
	const { port } = server.address() as net.AddressInfo
	await new Promise<void>((resolve) => server.close(() => resolve()))
	return port
}

/** Resident set size of a process in KiB (VmRSS of /proc/<pid>/status; Linux only). */
export async function readVmRssKiB(pid: number): Promise<number> {
	const status = await fs.readFile(`/proc/${pid}/status`, 'utf8')
	const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
	if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`)
	return Number(match[1])
}

/** Env for startServerProcess: SIGUSR2 makes the server write a heap snapshot into `diagnosticDir`. */
export function heapSnapshotEnv(diagnosticDir: string): Record<string, string> {
	const existing = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : ''
	return { NODE_OPTIONS: `${existing}--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${diagnosticDir}` }
}

/**
 * Live heap of the server in bytes: V8 runs a full GC before writing a heap
 * snapshot, so the sum of the snapshot's node sizes is what is still
 * reachable. Sends SIGUSR2 (see heapSnapshotEnv), waits for the snapshot,
 * parses it and deletes it (KEEP_HEAP_SNAPSHOTS=<dir> keeps a copy there, to
 * open in Chrome DevTools when a leak test fails). Takes ~1 s for a small heap.
 */
export async function measureLiveHeap(server: ServerProcess, diagnosticDir: string, timeoutMs = 30_000): Promise<number> {
	const before = new Set(await fs.readdir(diagnosticDir))
	server.process.kill('SIGUSR2')
	const deadline = Date.now() + timeoutMs
	for (;;) {
		const created = (await fs.readdir(diagnosticDir)).find((name) => name.endsWith('.heapsnapshot') && !before.has(name))
		if (created) {
			// The snapshot is written synchronously on the server's main thread: once it answers
			// an HTTP request again, the file is complete.
			await answersAgain(server)
			const file = path.join(diagnosticDir, created)
			try {
				return liveBytesOfSnapshot(JSON.parse(await fs.readFile(file, 'utf8')) as HeapSnapshot)
			} finally {
				if (process.env.KEEP_HEAP_SNAPSHOTS) await fs.copyFile(file, path.join(process.env.KEEP_HEAP_SNAPSHOTS, created))
				await fs.rm(file, { force: true })
			}
		}
		if (Date.now() > deadline) throw new Error(`no heap snapshot in ${diagnosticDir} after ${timeoutMs} ms`)
		await new Promise((resolve) => setTimeout(resolve, 50))
	}
}

/**
 * GET /healthz on a fresh TCP connection, retried: a pooled keep-alive socket
 * may be reset by the server as its keep-alive timer fires after the pause.
 */
async function answersAgain(server: ServerProcess, attempts = 5): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			await new Promise<void>((resolve, reject) => {
				const request = http.get(`${server.url}/healthz`, { agent: false }, (response) => {
					response.resume()
					response.on('end', resolve)
				})
				request.on('error', reject)
			})
			return
		} catch (error) {
			if (attempt >= attempts || server.process.exitCode !== null || server.process.signalCode !== null) {
				throw new Error(`server stopped answering after a heap snapshot: ${String(error)}\n${server.output().slice(-2000)}`)
			}
			await new Promise((resolve) => setTimeout(resolve, 200))
		}
	}
}

interface HeapSnapshot {
	snapshot: { meta: { node_fields: string[] } }
	nodes: number[]
}

function liveBytesOfSnapshot(snapshot: HeapSnapshot): number {
	const fields = snapshot.snapshot.meta.node_fields
	const selfSize = fields.indexOf('self_size')
	if (selfSize < 0) throw new Error('heap snapshot without self_size')
	let total = 0
	for (let i = selfSize; i < snapshot.nodes.length; i += fields.length) total += snapshot.nodes[i]
	return total
}
