/**
 * N Hocuspocus + extension-redis processes on their own ports, sharing one
 * Redis under a key prefix of their own (deleted again by `destroy()`).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { findFreePort } from '../../test/integration/helpers/processMetrics'
import type { PostgresForTests, TestDatabase } from '../../test/helpers/postgresDatabase'
import type { RedisForTests } from '../../test/helpers/redisForTests'
import pg from 'pg'
import { REPO_ROOT } from '../lib/servers'

export interface HocuspocusNode {
	/** ws://127.0.0.1:PORT — the provider's `url`; the document name travels in the protocol. */
	wsUrl: string
	pid: number
}

export interface HocuspocusCluster {
	nodes: HocuspocusNode[]
	prefix: string
	/** Its private database (table hocuspocus_documents), dropped by destroy(). */
	database: TestDatabase
	destroy(): Promise<void>
}

const SCRIPT = path.join(REPO_ROOT, 'bench/cluster/hocuspocusServer.ts')

async function startNode(redisUrl: string, prefix: string, databaseUrl: string): Promise<{ node: HocuspocusNode; child: ChildProcess }> {
	const port = await findFreePort()
	const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
		cwd: REPO_ROOT,
		env: { ...process.env, PORT: String(port), REDIS_URL: redisUrl, HOCUSPOCUS_PREFIX: prefix, DATABASE_URL: databaseUrl },
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	let output = ''
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL')
			reject(new Error(`hocuspocus did not start within 30 s:\n${output}`))
		}, 30_000)
		const onData = (chunk: string): void => {
			output += chunk
			if (output.includes('hocuspocus listening on')) {
				clearTimeout(timer)
				resolve()
			}
		}
		child.stdout?.setEncoding('utf8').on('data', onData)
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
		child.once('exit', (code) => {
			clearTimeout(timer)
			reject(new Error(`hocuspocus exited (${code}) before listening:\n${output}`))
		})
	})
	return { node: { wsUrl: `ws://127.0.0.1:${port}`, pid: child.pid as number }, child }
}

async function createDocumentsTable(url: string): Promise<void> {
	const client = new pg.Client({ connectionString: url })
	await client.connect()
	try {
		await client.query('CREATE TABLE hocuspocus_documents (name text PRIMARY KEY, data bytea NOT NULL)')
	} finally {
		await client.end()
	}
}

export async function startHocuspocusCluster(redis: RedisForTests, postgres: PostgresForTests, size: number): Promise<HocuspocusCluster> {
	// Not under wbtest: so the suites' own cleanups never race it; the channel names are `<prefix>:<document>`.
	const prefix = `wbbench-hocuspocus-${randomBytes(6).toString('hex')}`
	const database = await postgres.createDatabase()
	await createDocumentsTable(database.url)
	const started = await Promise.all(Array.from({ length: size }, () => startNode(redis.url, prefix, database.url)))
	return {
		nodes: started.map((s) => s.node),
		prefix,
		database,
		async destroy() {
			await Promise.all(
				started.map(
					({ child }) =>
						new Promise<void>((resolve) => {
							if (child.exitCode !== null || child.signalCode !== null) return resolve()
							child.once('exit', () => resolve())
							child.kill('SIGKILL')
						}),
				),
			)
			await redis.deletePrefix(prefix)
			await database.drop()
		},
	}
}
