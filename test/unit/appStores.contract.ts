/**
 * The contracts of the role-token and session ports, run for every adapter
 * (storage.sqlite/memory/postgres.test.ts), like storage.contract.ts for
 * board documents:
 *
 *   runAppStoresContract('SQLite', async () => ({ tokens, sessions, second, cleanup }))
 */
import { afterEach, describe, expect, it } from 'vitest'
import { BoardAlreadyClaimedError, type BoardTokenStore } from '../../server/auth'
import type { SessionStore } from '../../server/session/sessionStore'
import { VotingSession } from '../../server/session/votingEngine'
import type { ContractOptions } from './storage.contract'

export interface AppStoresUnderTest {
	tokens: BoardTokenStore
	sessions: SessionStore
	/** Stores on a second, independent connection to the same data (another process). */
	second: { tokens: BoardTokenStore; sessions: SessionStore }
	cleanup(): Promise<void>
}

const votingConfig = (anonymous: boolean) => ({ title: 'V', eligible: {}, votesPerParticipant: 3, maxVotesPerItem: 3, anonymous, hideResults: true })

export function runAppStoresContract(name: string, makeStores: () => Promise<AppStoresUnderTest>, options: ContractOptions = {}): void {
	const describeOrSkip = options.skipNote ? describe.skip : describe
	describeOrSkip(`BoardTokenStore and SessionStore contract: ${name}${options.skipNote ? ` ${options.skipNote}` : ''}`, () => {
		let subject: AppStoresUnderTest | null = null
		const open = async () => (subject = await makeStores())
		afterEach(async () => {
			await subject?.cleanup()
			subject = null
		})

		it('claims once, looks tokens up, rotates one role at once', async () => {
			const { tokens } = await open()
			expect(await tokens.isClaimed('board-1')).toBe(false)
			expect(await tokens.isCredentialCurrent('board-1', 'open')).toBe(true)
			const issued = await tokens.claim('board-1')
			expect(await tokens.isClaimed('board-1')).toBe(true)
			expect(await tokens.isCredentialCurrent('board-1', 'open')).toBe(false)
			await expect(tokens.claim('board-1')).rejects.toThrow(BoardAlreadyClaimedError)
			expect(await tokens.lookup(issued.viewer)).toMatchObject({ boardId: 'board-1', role: 'viewer' })
			expect(await tokens.lookup('x'.repeat(43))).toBeNull()

			const before = (await tokens.lookup(issued.participant))!
			expect(await tokens.isCredentialCurrent('board-1', before.credentialId)).toBe(true)
			const { token, revokedCredentialId } = await tokens.rotate('board-1', 'participant')
			expect(revokedCredentialId).toBe(before.credentialId)
			expect(await tokens.isCredentialCurrent('board-1', before.credentialId)).toBe(false)
			expect(await tokens.lookup(issued.participant)).toBeNull()
			expect(await tokens.lookup(token)).toMatchObject({ role: 'participant' })
			expect(await tokens.lookup(issued.facilitator)).toMatchObject({ role: 'facilitator' })
			expect((await tokens.lookup(token))!.credentialId).not.toBe(before.credentialId)
			expect(await tokens.isCredentialCurrent('board-2', before.credentialId)).toBe(false)
		})

		it('two processes claiming one board at once: exactly one wins, and the winner’s tokens work everywhere', async () => {
			const { tokens, second } = await open()
			const results = await Promise.allSettled([tokens.claim('board-race'), second.tokens.claim('board-race')])
			const won = results.filter((result) => result.status === 'fulfilled')
			expect(won).toHaveLength(1)
			const lost = results.find((result) => result.status === 'rejected')
			expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(BoardAlreadyClaimedError)
			const issued = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<BoardTokenStore['claim']>>>).value
			expect(await second.tokens.lookup(issued.facilitator)).toMatchObject({ boardId: 'board-race', role: 'facilitator' })
			expect(await tokens.lookup(issued.facilitator)).toMatchObject({ boardId: 'board-race', role: 'facilitator' })
		})

		it('persists sessions, ballots and state; closing an anonymous session erases ballots and salt', async () => {
			const { sessions: store } = await open()
			const config = votingConfig(true)
			const session = await VotingSession.start(store, 'board-1', 'session-1', config, 10, Buffer.alloc(32, 1))
			await session.place(store, 'alice-0001', 'Alice', 'shape:a', () => true)
			await session.place(store, 'alice-0001', 'Alice', 'shape:a', () => true)
			const [loaded] = await store.loadVotingSessions('board-1')
			expect(loaded.record).toMatchObject({ id: 'session-1', boardId: 'board-1', status: 'open', config, createdAt: 10, closedAt: null })
			expect(loaded.record.voterSalt).toEqual(Buffer.alloc(32, 1))
			expect(loaded.ballots.map((row) => row.voterKey).join()).not.toContain('alice')
			const restored = VotingSession.restore(loaded.record, loaded.ballots)
			expect(restored.ballotOf('alice-0001')).toEqual({ sessionId: 'session-1', dots: { 'shape:a': 2 }, remaining: 1 })

			await restored.close(store, 20)
			const [closed] = await store.loadVotingSessions('board-1')
			expect(closed.record).toMatchObject({ status: 'closed', closedAt: 20, voterSalt: null })
			expect(closed.ballots).toEqual([])
			expect(await store.loadClosedResults('board-1')).toEqual([
				{ id: 'session-1', title: 'V', anonymous: true, closedAt: 20, results: { items: [{ itemId: 'shape:a', count: 2, rank: 1, voters: null }], totalDots: 2, voterCount: 1 } },
			])
			expect(await store.loadVotingSessions('board-2')).toEqual([])

			const state = { version: 1, anything: true }
			await store.saveState('board-1', state)
			expect(await store.loadState('board-1')).toEqual({ version: 1, anything: true })
			expect(await store.loadState('board-2')).toBeNull()
		})

		it('a ballot count of 0 deletes the row; named sessions keep names and ballots after close', async () => {
			const { sessions: store } = await open()
			const session = await VotingSession.start(store, 'board-1', 'named', votingConfig(false), 5, Buffer.alloc(32, 2))
			await session.place(store, 'bob-0001', 'Bob', 'shape:a', () => true)
			await session.place(store, 'bob-0001', 'Bob', 'shape:b', () => true)
			await session.remove(store, 'bob-0001', 'shape:b')
			const [loaded] = await store.loadVotingSessions('board-1')
			expect(loaded.ballots).toEqual([{ voterKey: 'bob-0001', itemId: 'shape:a', count: 1, voterName: 'Bob' }])
			expect(loaded.record.voterSalt).toBeNull()
			const results = await session.close(store, 6)
			expect(results.items[0].voters).toEqual([{ participantId: 'bob-0001', name: 'Bob', count: 1 }])
		})

		it('many ballot writes in flight at once all land (one store, one board)', async () => {
			const { sessions: store, second } = await open()
			await VotingSession.start(store, 'board-1', 'busy', votingConfig(false), 1, Buffer.alloc(32, 3))
			await Promise.all(
				Array.from({ length: 50 }, (_, i) =>
					(i % 2 ? store : second.sessions).setBallotCount('busy', { voterKey: `voter-${i}`, itemId: 'shape:a', count: 1, voterName: `V${i}` }),
				),
			)
			const [loaded] = await second.sessions.loadVotingSessions('board-1')
			expect(loaded.ballots).toHaveLength(50)
		})
	})
}
