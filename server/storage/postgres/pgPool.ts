/**
 * The PostgreSQL connection pool of one server process, and a transaction
 * helper. Idle clients of a pool emit 'error' when the database goes away;
 * without a listener Node would crash the process, so it is logged instead
 * and the next query fails like any other storage fault.
 */
import pg from 'pg'

export interface PgPoolOptions {
	/** Called for errors of idle pooled connections (database restarted, network lost). */
	onIdleError?: (error: Error) => void
	max?: number
}

export function createPgPool(connectionString: string, options: PgPoolOptions = {}): pg.Pool {
	const pool = new pg.Pool({
		connectionString,
		max: options.max ?? 10,
		// Fail a query fast when the database is unreachable instead of hanging a room flush.
		connectionTimeoutMillis: 5_000,
		idleTimeoutMillis: 30_000,
	})
	pool.on('error', (error) => options.onIdleError?.(error))
	return pool
}

/**
 * Checks a client out of the pool. While it is checked out and between
 * queries, a lost connection (database shut down: 57P01) is emitted as an
 * 'error' event on the client, which would crash the process without a
 * listener; the next query fails instead, and `release(error)` drops it.
 */
export async function checkOut(pool: pg.Pool): Promise<pg.PoolClient & { releaseChecked(error?: Error): void }> {
	const client = await pool.connect()
	const ignore = () => {}
	client.on('error', ignore)
	return Object.assign(client, {
		releaseChecked(error?: Error) {
			client.off('error', ignore)
			client.release(error)
		},
	})
}

/**
 * Runs `work` in one transaction on one pooled client; rolls back and rethrows
 * on failure. `begin` may name an isolation level (e.g. 'BEGIN ISOLATION LEVEL
 * REPEATABLE READ READ ONLY').
 */
export async function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
	const client = await checkOut(pool)
	let broken: Error | undefined
	try {
		await client.query(begin)
		const result = await work(client)
		await client.query('COMMIT')
		return result
	} catch (error) {
		broken = error instanceof Error ? error : new Error(String(error))
		await client.query('ROLLBACK').catch(() => {})
		throw error
	} finally {
		// Passing the error destroys the connection: after a failure its state is unknown.
		client.releaseChecked(broken)
	}
}
