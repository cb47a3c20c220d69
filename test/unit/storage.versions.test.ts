/** The VersionStore contract (versions.contract.ts) on SQLite, PostgreSQL and memory, plus the migration of its table. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryVersionStore } from '../../server/storage/memoryVersionStore'
import { MIGRATIONS } from '../../server/storage/migrations'
import { PG_MIGRATIONS, runPgMigrations } from '../../server/storage/postgres/pgMigrations'
import { createPgPool } from '../../server/storage/postgres/pgPool'
import { PgVersionStore } from '../../server/storage/postgres/pgVersionStore'
import { openSqliteStorage } from '../../server/storage/storageProvider'
import { postgresForTests, type TestDatabase } from '../helpers/postgresDatabase'
import { runVersionStoreContract } from './versions.contract'

runVersionStoreContract('memory', async () => {
	const store = new MemoryVersionStore()
	return { store, second: store, cleanup: async () => {} }
})

runVersionStoreContract('SQLite', async () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-versions-'))
	const first = openSqliteStorage(dataDir)
	const second = openSqliteStorage(dataDir)
	return {
		store: first.versions,
		second: second.versions,
		async cleanup() {
			await first.close()
			await second.close()
			fs.rmSync(dataDir, { recursive: true, force: true })
		},
	}
})

const postgres = await postgresForTests()
let database: TestDatabase | null = null
const pools: pg.Pool[] = []
beforeAll(async () => {
	if (!postgres.available) return
	database = await postgres.createDatabase()
	await runPgMigrations(openPool())
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

runVersionStoreContract(
	'PostgreSQL',
	async () => {
		const pool = openPool()
		await pool.query('TRUNCATE board_versions')
		return { store: new PgVersionStore(pool), second: new PgVersionStore(openPool()), cleanup: async () => {} }
	},
	{ skipNote: postgres.skipNote || undefined },
)

describe('board_versions migration', () => {
	it('has the same name on SQLite and PostgreSQL', () => {
		expect(MIGRATIONS.map((m) => m.name)).toContain('004-create-board-versions')
		expect(PG_MIGRATIONS.map((m) => m.name)).toContain('004-create-board-versions')
	})
})
