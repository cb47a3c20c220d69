/**
 * The machine's Redis for cluster tests, with a key prefix of their own.
 *
 *   const redis = await redisForTests()              // top level of the test file
 *   describe.skipIf(!redis.available)(`… ${redis.skipNote}`, …)
 *   const prefix = redis.newPrefix()                 // wbtest:<random>: — pass as REDIS_KEY_PREFIX
 *   await redis.deletePrefix(prefix)                 // afterwards
 *
 * Redis is expected at TEST_REDIS_URL (default redis://127.0.0.1:6379). Without it
 * the suites are skipped and their names say why; with CI=true an unreachable
 * Redis is an error, so CI can never pass by skipping (as for PostgreSQL).
 *
 * `startPrivateRedis()` runs a Redis of the test's own (same binary, own port,
 * no persistence, like the machine's) that the test may stop and start.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export interface RedisForTests {
	available: boolean
	skipNote: string
	url: string
	newPrefix(): string
	deletePrefix(prefix: string): Promise<void>
	/** A client for assertions (the caller quits it). */
	connect(): Redis
}

export async function redisForTests(url = TEST_REDIS_URL): Promise<RedisForTests> {
	let failure: string | null = null
	const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null })
	probe.on('error', () => {})
	try {
		await probe.connect()
		await probe.ping()
	} catch (error) {
		failure = error instanceof Error ? error.message : String(error)
	} finally {
		probe.disconnect()
	}
	if (failure !== null && process.env.CI === 'true') throw new Error(`CI=true but Redis is unreachable at ${url}: ${failure}`)
	if (failure !== null) console.warn(`Redis suites skipped: unreachable at ${url}: ${failure}`)
	return {
		available: failure === null,
		skipNote: failure === null ? '' : `(skipped: Redis unreachable at ${url}: ${failure})`,
		url,
		newPrefix: () => `wbtest:${randomBytes(6).toString('hex')}:`,
		connect: () => new Redis(url),
		async deletePrefix(prefix) {
			const redis = new Redis(url, { retryStrategy: () => null })
			redis.on('error', () => {})
			try {
				let cursor = '0'
				do {
					const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
					if (keys.length > 0) await redis.del(...keys)
					cursor = next
				} while (cursor !== '0')
			} finally {
				redis.disconnect()
			}
		},
	}
}

export interface PrivateRedis {
	url: string
	/** Stops the server (SIGKILL: Redis has no persistence here, so it comes back empty). */
	stop(): Promise<void>
	/** Starts it again on the same port. */
	start(): Promise<void>
}

/** Null when there is no redis-server binary (then the caller skips; under CI=true it throws). */
export async function startPrivateRedis(): Promise<PrivateRedis | null> {
	const { spawn, execFileSync } = await import('node:child_process')
	const { findFreePort } = await import('../integration/helpers/processMetrics')
	try {
		execFileSync('redis-server', ['--version'], { stdio: 'ignore' })
	} catch {
		if (process.env.CI === 'true') throw new Error('CI=true but no redis-server binary for a private Redis')
		return null
	}
	const port = await findFreePort()
	const url = `redis://127.0.0.1:${port}`
	let child: ReturnType<typeof spawn> | null = null
	const start = async () => {
		child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
		const probe = new Redis(url, { retryStrategy: (times) => (times > 100 ? null : 50) })
		probe.on('error', () => {})
		try {
			await probe.ping()
		} finally {
			probe.disconnect()
		}
	}
	await start()
	return {
		url,
		async stop() {
			const running = child
			child = null
			if (!running || running.exitCode !== null) return
			const exited = new Promise((resolve) => running.once('exit', resolve))
			running.kill('SIGKILL')
			await exited
		},
		start,
	}
}
