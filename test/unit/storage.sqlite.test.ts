import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardStorage } from '../../server/storage/boardStorage'
import { MIGRATIONS, runMigrations, type Migration } from '../../server/storage/migrations'
import { DATABASE_FILE_NAME, SqliteBoardStorage } from '../../server/storage/sqliteBoardStorage'
import { openSqliteStorage } from '../../server/storage/storageProvider'
import { runAppStoresContract } from './appStores.contract'
import { runBoardStorageContract } from './storage.contract'

const tempDirs: string[] = []
function makeTempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workshop-board-storage-'))
	tempDirs.push(dir)
	return dir
}
afterEach(() => {
	for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function execOnFile(dataDir: string, sql: string): void {
	const db = new Database(path.join(dataDir, DATABASE_FILE_NAME))
	db.exec(sql)
	db.close()
}

runBoardStorageContract('SqliteBoardStorage', async () => {
	// A nested, not-yet-existing directory: open() must create it.
	const dataDir = path.join(makeTempDir(), 'nested', 'data')
	let storage: BoardStorage = SqliteBoardStorage.open(dataDir)
	const subject = {
		storage,
		async reopen() {
			await storage.close()
			storage = SqliteBoardStorage.open(dataDir)
			return storage
		},
		async cleanup() {
			await storage.close()
		},
		async failCompactionAfterSnapshotWrite() {
			// A trigger added from a second connection makes the log prune fail
			// after the snapshot row was already written in the same transaction.
			execOnFile(dataDir, `CREATE TRIGGER fail_prune BEFORE DELETE ON board_updates BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`)
		},
		async failAppendsFromSeq(seq: number) {
			execOnFile(dataDir, `CREATE TRIGGER fail_append BEFORE INSERT ON board_updates WHEN NEW.seq >= ${seq} BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`)
		},
		async healAppends() {
			execOnFile(dataDir, 'DROP TRIGGER fail_append')
		},
		async openSecondWriter() {
			return SqliteBoardStorage.open(dataDir)
		},
	}
	return subject
})

runAppStoresContract('SQLite', async () => {
	const dataDir = makeTempDir()
	const first = openSqliteStorage(dataDir)
	const second = openSqliteStorage(dataDir)
	return {
		tokens: first.tokens,
		sessions: first.sessions,
		second,
		async cleanup() {
			await first.close()
			await second.close()
		},
	}
})

describe('SqliteBoardStorage', () => {
	it('creates DATA_DIR and one database file in WAL mode', async () => {
		const dataDir = path.join(makeTempDir(), 'missing')
		const storage = SqliteBoardStorage.open(dataDir)
		await storage.close()
		expect(fs.existsSync(path.join(dataDir, DATABASE_FILE_NAME))).toBe(true)
		const db = new Database(path.join(dataDir, DATABASE_FILE_NAME))
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
		db.close()
	})

	it('records a boards row with created_at and updated_at on first append', async () => {
		const dataDir = makeTempDir()
		const storage = SqliteBoardStorage.open(dataDir)
		const doc = new Y.Doc()
		doc.getMap('records').set('a', 1)
		const before = Date.now()
		await storage.appendUpdates('board-row', [Y.encodeStateAsUpdate(doc)])
		await storage.close()
		const db = new Database(path.join(dataDir, DATABASE_FILE_NAME), { readonly: true })
		const row = db.prepare('SELECT id, created_at, updated_at FROM boards').get() as { id: string; created_at: number; updated_at: number }
		db.close()
		expect(row.id).toBe('board-row')
		expect(row.created_at).toBeGreaterThanOrEqual(before)
		expect(row.updated_at).toBeGreaterThanOrEqual(row.created_at)
	})

	it('loads a board of 100k small updates quickly once compacted', async () => {
		const storage = SqliteBoardStorage.open(makeTempDir())
		const doc = new Y.Doc()
		const batch: Uint8Array[] = []
		doc.on('update', (update: Uint8Array) => batch.push(update))
		const text = doc.getText('notes')
		for (let i = 0; i < 100_000; i++) {
			if (i % 3 === 0) text.insert(text.length, 'x')
			else doc.getMap('records').set(`k${i % 500}`, i)
			if (batch.length >= 5_000) await storage.appendUpdates('big-board', batch.splice(0))
		}
		await storage.appendUpdates('big-board', batch.splice(0))
		const uncompactedStarted = performance.now()
		const uncompacted = await storage.loadBoard('big-board')
		// Even without compaction a long log must load in linear time.
		expect(performance.now() - uncompactedStarted).toBeLessThan(10_000)
		expect(uncompacted.pendingUpdates).toBe(100_000)
		const fromLog = new Y.Doc()
		Y.applyUpdate(fromLog, uncompacted.update ?? new Uint8Array())
		expect(fromLog.getMap('records').toJSON()).toEqual(doc.getMap('records').toJSON())
		await storage.compact('big-board', Y.encodeStateAsUpdate(doc), uncompacted.lastSeq)

		const started = performance.now()
		const loaded = await storage.loadBoard('big-board')
		const restored = new Y.Doc()
		if (loaded.update) Y.applyUpdate(restored, loaded.update)
		const elapsed = performance.now() - started
		await storage.close()

		expect(loaded.pendingUpdates).toBe(0)
		expect(restored.getText('notes').length).toBe(text.length)
		expect(restored.getMap('records').get('k499')).toBe(99_499)
		expect(restored.getMap('records').toJSON()).toEqual(doc.getMap('records').toJSON())
		expect(elapsed).toBeLessThan(500)
	}, 60_000)
})

describe('schema migrations', () => {
	it('applies every named migration once and records it', () => {
		const db = new Database(':memory:')
		expect(runMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name))
		expect(runMigrations(db)).toEqual([])
		const names = (db.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as { name: string }[]).map((r) => r.name)
		expect(names).toEqual(MIGRATIONS.map((m) => m.name))
		const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
			(r) => r.name,
		)
		expect(tables).toEqual(expect.arrayContaining(['boards', 'board_updates', 'board_snapshots', 'schema_migrations']))
		db.close()
	})

	it('applies only new migrations to an existing database, in order', () => {
		const db = new Database(':memory:')
		runMigrations(db)
		const added: Migration[] = [
			...MIGRATIONS,
			{ name: '900-test-add-title', up: (d) => d.exec('ALTER TABLE boards ADD COLUMN title TEXT') },
		]
		expect(runMigrations(db, added)).toEqual(['900-test-add-title'])
		const columns = (db.prepare('PRAGMA table_info(boards)').all() as { name: string }[]).map((c) => c.name)
		expect(columns).toContain('title')
		db.close()
	})

	it('rolls back a failing migration without recording it', () => {
		const db = new Database(':memory:')
		const broken: Migration[] = [
			...MIGRATIONS,
			{
				name: '901-test-broken',
				up: (d) => {
					d.exec('CREATE TABLE half_done (id INTEGER)')
					throw new Error('boom')
				},
			},
		]
		expect(() => runMigrations(db, broken)).toThrow('boom')
		const tables = (db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").all() as unknown[]).length
		expect(tables).toBe(0)
		expect(db.prepare("SELECT COUNT(*) AS n FROM schema_migrations WHERE name = '901-test-broken'").get()).toEqual({ n: 0 })
		db.close()
	})
})
