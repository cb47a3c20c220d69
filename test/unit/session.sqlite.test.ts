/**
 * What only the SQLite adapters can show (the rows themselves): tokens are
 * stored as SHA-256 only, anonymous ballots never carry the participant id
 * and are deleted on close. Behaviour common to every backend is in
 * appStores.contract.ts.
 */
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { SqliteBoardTokenStore, hashToken } from '../../server/auth'
import { SqliteSessionStore } from '../../server/session/sessionStore'
import { VotingSession } from '../../server/session/votingEngine'
import { runMigrations } from '../../server/storage/migrations'

let db: Database.Database
const open = () => {
	db = new Database(':memory:')
	runMigrations(db)
	return db
}
afterEach(() => db?.close())

describe('SQLite rows of tokens and sessions', () => {
	it('stores only token hashes', async () => {
		const tokens = new SqliteBoardTokenStore(open())
		const issued = await tokens.claim('board-1')
		const dump = JSON.stringify(db.prepare('SELECT board_id, role, hex(token_hash) AS h FROM board_tokens').all())
		for (const token of Object.values(issued)) {
			expect(dump).not.toContain(token)
			expect(dump).toContain(hashToken(token).toString('hex').toUpperCase())
		}
	})

	it('anonymous ballots never store the participant id and are deleted on close', async () => {
		const store = new SqliteSessionStore(open())
		const config = { title: 'V', eligible: {}, votesPerParticipant: 3, maxVotesPerItem: 3, anonymous: true, hideResults: true }
		const session = await VotingSession.start(store, 'board-1', 'session-1', config, 10, Buffer.alloc(32, 1))
		await session.place(store, 'alice-0001', 'Alice', 'shape:a', () => true)
		expect(JSON.stringify(db.prepare('SELECT * FROM vote_ballots').all())).not.toContain('alice')
		await session.close(store, 20)
		expect(db.prepare('SELECT COUNT(*) AS n FROM vote_ballots').get()).toEqual({ n: 0 })
		expect(db.prepare('SELECT voter_salt FROM voting_sessions').get()).toEqual({ voter_salt: null })
	})
})
