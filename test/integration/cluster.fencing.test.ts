/**
 * Fencing of board writes on a real PostgreSQL (server/storage/postgres/pgFencing.ts):
 * once a new owner claimed a higher token, every write of the old owner —
 * update append, compaction, ballot, session state — is refused, and what the
 * new owner loads includes everything the old one committed before the claim.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openPostgresStorage, type StorageProvider } from '../../server/storage/storageProvider'
import type { PgBoardStorage } from '../../server/storage/postgres/pgBoardStorage'
import type { PgSessionStore } from '../../server/storage/postgres/pgAppStores'
import { StaleFenceError, UnknownBoardError } from '../../server/storage/postgres/pgFencing'
import { postgresForTests, type TestDatabase } from '../helpers/postgresDatabase'

const postgres = await postgresForTests()
let database: TestDatabase | null = null
let provider: StorageProvider | null = null

afterEach(async () => {
	await provider?.close()
	await database?.drop()
	provider = null
	database = null
})

function update(key: string): Uint8Array {
	const doc = new Y.Doc()
	doc.getMap('records').set(key, key)
	return Y.encodeStateAsUpdate(doc)
}

describe.skipIf(!postgres.available)(`fencing tokens on PostgreSQL ${postgres.skipNote}`, () => {
	it('a deposed owner can neither append, compact nor write session state once a newer token is claimed', async () => {
		database = await postgres.createDatabase()
		provider = await openPostgresStorage(database.url)
		const boards = provider.boards as PgBoardStorage
		const sessions = provider.sessions as PgSessionStore
		await boards.appendUpdates('b', [update('created')])
		await expect(boards.claimFence('never-created', 1)).rejects.toBeInstanceOf(UnknownBoardError)

		await boards.claimFence('b', 1)
		expect(await boards.appendUpdatesFenced('b', [update('old-owner')], 1)).toBe(2)
		// A new lease must bring a new token: the same one again (Redis restarted and counted anew) is refused.
		await expect(boards.claimFence('b', 1)).rejects.toMatchObject({ name: 'StaleFenceError', stored: 1 })
		await boards.claimFence('b', 2) // a new owner took the board
		const stale = boards.appendUpdatesFenced('b', [update('late')], 1)
		await expect(stale).rejects.toBeInstanceOf(StaleFenceError)
		await expect(stale).rejects.toMatchObject({ given: 1, stored: 2 })
		await expect(boards.compactFenced('b', update('snapshot'), 2, 1)).rejects.toBeInstanceOf(StaleFenceError)
		await expect(sessions.fencedWrites('b', 1).saveState('b', { version: 1 })).rejects.toBeInstanceOf(StaleFenceError)
		// Token 0 (an API write without a lease) only works for a board no owner ever claimed.
		await expect(boards.appendUpdatesFenced('b', [update('api')], 0)).rejects.toBeInstanceOf(StaleFenceError)

		await sessions.fencedWrites('b', 2).saveState('b', { version: 1 })
		expect(await boards.appendUpdatesFenced('b', [update('new-owner')], 2)).toBe(3)
		const doc = new Y.Doc()
		Y.applyUpdate(doc, (await boards.loadBoard('b')).update!)
		expect([...doc.getMap('records').keys()].sort()).toEqual(['created', 'new-owner', 'old-owner'])
	})

	it('a claim waits for an old owner write in flight, so the new owner loads it', async () => {
		database = await postgres.createDatabase()
		provider = await openPostgresStorage(database.url)
		const boards = provider.boards as PgBoardStorage
		await boards.appendUpdates('b', [update('created')])
		await boards.claimFence('b', 1)
		// Many appends of owner 1 race one claim of owner 2: each append either commits before the claim or is refused.
		const appends = Array.from({ length: 20 }, (_, i) => boards.appendUpdatesFenced('b', [update(`w${i}`)], 1).then(() => `w${i}`, () => null))
		const claimed = boards.claimFence('b', 2).then(() => boards.loadBoard('b'))
		const [written, loaded] = await Promise.all([Promise.all(appends), claimed])
		const doc = new Y.Doc()
		Y.applyUpdate(doc, loaded.update!)
		const seen = new Set(doc.getMap('records').keys())
		const stored = new Y.Doc()
		Y.applyUpdate(stored, (await boards.loadBoard('b')).update!)
		// Everything that committed is in the store, and nothing committed after the new owner loaded.
		for (const key of written) if (key !== null) expect(seen.has(key)).toBe(true)
		expect(new Set(stored.getMap('records').keys())).toEqual(seen)
	})
})
