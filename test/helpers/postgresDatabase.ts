/**
 * A throwaway PostgreSQL database per test file.
 *
 *   const pg = await postgresForTests()           // top level of the test file
 *   describe.skipIf(!pg.available)(`… ${pg.skipNote}`, …)
 *   const db = await pg.createDatabase()         // wb_test_<random>; db.url, await db.drop()
 *
 * PostgreSQL is expected at TEST_POSTGRES_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres, trust auth). Without it the
 * suites are skipped and their names say why; with CI=true an unreachable
 * PostgreSQL is an error, so CI can never pass by skipping.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const TEST_POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface TestDatabase {
	url: string
	name: string
	drop(): Promise<void>
}

export interface PostgresForTests {
	available: boolean
	/** '' when available, else "(skipped: PostgreSQL unreachable at …: reason)". */
	skipNote: string
	createDatabase(): Promise<TestDatabase>
}

async function adminQuery(sql: string): Promise<void> {
	const client = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3_000 })
	await client.connect()
	try {
		await client.query(sql)
	} finally {
		await client.end()
	}
}

export async function postgresForTests(): Promise<PostgresForTests> {
	let failure: string | null = null
	try {
		await adminQuery('SELECT 1')
	} catch (error) {
		failure = error instanceof Error ? error.message : String(error)
	}
	if (failure !== null && process.env.CI === 'true') {
		throw new Error(`CI=true but PostgreSQL is unreachable at ${TEST_POSTGRES_ADMIN_URL}: ${failure}`)
	}
	if (failure !== null) console.warn(`PostgreSQL suites skipped: unreachable at ${TEST_POSTGRES_ADMIN_URL}: ${failure}`)
	return {
		available: failure === null,
		skipNote: failure === null ? '' : `(skipped: PostgreSQL unreachable at ${TEST_POSTGRES_ADMIN_URL}: ${failure})`,
		async createDatabase() {
			const name = `wb_test_${randomBytes(6).toString('hex')}`
			await adminQuery(`CREATE DATABASE ${name}`)
			const url = new URL(TEST_POSTGRES_ADMIN_URL)
			url.pathname = `/${name}`
			return {
				name,
				url: url.toString(),
				drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
			}
		},
	}
}
