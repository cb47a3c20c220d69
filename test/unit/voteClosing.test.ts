/**
 * Remote voting over days (server/session/voteClosing.ts): a BoardSession
 * over an in-memory Y.Doc and the memory session store, on a fake clock —
 * the session closes by itself at its closing time, a restart after it
 * closes at load, turnout counts who joined, no vote after the close, extend
 * and "no reopen". No sleeping: the clock is advanced by hand.
 */
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { BoardSession } from '../../server/session/boardSession'
import { closingTimeProblem, dueSessionIds, MAX_ARM_MS, nextClosingAt, VoteClosingTimer, type TimerPort } from '../../server/session/voteClosing'
import { createLogger } from '../../server/logger'
import { MemorySessionStore } from '../../server/storage/memoryAppStores'
import type { ClientConnection } from '../../server/sync/clientConnection'
import type { Room } from '../../server/sync/room'
import type { BoardId } from '../../shared/boardId'
import { exportVotingSessions, ExportVotingSessionSchema } from '../../shared/export'
import { MessageType } from '../../shared/protocol'
import { closingTimeOf, formatTimeLeft } from '../../client/session/voteClosingFormat'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import { encodeSessionFrame, parseSessionServerMessage, readSessionPayload } from '../../shared/session/codec'
import type { SessionRequestInput, SessionServerMessage, SessionState, VotingSessionPublic } from '../../shared/session/messages'
import type { BoardRole } from '../../shared/session/roles'

const HOUR = 60 * 60 * 1000

/** A clock whose timers fire only when `advance` passes their time. */
class FakeClock implements TimerPort {
	time = Date.UTC(2026, 11, 3, 9, 0, 0)
	private timers: { at: number; callback: () => void; id: number }[] = []
	private nextId = 1
	now = () => this.time
	setTimeout(callback: () => void, ms: number): unknown {
		const id = this.nextId++
		this.timers.push({ at: this.time + ms, callback, id })
		return id
	}
	clearTimeout(handle: unknown): void {
		this.timers = this.timers.filter((timer) => timer.id !== handle)
	}
	get pending(): number {
		return this.timers.length
	}
	advance(ms: number): void {
		const end = this.time + ms
		for (;;) {
			const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0]
			if (!due) break
			this.timers = this.timers.filter((timer) => timer !== due)
			this.time = Math.max(this.time, due.at)
			due.callback()
		}
		this.time = end
	}
}

interface FakeConnection {
	conn: ClientConnection
	messages: SessionServerMessage[]
	request(body: Record<string, unknown>): Promise<Extract<SessionServerMessage, { type: 'response' }>>
}

const BOARD = 'board-remote-voting' as BoardId
const sessions: BoardSession[] = []

function makeDoc(): Y.Doc {
	const doc = new Y.Doc()
	for (const id of ['shape:a', 'shape:b'])
		getRecordsMap(doc).set(id, recordToYMap({ id, typeName: 'shape', type: 'note', parentId: 'page:page', x: id === 'shape:a' ? 0 : 400, y: 0, props: {}, meta: {} }))
	return doc
}

async function openBoard(store: MemorySessionStore, clock: FakeClock, doc: Y.Doc): Promise<BoardSession> {
	let n = 0
	const session = new BoardSession({ boardId: BOARD, doc } as unknown as Room, {
		store,
		isClaimed: async () => true,
		logger: createLogger('silent'),
		now: clock.now,
		newId: () => `session-${++n}-${clock.time}`,
		newSalt: () => Buffer.alloc(32, 3),
		timers: clock,
	})
	await session.load()
	sessions.push(session)
	return session
}

function connect(session: BoardSession, role: BoardRole): FakeConnection {
	const messages: SessionServerMessage[] = []
	const waiting = new Map<number, (m: Extract<SessionServerMessage, { type: 'response' }>) => void>()
	let nextId = 1
	const conn = {
		role,
		isOpen: true,
		send(frame: Uint8Array) {
			const decoder = decoding.createDecoder(frame)
			decoding.readVarUint(decoder)
			const message = parseSessionServerMessage(readSessionPayload(decoder))
			if (!message) throw new Error('the server sent a message the shared schema rejects')
			messages.push(message)
			if (message.type === 'response' && message.id !== null) waiting.get(message.id)?.(message)
		},
	} as unknown as ClientConnection
	return {
		conn,
		messages,
		request(body) {
			const id = nextId++
			const frame = encodeSessionFrame({ ...body, id } as SessionRequestInput)
			const decoder = decoding.createDecoder(frame)
			decoding.readVarUint(decoder)
			return new Promise((resolve) => {
				waiting.set(id, resolve)
				session.receive(conn, MessageType.session, decoder)
			})
		},
	}
}

/** A loaded board with Fran, its facilitator, joined. */
async function boardWithFacilitator(clock: FakeClock, store = new MemorySessionStore(), doc = makeDoc()) {
	const board = await openBoard(store, clock, doc)
	const fran = connect(board, 'facilitator')
	await fran.request({ type: 'join', participantId: 'facilitator-1', name: 'Fran' })
	return { board, fran, store, doc }
}

async function joined(board: BoardSession, role: BoardRole, participantId: string): Promise<FakeConnection> {
	const client = connect(board, role)
	await client.request({ type: 'join', participantId, name: participantId })
	return client
}

const result = <T>(m: Extract<SessionServerMessage, { type: 'response' }>): T => {
	if (!m.ok) throw new Error(`${m.error.code}: ${m.error.message}`)
	return m.result as T
}
const voteOf = async (client: FakeConnection, id: string): Promise<VotingSessionPublic> =>
	result<SessionState>(await client.request({ type: 'state.get' })).votingSessions.find((s) => s.id === id)!
const config = { title: 'Which next?', votesPerParticipant: 3, maxVotesPerItem: 2, anonymous: true, hideResults: true }

afterEach(() => {
	for (const session of sessions.splice(0)) session.dispose()
})

describe('closing-time rules', () => {
	it('refuses past and too-far closing times; finds due and next sessions', () => {
		expect(closingTimeProblem(1000, 1000)).toMatch(/past/)
		expect(closingTimeProblem(1000 + 32 * 24 * HOUR, 1000)).toMatch(/31 days/)
		expect(closingTimeProblem(1000 + HOUR, 1000)).toBeNull()
		const entry = (closesAt: number | null) => ({ closesAt, timeZone: null, joinedKeys: [], joinedCount: 0, closedBy: null, log: [] })
		const entries = { a: entry(50), b: entry(10), c: entry(null), d: entry(5) }
		expect(dueSessionIds(entries, ['a', 'b', 'c'], 60)).toEqual(['b', 'a'])
		expect(nextClosingAt(entries, ['a', 'b', 'c'])).toBe(10)
		expect(nextClosingAt(entries, ['c'])).toBeNull()
	})

	it('reaches a closing time days ahead in steps of at most an hour', () => {
		const clock = new FakeClock()
		let fired = 0
		const timer = new VoteClosingTimer(clock, clock.now, () => fired++)
		timer.arm(clock.time + 3 * 24 * HOUR)
		clock.advance(3 * 24 * HOUR - 1)
		expect(fired).toBe(0)
		expect(clock.pending).toBe(1)
		clock.advance(1)
		expect(fired).toBe(1)
		timer.arm(clock.time + 2 * MAX_ARM_MS)
		timer.disarm()
		expect(clock.pending).toBe(0)
	})
})

describe('a vote with a closing time (BoardSession, fake clock)', () => {
	it('closes by itself at its closing time; votes after it are refused; turnout counts who joined', async () => {
		const clock = new FakeClock()
		const { board, fran } = await boardWithFacilitator(clock)
		const early = await joined(board, 'participant', 'early-0001')
		const closesAt = clock.time + 24 * HOUR
		const { sessionId } = result<{ sessionId: string }>(
			await fran.request({ type: 'voting.start', config, closesAt, timeZone: 'Europe/Berlin' }),
		)
		let vote = await voteOf(fran, sessionId)
		expect(vote).toMatchObject({ status: 'open', closesAt, closeTimeZone: 'Europe/Berlin', closedBy: null, turnout: { voters: 0, joined: 1 }, results: null })

		// A day later minus an hour, someone else opens the board and votes.
		clock.advance(23 * HOUR)
		const late = await joined(board, 'participant', 'late-00001')
		expect(result<{ remaining: number }>(await late.request({ type: 'vote.place', sessionId, itemId: 'shape:a' })).remaining).toBe(2)
		vote = await voteOf(fran, sessionId)
		expect(vote.turnout).toEqual({ voters: 1, joined: 2 })
		// Hidden counts stay hidden while open, turnout or not.
		expect(vote.results).toBeNull()
		// A viewer never counts.
		await joined(board, 'viewer', 'viewer-0001')
		expect((await voteOf(fran, sessionId)).turnout).toEqual({ voters: 1, joined: 2 })

		clock.advance(HOUR)
		vote = await voteOf(fran, sessionId)
		expect(vote).toMatchObject({ status: 'closed', closedAt: closesAt, closedBy: 'schedule', turnout: { voters: 1, joined: 2 } })
		expect(vote.results?.items).toEqual([{ itemId: 'shape:a', count: 1, rank: 1, voters: null }])
		const refused = await early.request({ type: 'vote.place', sessionId, itemId: 'shape:b' })
		expect(refused.ok === false && refused.error.code).toBe('session-closed')
		// No reopening: moving the closing time of a closed vote is refused.
		const reopen = await fran.request({ type: 'voting.schedule', sessionId, closesAt: clock.time + HOUR })
		expect(reopen.ok === false && reopen.error.code).toBe('session-closed')
		expect(clock.pending).toBe(0)
	})

	it('refuses a vote exactly at the closing time even before the timer ran', async () => {
		const clock = new FakeClock()
		const { board, fran } = await boardWithFacilitator(clock)
		const voter = await joined(board, 'participant', 'voter-0001')
		const closesAt = clock.time + 10_000
		const { sessionId } = result<{ sessionId: string }>(await fran.request({ type: 'voting.start', config, closesAt }))
		clock.time = closesAt // the clock moves; the timer has not fired
		const refused = await voter.request({ type: 'vote.place', sessionId, itemId: 'shape:a' })
		expect(refused.ok === false && refused.error.code).toBe('session-closed')
		expect(await voteOf(fran, sessionId)).toMatchObject({ status: 'closed', closedAt: closesAt, closedBy: 'schedule' })
	})

	it('after a restart past the closing time, the session is closed at load with its ballots counted', async () => {
		const clock = new FakeClock()
		const first = await boardWithFacilitator(clock)
		const { fran, store, doc } = first
		let board = first.board
		const voter = await joined(board, 'participant', 'voter-0001')
		const closesAt = clock.time + 2 * HOUR
		const { sessionId } = result<{ sessionId: string }>(await fran.request({ type: 'voting.start', config: { ...config, anonymous: false }, closesAt }))
		await voter.request({ type: 'vote.place', sessionId, itemId: 'shape:b' })
		board.dispose() // the server goes down; nothing fires while it is down
		expect(clock.pending).toBe(0)

		clock.advance(5 * HOUR)
		board = await openBoard(store, clock, doc)
		const again = await joined(board, 'participant', 'voter-0001')
		const vote = await voteOf(again, sessionId)
		expect(vote).toMatchObject({ status: 'closed', closedAt: closesAt, closedBy: 'schedule', turnout: { voters: 1, joined: 1 } })
		expect(vote.results?.items.map((i) => [i.itemId, i.count])).toEqual([['shape:b', 1]])
		expect(clock.pending).toBe(0)
	})

	it('a restart before the closing time re-arms the timer from the stored state', async () => {
		const clock = new FakeClock()
		const first = await boardWithFacilitator(clock)
		const { fran, store, doc } = first
		let board = first.board
		const closesAt = clock.time + 3 * 24 * HOUR
		const { sessionId } = result<{ sessionId: string }>(await fran.request({ type: 'voting.start', config, closesAt }))
		board.dispose()
		clock.advance(HOUR)
		board = await openBoard(store, clock, doc)
		expect(clock.pending).toBe(1)
		const watcher = await joined(board, 'participant', 'watcher-001')
		clock.advance(3 * 24 * HOUR)
		expect(await voteOf(watcher, sessionId)).toMatchObject({ status: 'closed', closedAt: closesAt, closedBy: 'schedule' })
	})

	it('the facilitator extends, removes the closing time, or closes early; participants may not', async () => {
		const clock = new FakeClock()
		const { board, fran } = await boardWithFacilitator(clock)
		const pat = await joined(board, 'participant', 'pat-000001')
		const { sessionId } = result<{ sessionId: string }>(await fran.request({ type: 'voting.start', config, closesAt: clock.time + HOUR }))
		const forbidden = await pat.request({ type: 'voting.schedule', sessionId, closesAt: clock.time + 9 * HOUR })
		expect(forbidden.ok === false && forbidden.error.code).toBe('forbidden')
		const past = await fran.request({ type: 'voting.schedule', sessionId, closesAt: clock.time - 1 })
		expect(past.ok === false && past.error.code).toBe('bad-request')
		const badZone = await fran.request({ type: 'voting.schedule', sessionId, closesAt: clock.time + HOUR, timeZone: 'Mars/Olympus' })
		expect(badZone.ok === false && badZone.error.code).toBe('bad-request')

		result(await fran.request({ type: 'voting.schedule', sessionId, closesAt: clock.time + 5 * HOUR }))
		clock.advance(2 * HOUR) // the old closing time passes: still open
		expect((await voteOf(fran, sessionId)).status).toBe('open')
		result(await fran.request({ type: 'voting.schedule', sessionId, closesAt: null }))
		clock.advance(10 * HOUR)
		expect(await voteOf(fran, sessionId)).toMatchObject({ status: 'open', closesAt: null })
		expect(clock.pending).toBe(0)

		result(await fran.request({ type: 'voting.schedule', sessionId, closesAt: clock.time + HOUR }))
		result(await fran.request({ type: 'voting.close', sessionId }))
		expect(await voteOf(fran, sessionId)).toMatchObject({ status: 'closed', closedAt: clock.time, closedBy: 'facilitator', turnout: { voters: 0, joined: 1 } })
		expect(clock.pending).toBe(0)
	})

	it('an anonymous vote keeps no ids of who joined after close, only the count', async () => {
		const clock = new FakeClock()
		const { board, fran, store } = await boardWithFacilitator(clock)
		const { sessionId } = result<{ sessionId: string }>(await fran.request({ type: 'voting.start', config, closesAt: clock.time + HOUR }))
		for (const id of ['anon-00001', 'anon-00002']) {
			await joined(board, 'participant', id)
		}
		const stored = JSON.stringify(await store.loadState(BOARD))
		expect(stored).not.toContain('anon-0000') // HMAC keys while open, never the ids
		clock.advance(HOUR)
		await voteOf(fran, sessionId)
		const after = (await store.loadState(BOARD)) as { voteClosing: Record<string, { joinedKeys: string[]; joinedCount: number }> }
		expect(after.voteClosing[sessionId]).toMatchObject({ joinedKeys: [], joinedCount: 2 })
	})
})

describe('export of a vote closed over days (optional fields of votingSessions[])', () => {
	const base = { id: 'vote-0001', title: 'Over days', status: 'closed' as const, anonymous: true, closedAt: Date.UTC(2026, 11, 4, 16, 0), results: { items: [{ itemId: 'shape:a', count: 2, rank: 1 }], totalDots: 2, voterCount: 2 } }

	it('carries closesAt, closedBy and turnout when known, and validates against the export schema', () => {
		const { sessions } = exportVotingSessions([{ ...base, closesAt: base.closedAt, closedBy: 'schedule', turnout: { voters: 2, joined: 5 } }])
		expect(sessions[0]).toMatchObject({ closesAt: '2026-12-04T16:00:00.000Z', closedBy: 'schedule', turnout: { voters: 2, joined: 5 } })
		expect(ExportVotingSessionSchema.parse(sessions[0])).toEqual(sessions[0])
	})

	it('leaves them out for sessions without them or with malformed values (older files stay valid)', () => {
		const { sessions } = exportVotingSessions([base, { ...base, id: 'vote-0002', closesAt: Number.NaN, closedBy: 'robot' as 'schedule', turnout: { voters: -1, joined: 2 } }])
		for (const session of sessions) {
			expect(session).not.toHaveProperty('closesAt')
			expect(session).not.toHaveProperty('closedBy')
			expect(session).not.toHaveProperty('turnout')
			expect(ExportVotingSessionSchema.safeParse(session).success).toBe(true)
		}
	})
})

describe('the facilitator\'s closing-time choice (client/session/voteClosingFormat.ts)', () => {
	const now = Date.UTC(2026, 11, 3, 9, 0)
	it('turns "after N units" and "at a date and time" into a server time, and refuses bad input', () => {
		expect(closingTimeOf({ mode: 'manual' }, now)).toEqual({ closesAt: null, error: null })
		expect(closingTimeOf({ mode: 'in', amount: 2, unit: 'days' }, now).closesAt).toBe(now + 2 * 24 * HOUR)
		expect(closingTimeOf({ mode: 'in', amount: 0.15, unit: 'minutes' }, now).closesAt).toBe(now + 9000)
		expect(closingTimeOf({ mode: 'in', amount: 0, unit: 'hours' }, now).error).toMatch(/how long/)
		expect(closingTimeOf({ mode: 'at', local: '' }, now).error).toMatch(/date and time/)
		expect(closingTimeOf({ mode: 'at', local: '2020-01-01T10:00' }, now).error).toMatch(/passed/)
		expect(closingTimeOf({ mode: 'at', local: '2027-01-01T10:00' }, now).closesAt).toBe(new Date('2027-01-01T10:00').getTime())
	})
	it('says how long is left', () => {
		expect([0, 12_000, 4 * 60_000, 2 * HOUR + 5 * 60_000, 50 * HOUR].map(formatTimeLeft)).toEqual(['now', 'in 12 s', 'in 4 min', 'in 2 h 5 min', 'in 2 d 2 h'])
	})
})
