/**
 * PgBoardStorage against a real PostgreSQL (test/helpers/postgresDatabase.ts):
 * the shared contract, plus PostgreSQL-only behaviour — migrations under an
 * advisory lock. One database per file, dropped at the end.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgPool } from '../../server/storage/postgres/pgPool'
import { PgBoardStorage } from '../../server/storage/postgres/pgBoardStorage'
import { PG_MIGRATIONS, runPgMigrations, type PgMigration } from '../../server/storage/postgres/pgMigrations'
import { postgresForTests, type TestDatabase } from '../helpers/postgresDatabase'
import { PgBoardTokenStore, PgSessionStore } from '../../server/storage/postgres/pgAppStores'
import { runAppStoresContract } from './appStores.contract'
import { runBoardStorageContract } from './storage.contract'

const postgres = await postgresForTests()
let database: TestDatabase | null = null
const pools: pg.Pool[] = []

beforeAll(async () => {
	if (!postgres.available) return
	database = await postgres.createDatabase()
	const pool = openPool()
	await runPgMigrations(pool)
})
afterAll(async () => {
	for (const pool of pools.splice(0)) if (!pool.ended) await pool.end()
	await database?.drop()
})

function openPool(): pg.Pool {
	if (!database) throw new Error('no test database')
	const pool = createPgPool(database.url)
	pools.push(pool)
	return pool
}

async function exec(sql: string): Promise<void> {
	const pool = openPool()
	await pool.query(sql)
}

runBoardStorageContract(
	'PgBoardStorage',
	async () => {
		// Every test starts from empty tables and without injected faults.
		await exec(`DROP TRIGGER IF EXISTS fail_prune ON board_updates; DROP TRIGGER IF EXISTS fail_append ON board_updates;
			TRUNCATE board_updates, board_snapshots, boards`)
		let storage = new PgBoardStorage(openPool(), true)
		return {
			storage,
			async reopen() {
				await storage.close()
				storage = new PgBoardStorage(openPool(), true)
				return storage
			},
			async cleanup() {
				await storage.close()
			},
			async failCompactionAfterSnapshotWrite() {
				await exec(`CREATE OR REPLACE FUNCTION wb_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$;
					CREATE TRIGGER fail_prune BEFORE DELETE ON board_updates FOR EACH ROW EXECUTE FUNCTION wb_test_fail()`)
			},
			async failAppendsFromSeq(seq: number) {
				await exec(`CREATE OR REPLACE FUNCTION wb_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$;
					CREATE TRIGGER fail_append BEFORE INSERT ON board_updates FOR EACH ROW WHEN (NEW.seq >= ${seq}) EXECUTE FUNCTION wb_test_fail()`)
			},
			async healAppends() {
				await exec('DROP TRIGGER fail_append ON board_updates')
			},
			async openSecondWriter() {
				return new PgBoardStorage(openPool(), true)
			},
		}
	},
	{ skipNote: postgres.skipNote || undefined },
)

runAppStoresContract(
	'PostgreSQL',
	async () => {
		await exec('TRUNCATE board_tokens, vote_ballots, voting_sessions, board_session_state')
		const pool = openPool()
		const secondPool = openPool()
		return {
			tokens: new PgBoardTokenStore(pool),
			sessions: new PgSessionStore(pool),
			second: { tokens: new PgBoardTokenStore(secondPool), sessions: new PgSessionStore(secondPool) },
			async cleanup() {
				await pool.end()
				await secondPool.end()
			},
		}
	},
	{ skipNote: postgres.skipNote || undefined },
)

describe.skipIf(!postgres.available)(`PostgreSQL schema migrations ${postgres.skipNote}`, () => {
	it('records every named migration once; a second run applies nothing', async () => {
		const pool = openPool()
		expect(await runPgMigrations(pool)).toEqual([])
		const names = (await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((row) => row.name)
		expect(names).toEqual(PG_MIGRATIONS.map((migration) => migration.name))
	})

	it('two processes starting together migrate once (advisory lock)', async () => {
		const added: PgMigration[] = [...PG_MIGRATIONS, { name: '900-test-add-title', sql: 'ALTER TABLE boards ADD COLUMN title TEXT' }]
		// Without the lock both would see the migration as missing and the second ALTER would fail.
		const [first, second] = await Promise.all([runPgMigrations(openPool(), added), runPgMigrations(openPool(), added)])
		expect([...first, ...second]).toEqual(['900-test-add-title'])
		await exec('ALTER TABLE boards DROP COLUMN title')
	})

	it('rolls back a failing migration without recording it', async () => {
		const broken: PgMigration[] = [...PG_MIGRATIONS, { name: '901-test-broken', sql: 'CREATE TABLE half_done (id INTEGER); SELECT 1/0' }]
		await expect(runPgMigrations(openPool(), broken)).rejects.toThrow()
		const pool = openPool()
		expect((await pool.query("SELECT to_regclass('half_done') AS t")).rows[0].t).toBeNull()
		expect((await pool.query("SELECT COUNT(*)::int AS n FROM schema_migrations WHERE name = '901-test-broken'")).rows[0].n).toBe(0)
	})
})
