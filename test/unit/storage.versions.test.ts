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
import { describeCounts, parseStoreLocation, transferStore } from '../../server/storage/storeTransfer'
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

describe.skipIf(!postgres.available)(`board versions move with the store (migrate-storage, backup) ${postgres.skipNote}`, () => {
	it('SQLite → PostgreSQL → SQLite keeps every version byte for byte', async () => {
		const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'wb-versions-from-')), fs.mkdtempSync(path.join(os.tmpdir(), 'wb-versions-back-'))]
		const source = openSqliteStorage(dirs[0])
		const doc = new Uint8Array(4096).map((_, i) => (i * 7) % 256)
		await source.versions.insertVersion({ id: 'v-move-0001', boardId: 'board-m', name: 'Before “launch”', kind: 'named', createdAt: 1_764_000_000_000, sizeBytes: 4100, doc, session: '{"version":1}' })
		await source.versions.insertVersion({ id: 'v-move-0002', boardId: 'board-m', name: 'Automatic version', kind: 'auto', createdAt: 1_764_000_100_000, sizeBytes: 10, doc: new Uint8Array([1]), session: '{}' })
		await source.close()
		await openPool().query('TRUNCATE board_versions')
		const through = await transferStore(parseStoreLocation(`sqlite:${dirs[0]}`, '--from'), { kind: 'postgres', url: database!.url }, { replace: true })
		expect(through.counts.board_versions).toBe(2)
		expect(describeCounts(through.counts)).toMatch(/, 2 board versions$/)
		await transferStore({ kind: 'postgres', url: database!.url }, parseStoreLocation(`sqlite:${dirs[1]}`, '--to'))
		const back = openSqliteStorage(dirs[1])
		try {
			expect((await back.versions.listVersions('board-m')).map((v) => [v.id, v.kind, v.createdAt])).toEqual([
				['v-move-0002', 'auto', 1_764_000_100_000],
				['v-move-0001', 'named', 1_764_000_000_000],
			])
			const moved = (await back.versions.loadVersion('board-m', 'v-move-0001'))!
			expect(moved.name).toBe('Before “launch”')
			expect(Buffer.from(moved.doc).equals(Buffer.from(doc))).toBe(true)
		} finally {
			await back.close()
			for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
		}
	})
})

describe('board_versions migration', () => {
	it('has the same name on SQLite and PostgreSQL', () => {
		expect(MIGRATIONS.map((m) => m.name)).toContain('004-create-board-versions')
		expect(PG_MIGRATIONS.map((m) => m.name)).toContain('004-create-board-versions')
	})
})
