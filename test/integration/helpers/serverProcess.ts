/**
 * Starts the real server (`node --import tsx server/main.ts`) as a child
 * process on a random port, for integration, e2e and bench code.
 *
 *   const dataDir = await makeTempDir()
 *   const server = await startServerProcess({ dataDir, env: { ROOM_UNLOAD_DELAY_MS: '200' } })
 *   // server.url = http://127.0.0.1:PORT, server.wsUrl = ws://127.0.0.1:PORT/sync
 *   await server.stop() // SIGTERM, resolves with the exit code
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { storageEnvFor } from '../../helpers/testStorage'
import { seedBoards } from './boards'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

export interface ServerProcessOptions {
	/** DATA_DIR for the server. Use makeTempDir(); reuse it to test restarts. */
	dataDir: string
	/** Extra env vars (ROOM_UNLOAD_DELAY_MS, CLIENT_DIST_DIR, LOG_LEVEL, …). PORT defaults to 0. */
	env?: Record<string, string>
	/**
	 * Boards to create (seedBoards) before the server starts: a socket to a board
	 * that was never created is refused with 4404. Existing ones are kept.
	 */
	boards?: readonly string[]
	/** How long to wait for the "listening" line. Default 20 s. */
	startTimeoutMs?: number
}

export interface ServerProcess {
	/** http://127.0.0.1:PORT */
	url: string
	port: number
	/** ws://127.0.0.1:PORT/sync — pass to connectClient / WebsocketProvider, which append /<boardId>. */
	wsUrl: string
	process: ChildProcess
	/** Everything the server wrote to stdout and stderr so far (for assertions and failure messages). */
	output(): string
	/** Sends SIGTERM and resolves with the exit code (null if killed by a signal). */
	stop(): Promise<number | null>
	/** Sends `signal` (e.g. 'SIGKILL') and resolves once the process exited. */
	kill(signal?: NodeJS.Signals): Promise<void>
	/** Resolves once the process exited, with its code and signal. */
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const LISTENING_LINE = /^Workshop Board listening on (http:\/\/[^\s]+):(\d+)\s*$/m

export async function makeTempDir(prefix = 'workshop-board-test-'): Promise<string> {
	return fs.mkdtemp(path.join(os.tmpdir(), prefix))
}

export async function removeDir(dir: string): Promise<void> {
	await fs.rm(dir, { recursive: true, force: true })
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
	// TEST_STORAGE=postgres gives the data dir its own database (test/helpers/testStorage.ts).
	const storageEnv = await storageEnvFor(options.dataDir)
	if (options.boards?.length) {
		await seedBoards(options.dataDir, options.boards, { databaseUrl: options.env?.DATABASE_URL ?? storageEnv.DATABASE_URL ?? process.env.DATABASE_URL })
	}
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
		cwd: REPO_ROOT,
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			LOG_LEVEL: 'warn',
			...storageEnv,
			...options.env,
			DATA_DIR: options.dataDir,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	let output = ''
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal })),
	)

	const match = await new Promise<RegExpExecArray>((resolve, reject) => {
		const timer = setTimeout(() => {
			cleanup()
			child.kill('SIGKILL')
			reject(new Error(`server did not start within ${options.startTimeoutMs ?? 20_000} ms. Output:\n${output}`))
		}, options.startTimeoutMs ?? 20_000)
		const onData = (): void => {
			const found = LISTENING_LINE.exec(output)
			if (found) {
				cleanup()
				resolve(found)
			}
		}
		const onExit = (code: number | null): void => {
			cleanup()
			reject(new Error(`server exited with code ${code} before listening. Output:\n${output}`))
		}
		const cleanup = (): void => {
			clearTimeout(timer)
			child.stdout.off('data', onData)
			child.off('exit', onExit)
		}
		child.stdout.on('data', onData)
		child.once('exit', onExit)
	})

	const port = Number(match[2])
	const host = new URL(`${match[1]}:${port}`).host
	return {
		url: `http://${host}`,
		port,
		wsUrl: `ws://${host}/sync`,
		process: child,
		output: () => output,
		exited,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
			return (await exited).code
		},
		async kill(signal: NodeJS.Signals = 'SIGKILL') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal)
			await exited
		},
	}
}
