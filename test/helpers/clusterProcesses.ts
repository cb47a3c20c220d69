/**
 * A cluster of real server processes for tests: N `server/main.ts` processes
 * on one fresh PostgreSQL database and one Redis key prefix, each on its own
 * fixed free port (so a killed one restarts where its clients reconnect).
 *
 *   const cluster = await startCluster({ redis, postgres, size: 3, boards: ['b1'] })
 *   cluster.nodes[0].wsUrl …  await cluster.kill(0)  await cluster.restart(0)
 *   await cluster.destroy()                          // stops all, drops the database and the keys
 */
import { findFreePort } from '../integration/helpers/processMetrics'
import { makeTempDir, removeDir, startServerProcess, type ServerProcess } from '../integration/helpers/serverProcess'
import type { PostgresForTests, TestDatabase } from './postgresDatabase'
import type { RedisForTests } from './redisForTests'

export interface ClusterForTests {
	nodes: ServerProcess[]
	databaseUrl: string
	prefix: string
	/** Index of the node holding the board's lease (read from Redis); waits until one does. */
	ownerIndex(boardId: string): Promise<number>
	/** SIGKILL (a crash) of node i. */
	kill(i: number): Promise<void>
	/** SIGTERM of node i; resolves with its exit code. */
	stop(i: number): Promise<number | null>
	/** Starts node i again on its port. */
	restart(i: number): Promise<ServerProcess>
	destroy(): Promise<void>
}

export interface ClusterOptions {
	redis: RedisForTests
	postgres: PostgresForTests
	size: number
	boards?: readonly string[]
	leaseMs?: number
	env?: Record<string, string>
}

export async function startCluster(options: ClusterOptions): Promise<ClusterForTests> {
	const database: TestDatabase = await options.postgres.createDatabase()
	const prefix = options.redis.newPrefix()
	const dataDir = await makeTempDir('wb-cluster-')
	const ports: number[] = []
	for (let i = 0; i < options.size; i++) ports.push(await findFreePort())
	const env = (i: number): Record<string, string> => ({
		DATABASE_URL: database.url,
		REDIS_URL: options.redis.url,
		REDIS_KEY_PREFIX: prefix,
		BOARD_LEASE_MS: String(options.leaseMs ?? 1_000),
		ROOM_UNLOAD_DELAY_MS: '1000',
		PERSIST_FLUSH_INTERVAL_MS: '20',
		PORT: String(ports[i]),
		...options.env,
	})
	const start = (i: number, boards?: readonly string[]) => startServerProcess({ dataDir, env: env(i), boards })
	const nodes: ServerProcess[] = []
	// The first creates the schema and the boards; the others start together.
	nodes.push(await start(0, options.boards))
	nodes.push(...(await Promise.all(ports.slice(1).map((_port, index) => start(index + 1)))))
	return {
		nodes,
		databaseUrl: database.url,
		prefix,
		async ownerIndex(boardId) {
			const client = options.redis.connect()
			try {
				for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
					const url = (await client.get(`${prefix}lease:${boardId}`))?.split('|')[2]
					const index = nodes.findIndex((node) => node.url === url)
					if (index >= 0) return index
				}
				throw new Error(`no process holds the lease of ${boardId}`)
			} finally {
				client.disconnect()
			}
		},
		async kill(i) {
			await nodes[i].kill('SIGKILL')
		},
		async stop(i) {
			return nodes[i].stop()
		},
		async restart(i) {
			nodes[i] = await start(i)
			return nodes[i]
		},
		async destroy() {
			await Promise.all(nodes.map((node) => node.kill('SIGKILL')))
			await database.drop()
			await options.redis.deletePrefix(prefix)
			await removeDir(dataDir)
		},
	}
}
