/**
 * A private, real PostgreSQL server for tests that stop and restart the
 * database: its own data directory (initdb) and port, so stopping it cannot
 * break the other test files and sessions that share the machine's cluster at
 * 127.0.0.1:5432. Same binaries as that cluster; nothing simulated.
 *
 *   const pg = await privatePostgresForTests()        // top level of the test file
 *   describe.skipIf(!pg.available)(`… ${pg.skipNote}`, …)
 *   const server = await pg.start()                   // initdb + start; server.url → database "postgres"
 *   await server.stop(); await server.restart()       // fast shutdown / start again, same port and data
 *   await server.destroy()                            // stop and delete the data directory
 *
 * Without PostgreSQL binaries (initdb, pg_ctl) the suites are skipped with the
 * reason; with CI=true that is an error.
 */
import { execFile, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { findFreePort } from '../integration/helpers/processMetrics'

const run = promisify(execFile)

export interface PrivatePostgres {
	/** postgres://postgres@127.0.0.1:PORT/postgres */
	url: string
	port: number
	stop(): Promise<void>
	restart(): Promise<void>
	destroy(): Promise<void>
}

export interface PrivatePostgresForTests {
	available: boolean
	skipNote: string
	start(): Promise<PrivatePostgres>
}

function findBinDir(): string | null {
	try {
		const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
		if (fs.existsSync(path.join(dir, 'initdb'))) return dir
	} catch {
		// Debian installs pg_config per version under /usr/lib/postgresql; fall through.
	}
	const root = '/usr/lib/postgresql'
	const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : []
	for (const version of versions) {
		const dir = path.join(root, version, 'bin')
		if (fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir
	}
	return null
}

/** initdb and the server refuse to run as root: run them as the `postgres` user then. */
function asServerUser(command: string, args: string[]): [string, string[]] {
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
}

export function privatePostgresForTests(): PrivatePostgresForTests {
	const binDir = findBinDir()
	const failure = binDir === null ? 'no PostgreSQL server binaries (initdb, pg_ctl) found' : null
	if (failure !== null && process.env.CI === 'true') throw new Error(`CI=true but ${failure}`)
	return {
		available: failure === null,
		skipNote: failure === null ? '' : `(skipped: ${failure})`,
		async start() {
			if (binDir === null) throw new Error(failure ?? 'no PostgreSQL binaries')
			const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-private-pg-'))
			if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dataDir])
			const port = await findFreePort()
			const pgCtl = async (...args: string[]) => {
				const [command, argv] = asServerUser(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-w', '-t', '30', ...args])
				await run(command, argv)
			}
			const [initCommand, initArgs] = asServerUser(path.join(binDir, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
			await run(initCommand, initArgs)
			// Loopback only, the socket in its own directory, small: it is a test server.
			const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir} -c shared_buffers=16MB -c max_connections=40`
			const start = () => pgCtl('-o', options, '-l', path.join(dataDir, 'server.log'), 'start')
			await start()
			let running = true
			return {
				url: `postgres://postgres@127.0.0.1:${port}/postgres`,
				port,
				async stop() {
					if (!running) return
					await pgCtl('-m', 'fast', 'stop')
					running = false
				},
				async restart() {
					if (running) return
					await start()
					running = true
				},
				async destroy() {
					if (running) await pgCtl('-m', 'immediate', 'stop').catch(() => {})
					running = false
					fs.rmSync(dataDir, { recursive: true, force: true })
				},
			}
		},
	}
}
