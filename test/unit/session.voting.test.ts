/**
 * The voting engine against a naive model, with seeded random operations;
 * ranking; anonymity of the stored keys; write failures change nothing.
 */
import { describe, expect, it } from 'vitest'
import type { VoteResults, VotingConfig } from '../../shared/session/messages'
import { seededRandom } from './helpers/seededRandom'
import { rankResults, VotingSession, type BallotRow, type VotingPersistence, type VotingSessionRecord } from '../../server/session/votingEngine'

/** In-memory persistence with the same contract as SqliteSessionStore. */
class MemoryPersistence implements VotingPersistence {
	sessions = new Map<string, VotingSessionRecord>()
	ballots = new Map<string, BallotRow>()
	failNext = false
	async insertVotingSession(record: VotingSessionRecord) {
		this.sessions.set(record.id, { ...record })
	}
	async setBallotCount(sessionId: string, row: BallotRow) {
		if (this.failNext) {
			this.failNext = false
			throw new Error('SQLITE_FULL')
		}
		const key = `${sessionId}|${row.voterKey}|${row.itemId}`
		if (row.count <= 0) this.ballots.delete(key)
		else this.ballots.set(key, { ...row })
	}
	async closeVotingSession(sessionId: string, closedAt: number, results: VoteResults, eraseBallots: boolean) {
		const record = this.sessions.get(sessionId)!
		Object.assign(record, { status: 'closed', closedAt, results, voterSalt: null })
		if (eraseBallots) for (const key of [...this.ballots.keys()]) if (key.startsWith(`${sessionId}|`)) this.ballots.delete(key)
	}
	rows(sessionId: string) {
		return [...this.ballots.entries()].filter(([key]) => key.startsWith(`${sessionId}|`)).map(([, row]) => row)
	}
}

const config = (overrides: Partial<VotingConfig> = {}): VotingConfig => ({
	title: 'Vote',
	eligible: {},
	votesPerParticipant: 5,
	maxVotesPerItem: 2,
	anonymous: false,
	hideResults: true,
	...overrides,
})
const SALT = Buffer.alloc(32, 7)

describe('VotingSession', () => {
	for (const seed of [1, 2, 3, 20240501]) {
		it(`matches a naive model over 3000 random operations (seed ${seed}), and survives a restore`, async () => {
			const rng = seededRandom(seed)
			const random = rng.next
			const persistence = new MemoryPersistence()
			const cfg = config({ votesPerParticipant: 1 + Math.floor(random() * 6), maxVotesPerItem: 1 + Math.floor(random() * 3), anonymous: random() < 0.5 })
			let session = await VotingSession.start(persistence, 'board', 'session-1', cfg, 1000, SALT)
			const voters = Array.from({ length: 8 }, (_, i) => `voter-${i}`)
			const items = Array.from({ length: 6 }, (_, i) => `shape:i${i}`)
			const model = new Map<string, Map<string, number>>(voters.map((v) => [v, new Map()]))
			const eligible = (itemId: string) => itemId !== 'shape:i5'
			for (let step = 0; step < 3000; step++) {
				const voter = voters[Math.floor(random() * voters.length)]
				const itemId = items[Math.floor(random() * items.length)]
				const mine = model.get(voter)!
				const total = [...mine.values()].reduce((a, b) => a + b, 0)
				const onItem = mine.get(itemId) ?? 0
				if (random() < 0.65) {
					const outcome = await session.place(persistence, voter, voter.toUpperCase(), itemId, eligible)
					const expected =
						total >= cfg.votesPerParticipant ? 'budget-exhausted' : onItem >= cfg.maxVotesPerItem ? 'item-cap-reached' : !eligible(itemId) ? 'not-eligible' : 'ok'
					expect(outcome.ok ? 'ok' : outcome.code).toBe(expected)
					if (outcome.ok) mine.set(itemId, onItem + 1)
				} else {
					const outcome = await session.remove(persistence, voter, itemId)
					expect(outcome.ok ? 'ok' : outcome.code).toBe(onItem === 0 ? 'no-dot' : 'ok')
					if (outcome.ok) {
						if (onItem === 1) mine.delete(itemId)
						else mine.set(itemId, onItem - 1)
					}
				}
				if (step % 500 === 499) {
					// Restoring from what was persisted gives the same state.
					session = VotingSession.restore(persistence.sessions.get('session-1')!, persistence.rows('session-1'))
				}
				const ballot = session.ballotOf(voter)
				expect(ballot.dots).toEqual(Object.fromEntries([...mine].sort()))
				expect(ballot.remaining).toBe(cfg.votesPerParticipant - [...mine.values()].reduce((a, b) => a + b, 0))
			}
			for (const itemId of items) {
				expect(session.itemCount(itemId)).toBe(voters.reduce((sum, v) => sum + (model.get(v)!.get(itemId) ?? 0), 0))
			}
			const results = await session.close(persistence, 2000)
			expect(results.totalDots).toBe([...model.values()].reduce((sum, m) => sum + [...m.values()].reduce((a, b) => a + b, 0), 0))
			if (cfg.anonymous) {
				expect(persistence.rows('session-1')).toEqual([])
				expect(JSON.stringify(results)).not.toContain('voter-')
			} else {
				for (const item of results.items) expect(item.voters?.reduce((sum, v) => sum + v.count, 0)).toBe(item.count)
			}
		})
	}

	it('anonymous ballots are stored under keyed hashes, never the participant id', async () => {
		const persistence = new MemoryPersistence()
		const session = await VotingSession.start(persistence, 'board', 's', config({ anonymous: true }), 0, SALT)
		await session.place(persistence, 'alice-id', 'Alice', 'shape:a', () => true)
		const [row] = persistence.rows('s')
		expect(row.voterKey).not.toContain('alice')
		expect(row.voterName).toBeNull()
		expect(session.voterKey('alice-id')).toBe(row.voterKey)
		expect((await VotingSession.start(persistence, 'board', 's2', config({ anonymous: true }), 0, Buffer.alloc(32, 8))).voterKey('alice-id')).not.toBe(row.voterKey)
	})

	it('a failed write leaves the ballot unchanged', async () => {
		const persistence = new MemoryPersistence()
		const session = await VotingSession.start(persistence, 'board', 's', config(), 0, SALT)
		persistence.failNext = true
		const outcome = await session.place(persistence, 'v', 'V', 'shape:a', () => true)
		expect(outcome.ok ? 'ok' : outcome.code).toBe('internal')
		expect(session.ballotOf('v')).toEqual({ sessionId: 's', dots: {}, remaining: 5 })
		expect(session.publicView().progress).toEqual({ voters: 0, dotsCast: 0 })
	})

	it('public view hides per-item counts until close when hideResults, shows them live otherwise', async () => {
		const persistence = new MemoryPersistence()
		const hidden = await VotingSession.start(persistence, 'board', 'h', config(), 0, SALT)
		await hidden.place(persistence, 'v', 'V', 'shape:a', () => true)
		expect(hidden.publicView().results).toBeNull()
		expect(hidden.publicView().progress).toEqual({ voters: 1, dotsCast: 1 })
		const live = await VotingSession.start(persistence, 'board', 'l', config({ hideResults: false }), 0, SALT)
		await live.place(persistence, 'v', 'V', 'shape:a', () => true)
		expect(live.publicView().results?.items).toEqual([{ itemId: 'shape:a', count: 1, rank: 1, voters: [{ participantId: 'v', name: 'V', count: 1 }] }])
		await hidden.close(persistence, 5)
		expect(hidden.publicView()).toMatchObject({ status: 'closed', closedAt: 5, results: { totalDots: 1 } })
		expect(await hidden.place(persistence, 'v', 'V', 'shape:a', () => true)).toMatchObject({ ok: false, code: 'session-closed' })
	})
})

describe('rankResults', () => {
	it('ranks by count with competition ranking; ties by item id; empty items dropped', async () => {
		const totals = new Map([
			['shape:b', 3],
			['shape:a', 3],
			['shape:c', 1],
			['shape:d', 5],
			['shape:e', 0],
		])
		expect(rankResults(totals, null, 12, 4).items.map((i) => [i.itemId, i.rank])).toEqual([
			['shape:d', 1],
			['shape:a', 2],
			['shape:b', 2],
			['shape:c', 4],
		])
	})
})
