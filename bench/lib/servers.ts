/**
 * Starts the two servers under test as separate child processes on loopback:
 * ours (`node --import tsx server/main.ts`, PORT=0, temp DATA_DIR, LOG_LEVEL=warn)
 * and the reference `@y/websocket-server` 0.1.1 (its `src/server.js`, HOST/PORT env).
 * Both take the same client URL `ws://127.0.0.1:PORT/sync/<boardId>` (the
 * reference uses the whole path as its document name).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { storeNewBoard } from '../../server/api/boardDocuments'
import { openPostgresStorage, openSqliteStorage } from '../../server/storage/storageProvider'
import { CpuMeter, readPeakRssMiB } from './procStats'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/**
 * Checkout whose server/main.ts is "ours" (default: this repository). Point
 * BENCH_OURS_ROOT at a patched copy to measure a proposed server change
 * before/after in the same harness.
 */
export const OURS_ROOT = path.resolve(process.env.BENCH_OURS_ROOT ?? REPO_ROOT)
export const REFERENCE_SERVER_SCRIPT = path.join(REPO_ROOT, 'node_modules/@y/websocket-server/src/server.js')

export type ServerKind = 'ours' | 'reference'

export interface BenchServer {
	kind: ServerKind
	/** ws://127.0.0.1:PORT/sync — append /<boardId>. */
	wsUrl: string
	pid: number
	cpu: CpuMeter
	peakRssMiB(): number | null
	output(): string
	/**
	 * Makes `boardId` exist before any socket opens it: ours refuses unknown
	 * boards with 4404 (boards are created through the API or board-admin);
	 * the reference server creates documents on demand, so this is a no-op there.
	 */
	createBoard(boardId: string): Promise<void>
	stop(): Promise<void>
}

export interface StartOptions {
	/** Extra env for the server process. */
	env?: Record<string, string>
	/** Directory for a V8 CPU profile (`--cpu-prof`), written when the server exits. */
	cpuProfDir?: string
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer()
		probe.once('error', reject)
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo
			probe.close(() => resolve(port))
		})
	})
}

async function spawnUntil(args: string[], env: Record<string, string>, ready: RegExp, cwd: string, timeoutMs = 30_000) {
	const child: ChildProcess = spawn(process.execPath, args, {
		cwd,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	let output = ''
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
	const match = await new Promise<RegExpExecArray>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL')
			reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`))
		}, timeoutMs)
		const check = (): void => {
			const found = ready.exec(output)
			if (found) {
				clearTimeout(timer)
				child.stdout?.off('data', check)
				resolve(found)
			}
		}
		child.stdout?.on('data', check)
		child.once('exit', (code) => {
			clearTimeout(timer)
			reject(new Error(`server exited (${code}) before listening:\n${output}`))
		})
	})
	const stop = async (): Promise<void> => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
		await exited
		clearTimeout(timer)
	}
	return { child, match, output: () => output, stop }
}

export async function startOurs(options: StartOptions = {}): Promise<BenchServer> {
	const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'workshop-board-bench-'))
	const args = ['--import', 'tsx']
	if (options.cpuProfDir) args.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`)
	args.push('server/main.ts')
	const started = await spawnUntil(
		args,
		{ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...options.env },
		/Workshop Board listening on http:\/\/([^\s:]+):(\d+)/,
		OURS_ROOT,
	)
	const pid = started.child.pid as number
	const host = started.match[1]
	const port = started.match[2]
	return {
		kind: 'ours',
		wsUrl: `ws://${host}:${port}/sync`,
		pid,
		cpu: new CpuMeter(pid),
		peakRssMiB: () => readPeakRssMiB(pid),
		output: started.output,
		async createBoard(boardId) {
			const databaseUrl = options.env?.DATABASE_URL ?? process.env.DATABASE_URL
			const storage = databaseUrl ? await openPostgresStorage(databaseUrl) : openSqliteStorage(dataDir)
			try {
				await storeNewBoard(storage.boards, boardId, [], { title: 'Bench board', createdAt: Date.now() })
			} finally {
				await storage.close()
			}
		},
		async stop() {
			await started.stop()
			await fs.rm(dataDir, { recursive: true, force: true })
		},
	}
}

export async function startReference(options: StartOptions = {}): Promise<BenchServer> {
	const port = await freePort()
	const args: string[] = []
	if (options.cpuProfDir) {
		args.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`)
		args.push('--import', 'tsx', '--import', path.join(REPO_ROOT, 'bench/lib/exitOnSigterm.ts'))
	}
	args.push(REFERENCE_SERVER_SCRIPT)
	const started = await spawnUntil(args, { HOST: '127.0.0.1', PORT: String(port), ...options.env }, /running at '([^']+)' on port (\d+)/, REPO_ROOT)
	const pid = started.child.pid as number
	return {
		kind: 'reference',
		wsUrl: `ws://127.0.0.1:${port}/sync`,
		pid,
		cpu: new CpuMeter(pid),
		peakRssMiB: () => readPeakRssMiB(pid),
		output: started.output,
		createBoard: async () => {},
		stop: started.stop,
	}
}

export function startServer(kind: ServerKind, options: StartOptions = {}): Promise<BenchServer> {
	return kind === 'ours' ? startOurs(options) : startReference(options)
}
