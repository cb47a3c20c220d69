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

export async function redisForTests(): Promise<RedisForTests> {
	let failure: string | null = null
	const probe = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null })
	probe.on('error', () => {})
	try {
		await probe.connect()
		await probe.ping()
	} catch (error) {
		failure = error instanceof Error ? error.message : String(error)
	} finally {
		probe.disconnect()
	}
	if (failure !== null && process.env.CI === 'true') throw new Error(`CI=true but Redis is unreachable at ${TEST_REDIS_URL}: ${failure}`)
	if (failure !== null) console.warn(`Redis suites skipped: unreachable at ${TEST_REDIS_URL}: ${failure}`)
	return {
		available: failure === null,
		skipNote: failure === null ? '' : `(skipped: Redis unreachable at ${TEST_REDIS_URL}: ${failure})`,
		url: TEST_REDIS_URL,
		newPrefix: () => `wbtest:${randomBytes(6).toString('hex')}:`,
		connect: () => new Redis(TEST_REDIS_URL),
		async deletePrefix(prefix) {
			const redis = new Redis(TEST_REDIS_URL)
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
