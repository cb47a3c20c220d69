/**
 * server/storage/storeTransfer.ts on real SQLite files (the PostgreSQL side:
 * test/integration/migrateStorage.test.ts): locations are parsed with clear
 * errors, every table is copied row for row, a target with data is refused
 * and left as it was, `replace` swaps its contents.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openSqliteStorage } from '../../server/storage/storageProvider'
import { parseStoreLocation, StoreLocationError, TargetNotEmptyError, TRANSFER_TABLES, transferStore } from '../../server/storage/storeTransfer'

const dirs: string[] = []
afterEach(() => {
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})
function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-transfer-'))
	dirs.push(dir)
	return dir
}

/** A store with `boards` boards of 3 updates each, tokens for each, and one voting session with a ballot. */
async function seed(dataDir: string, boards: number, prefix: string): Promise<void> {
	const storage = openSqliteStorage(dataDir)
	try {
		for (let b = 0; b < boards; b++) {
			const id = `${prefix}-${b}`
			await storage.boards.appendUpdates(id, [new Uint8Array([b, 1]), new Uint8Array([b, 2]), new Uint8Array([b, 3])])
			await storage.tokens.claim(id)
		}
	} finally {
		await storage.close()
	}
	const db = new Database(path.join(dataDir, 'workshop-board.sqlite'))
	db.prepare("INSERT INTO voting_sessions (id, board_id, config, status, created_at) VALUES (?, ?, '{}', 'open', 1)").run(`${prefix}-vote`, `${prefix}-0`)
	db.prepare("INSERT INTO vote_ballots (session_id, voter_key, item_id, count, voter_name) VALUES (?, 'v1', 'shape:a', 2, 'Ada')").run(`${prefix}-vote`)
	db.close()
}

/** Every row of every transferred table, in key order. */
function dump(dataDir: string): Record<string, unknown[]> {
	const db = new Database(path.join(dataDir, 'workshop-board.sqlite'), { readonly: true })
	try {
		return Object.fromEntries(TRANSFER_TABLES.map((t) => [t.name, db.prepare(`SELECT * FROM ${t.name} ORDER BY ${t.key.join(', ')}`).all()]))
	} finally {
		db.close()
	}
}

describe('parseStoreLocation', () => {
	it('takes sqlite:DIR, sqlite:FILE.sqlite and postgres URLs; refuses the rest with the flag named and no value echoed', () => {
		expect(parseStoreLocation('sqlite:./data', '--from')).toEqual({ kind: 'sqlite', file: path.resolve('data/workshop-board.sqlite') })
		expect(parseStoreLocation('sqlite:/backups/a.sqlite', '--from')).toEqual({ kind: 'sqlite', file: '/backups/a.sqlite' })
		expect(parseStoreLocation('postgresql://u:p@db:5433/boards', '--to')).toEqual({ kind: 'postgres', url: 'postgresql://u:p@db:5433/boards' })
		for (const [value, message] of [
			[undefined, /--to is missing/],
			['sqlite:', /sqlite: needs a directory/],
			['postgres://u:secret@db', /--to names no database/],
			['mysql://u:secret@db/x', /--to must start with sqlite: or postgres:\/\//],
		] as const) {
			expect(() => parseStoreLocation(value, '--to')).toThrow(StoreLocationError)
			expect(() => parseStoreLocation(value, '--to')).toThrow(message)
			try {
				parseStoreLocation(value, '--to')
			} catch (error) {
				expect((error as Error).message).not.toContain('secret')
			}
		}
	})
})

describe('transferStore (SQLite → SQLite)', () => {
	it('copies every row of every table, unchanged', async () => {
		const from = tempDir()
		const to = tempDir()
		await seed(from, 3, 'board')
		const result = await transferStore(parseStoreLocation(`sqlite:${from}`, '--from'), parseStoreLocation(`sqlite:${to}`, '--to'))
		expect(result.counts).toMatchObject({ boards: 3, board_updates: 9, board_tokens: 9, voting_sessions: 1, vote_ballots: 1 })
		expect(result.replaced).toBeNull()
		expect(dump(to)).toEqual(dump(from))
	})

	it('refuses a target with data and leaves it as it was; replace swaps its contents', async () => {
		const from = tempDir()
		const to = tempDir()
		await seed(from, 2, 'new')
		await seed(to, 1, 'old')
		const before = dump(to)
		const source = parseStoreLocation(`sqlite:${from}`, '--from')
		const target = parseStoreLocation(`sqlite:${to}`, '--to')
		const refusal = await transferStore(source, target).catch((error: unknown) => error)
		expect(refusal).toBeInstanceOf(TargetNotEmptyError)
		expect((refusal as Error).message).toMatch(/is not empty \(1 board, 3 logged updates, 3 role tokens, 1 voting session, 1 ballot row/)
		expect(dump(to)).toEqual(before)

		const replaced = await transferStore(source, target, { replace: true })
		expect(replaced.replaced).toMatchObject({ boards: 1 })
		expect(dump(to)).toEqual(dump(from))
	})

	it('never creates a missing source and refuses copying a store onto itself', async () => {
		const dir = tempDir()
		await expect(transferStore(parseStoreLocation(`sqlite:${dir}/none`, '--from'), parseStoreLocation(`sqlite:${dir}/copy`, '--to'))).rejects.toThrow(/no database at/)
		expect(fs.existsSync(path.join(dir, 'none'))).toBe(false)
		await expect(transferStore(parseStoreLocation(`sqlite:${dir}`, '--from'), parseStoreLocation(`sqlite:${dir}`, '--to'))).rejects.toThrow(/same store/)
	})
})
