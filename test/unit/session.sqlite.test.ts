/** SQLite stores of role tokens and facilitated sessions (migrations 002/003). */
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { BoardAlreadyClaimedError, SqliteBoardTokenStore, hashToken } from '../../server/auth'
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

describe('SqliteBoardTokenStore', () => {
	it('claims once, stores only hashes, rotates one role at once', () => {
		const tokens = new SqliteBoardTokenStore(open())
		expect(tokens.isClaimed('board-1')).toBe(false)
		const issued = tokens.claim('board-1')
		expect(tokens.isClaimed('board-1')).toBe(true)
		expect(() => tokens.claim('board-1')).toThrow(BoardAlreadyClaimedError)
		const dump = JSON.stringify(db.prepare('SELECT board_id, role, hex(token_hash) AS h FROM board_tokens').all())
		for (const token of Object.values(issued)) {
			expect(dump).not.toContain(token)
			expect(dump).toContain(hashToken(token).toString('hex').toUpperCase())
		}
		expect(tokens.lookup(issued.viewer)).toMatchObject({ boardId: 'board-1', role: 'viewer' })
		expect(tokens.lookup('x'.repeat(43))).toBeNull()

		const before = tokens.lookup(issued.participant)!
		const { token, revokedCredentialId } = tokens.rotate('board-1', 'participant')
		expect(revokedCredentialId).toBe(before.credentialId)
		expect(tokens.lookup(issued.participant)).toBeNull()
		expect(tokens.lookup(token)).toMatchObject({ role: 'participant' })
		expect(tokens.lookup(issued.facilitator)).toMatchObject({ role: 'facilitator' })
		expect(tokens.lookup(token)!.credentialId).not.toBe(before.credentialId)
	})
})

describe('SqliteSessionStore', () => {
	it('persists sessions, ballots and state; closing an anonymous session erases ballots and salt', () => {
		const store = new SqliteSessionStore(open())
		const config = { title: 'V', eligible: {}, votesPerParticipant: 3, maxVotesPerItem: 3, anonymous: true, hideResults: true }
		const session = VotingSession.start(store, 'board-1', 'session-1', config, 10, Buffer.alloc(32, 1))
		session.place(store, 'alice-0001', 'Alice', 'shape:a', () => true)
		session.place(store, 'alice-0001', 'Alice', 'shape:a', () => true)
		const [loaded] = store.loadVotingSessions('board-1')
		expect(loaded.record).toMatchObject({ id: 'session-1', boardId: 'board-1', status: 'open', config })
		const restored = VotingSession.restore(loaded.record, loaded.ballots)
		expect(restored.ballotOf('alice-0001')).toEqual({ sessionId: 'session-1', dots: { 'shape:a': 2 }, remaining: 1 })
		expect(JSON.stringify(db.prepare('SELECT * FROM vote_ballots').all())).not.toContain('alice')

		restored.close(store, 20)
		expect(db.prepare('SELECT COUNT(*) AS n FROM vote_ballots').get()).toEqual({ n: 0 })
		expect(store.loadClosedResults('board-1')).toEqual([
			{ id: 'session-1', title: 'V', anonymous: true, closedAt: 20, results: { items: [{ itemId: 'shape:a', count: 2, rank: 1, voters: null }], totalDots: 2, voterCount: 1 } },
		])
		expect(store.loadVotingSessions('board-2')).toEqual([])

		const state = { version: 1, anything: true }
		store.saveState('board-1', state)
		expect(store.loadState('board-1')).toEqual({ version: 1, anything: true })
		expect(store.loadState('board-2')).toBeNull()
	})
})
