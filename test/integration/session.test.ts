/**
 * The facilitated-session channel against a real server process, with raw
 * and tampered clients: facilitator-only actions, budget and per-item cap,
 * hidden and anonymous ballots, 100 simultaneous voters, locks, timer,
 * summon and reveal.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import { CloseCode } from '../../shared/protocol'
import { FACILITATOR_REQUESTS, type SessionServerMessage } from '../../shared/session/messages'
import {
	connectClient,
	connectSessionClient,
	destroyClients,
	makeTempDir,
	mulberry32,
	queryStored,
	removeDir,
	startServerProcess,
	waitFor,
	waitForSynced,
	type ServerProcess,
	type SessionClient,
	type SessionRequestBody,
} from './helpers'

type Role = 'facilitator' | 'participant' | 'viewer'

function note(id: string, kind: string, x: number, parentId = 'page:page') {
	return recordToYMap({
		id,
		typeName: 'shape',
		type: 'note',
		parentId,
		index: 'a1',
		x,
		y: 0,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		props: { color: 'yellow', growY: 0, scale: 1 },
		meta: { kind },
	})
}

describe('facilitated sessions', () => {
	let dataDir: string
	let server: ServerProcess
	const providers: WebsocketProvider[] = []
	const clients: SessionClient[] = []

	const createBoard = async () => {
		const response = await fetch(`${server.url}/api/boards`, { method: 'POST' })
		const body = (await response.json()) as { id: string; links: Record<Role, string> }
		const tokens = Object.fromEntries(Object.entries(body.links).map(([role, link]) => [role, new URL(link).searchParams.get('token') ?? ''])) as Record<Role, string>
		return { id: body.id, tokens }
	}
	/** A board with notes n0..n9 (ideas), f0 (feature) and p0 (problem). */
	const boardWithNotes = async () => {
		const board = await createBoard()
		const writer = connectClient(server.wsUrl, board.id, { params: { token: board.tokens.facilitator } })
		providers.push(writer)
		await waitForSynced(writer)
		const records = getRecordsMap(writer.doc)
		writer.doc.transact(() => {
			for (let i = 0; i < 10; i++) records.set(`shape:n${i}`, note(`shape:n${i}`, 'idea', i * 300))
			records.set('shape:f0', note('shape:f0', 'feature', 5000))
			records.set('shape:p0', note('shape:p0', 'problem', 6000))
		})
		return { ...board, writer }
	}
	const join = async (boardId: string, token: string, participantId: string, name = participantId) => {
		const client = await connectSessionClient(server.wsUrl, boardId, { token })
		clients.push(client)
		const joined = await client.join(participantId, name)
		expect(joined.ok).toBe(true)
		return client
	}
	const expectOk = (response: SessionServerMessage) => {
		if (response.type !== 'response' || !response.ok) throw new Error(`expected ok, got ${JSON.stringify(response)}`)
		return response.result as Record<string, unknown>
	}
	const errorCode = (response: SessionServerMessage) => (response.type === 'response' && !response.ok ? response.error.code : 'ok')
	// The people list names everyone connected on purpose (docs/sessions.md §7); what must stay secret is who voted how.
	const frameText = (client: SessionClient) =>
		client.frames
			.map((frame) => Buffer.from(frame).toString('latin1'))
			.join('\n')
			.replace(/"people":\[[^\]]*\]/g, '"people":[]')

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServerProcess({ dataDir })
	})

	afterEach(() => {
		// Everything the server sent is valid for the shared schema the browser client validates with.
		for (const client of clients) expect(client.invalidMessages).toEqual([])
	})

	afterAll(async () => {
		for (const client of clients) client.close()
		destroyClients(...providers)
		await server?.stop()
		if (dataDir) await removeDir(dataDir)
	})

	it('refuses every facilitator action from a participant and a viewer; validates requests; sends nothing before join', async () => {
		const board = await boardWithNotes()
		const silent = await connectSessionClient(server.wsUrl, board.id, { token: board.tokens.participant })
		clients.push(silent)
		const participant = await join(board.id, board.tokens.participant, 'participant-1')
		const viewer = await join(board.id, board.tokens.viewer, 'viewer-1')
		const facilitator = await join(board.id, board.tokens.facilitator, 'facilitator-1')
		const samples: Record<string, SessionRequestBody> = {
			'voting.start': { type: 'voting.start', config: { title: 'T', votesPerParticipant: 3, maxVotesPerItem: 1, anonymous: true, hideResults: true } },
			'voting.close': { type: 'voting.close', sessionId: 'abcdefgh' },
			'voting.schedule': { type: 'voting.schedule', sessionId: 'abcdefgh', closesAt: null },
			'timer.set': { type: 'timer.set', durationMs: 60_000 },
			'timer.start': { type: 'timer.start' },
			'timer.pause': { type: 'timer.pause' },
			'timer.reset': { type: 'timer.reset' },
			'agenda.set': { type: 'agenda.set', phases: [{ id: 'p1', title: 'Brainstorm' }] },
			'agenda.goto': { type: 'agenda.goto', phaseId: null },
			summon: { type: 'summon', pageId: 'page:page', bounds: { x: 0, y: 0, w: 100, h: 100 } },
			'follow.set': { type: 'follow.set', on: true },
			'lock.board': { type: 'lock.board', locked: true },
			'lock.shapes': { type: 'lock.shapes', shapeIds: ['shape:n0'], locked: true },
			'private.set': { type: 'private.set', on: true },
			'private.reveal': { type: 'private.reveal', anonymous: true },
			'estimation.start': { type: 'estimation.start', config: { title: 'T', itemIds: ['shape:f0'], anonymous: false } },
			'estimation.reveal': { type: 'estimation.reveal', roundId: 'abcdefgh' },
			'estimation.accept': { type: 'estimation.accept', roundId: 'abcdefgh', itemId: 'shape:f0', rice: { reach: 1, impact: 1, confidence: 50, effort: 1 } },
			'contributor.rotate': { type: 'contributor.rotate' },
			'contributor.close': { type: 'contributor.close' },
			'contributor.get': { type: 'contributor.get' },
		}
		expect(Object.keys(samples).sort()).toEqual([...FACILITATOR_REQUESTS].sort())
		for (const body of Object.values(samples)) {
			expect(errorCode(await participant.request(body)), body.type).toBe('forbidden')
			expect(errorCode(await viewer.request(body)), body.type).toBe('forbidden')
		}
		const state = expectOk(await facilitator.request({ type: 'state.get' })) as { timer: { durationMs: number }; lock: { board: boolean } }
		expect(state.timer.durationMs).toBe(0)
		expect(state.lock.board).toBe(false)

		// Malformed and invalid requests are answered, not fatal.
		participant.sendRaw({ id: 77, type: 'vote.place', sessionId: 'x' })
		const invalid = await participant.waitForMessage((m): m is Extract<SessionServerMessage, { type: 'response' }> => m.type === 'response' && m.id === 77)
		expect(errorCode(invalid)).toBe('bad-request')
		expect(errorCode(await participant.join('someone-else', 'X'))).toBe('already-joined')
		expect(participant.closeCode()).toBeNull()
		// A connection that never joined received no session message at all.
		await new Promise((resolve) => setTimeout(resolve, 200))
		expect(silent.messages).toEqual([])
	})

	it('enforces the budget, the per-item cap and eligibility; hidden ballots reach no one else; anonymous leaves no voter id anywhere', async () => {
		const board = await boardWithNotes()
		const facilitator = await join(board.id, board.tokens.facilitator, 'facilitator-1', 'Fran')
		const alice = await join(board.id, board.tokens.participant, 'alice-secret-id', 'Alice')
		const bob = await join(board.id, board.tokens.participant, 'bob-secret-id', 'Bob')
		const viewer = await join(board.id, board.tokens.viewer, 'viewer-1', 'Vera')
		const started = expectOk(
			await facilitator.request({
				type: 'voting.start',
				config: { title: 'Ideas', eligible: { kinds: ['idea'] }, votesPerParticipant: 3, maxVotesPerItem: 2, anonymous: true, hideResults: true },
			}),
		)
		const sessionId = started.sessionId as string
		const place = (client: SessionClient, itemId: string) => client.request({ type: 'vote.place', sessionId, itemId })

		expect(expectOk(await place(alice, 'shape:n7'))).toEqual({ sessionId, dots: { 'shape:n7': 1 }, remaining: 2 })
		expect(expectOk(await place(alice, 'shape:n7')).remaining).toBe(1)
		expect(errorCode(await place(alice, 'shape:n7'))).toBe('item-cap-reached')
		expect(errorCode(await place(alice, 'shape:f0'))).toBe('not-eligible') // a feature, not an idea
		expect(errorCode(await place(alice, 'shape:nope'))).toBe('not-eligible')
		expect(expectOk(await place(alice, 'shape:n8')).remaining).toBe(0)
		expect(errorCode(await place(alice, 'shape:n9'))).toBe('budget-exhausted')
		expect(expectOk(await alice.request({ type: 'vote.remove', sessionId, itemId: 'shape:n8' })).remaining).toBe(1)
		expect(errorCode(await alice.request({ type: 'vote.remove', sessionId, itemId: 'shape:n8' }))).toBe('no-dot')
		expect(expectOk(await place(alice, 'shape:n9')).remaining).toBe(0)
		expect(errorCode(await viewer.request({ type: 'vote.place', sessionId, itemId: 'shape:n1' }))).toBe('forbidden')
		expectOk(await place(bob, 'shape:n7'))

		// Bob's own ballot is his; Alice's is not visible to him.
		expect(expectOk(await bob.request({ type: 'ballot.get', sessionId }))).toEqual({ sessionId, dots: { 'shape:n7': 1 }, remaining: 2 })
		await waitFor(() => facilitator.messages.some((m) => m.type === 'state' && m.state.votingSessions[0]?.progress.dotsCast === 4))
		for (const [who, client] of [['facilitator', facilitator], ['bob', bob], ['viewer', viewer]] as const) {
			const text = frameText(client)
			expect(text, who).not.toContain('alice-secret-id')
			expect(text, who).not.toContain('shape:n9') // only Alice voted for n9
			for (const m of client.messages) if (m.type === 'state') for (const s of m.state.votingSessions) expect(s.results, who).toBeNull()
		}
		for (const endpoint of ['session', 'votes']) {
			const text = await (await fetch(`${server.url}/api/boards/${board.id}/${endpoint}?token=${board.tokens.facilitator}`)).text()
			expect(text).not.toContain('shape:n9')
			expect(text).not.toContain('alice-secret-id')
		}

		const closed = expectOk(await facilitator.request({ type: 'voting.close', sessionId }))
		expect(closed.results).toEqual({
			items: [
				{ itemId: 'shape:n7', count: 3, rank: 1, voters: null },
				{ itemId: 'shape:n9', count: 1, rank: 2, voters: null },
			],
			totalDots: 4,
			voterCount: 2,
		})
		expect(errorCode(await place(bob, 'shape:n1'))).toBe('session-closed')
		await waitFor(() => bob.messages.some((m) => m.type === 'state' && m.state.votingSessions[0]?.status === 'closed'))
		// Anonymous: no voter id in any frame anyone received, in any endpoint, or left in the database.
		for (const client of [facilitator, alice, bob, viewer]) {
			const text = frameText(client)
			for (const id of ['bob-secret-id', 'Bob']) if (client !== bob) expect(text).not.toContain(id)
			if (client !== alice) expect(text).not.toContain('alice-secret-id')
		}
		const votes = (await (await fetch(`${server.url}/api/boards/${board.id}/votes?token=${board.tokens.viewer}`)).json()) as {
			sessions: { id: string; results: unknown }[]
		}
		expect(votes.sessions.map((s) => s.id)).toEqual([sessionId])
		expect(JSON.stringify(votes)).not.toMatch(/secret-id|Alice|Bob/)
		expect(await queryStored(dataDir, 'SELECT COUNT(*) AS n FROM vote_ballots WHERE session_id = ?', [sessionId])).toEqual([{ n: 0 }])
		expect(await queryStored(dataDir, 'SELECT voter_salt FROM voting_sessions WHERE id = ?', [sessionId])).toEqual([{ voter_salt: null }])
	})

	it('named sessions show voters after close; live results when not hidden; several sessions keep their results', async () => {
		const board = await boardWithNotes()
		const facilitator = await join(board.id, board.tokens.facilitator, 'facilitator-1', 'Fran')
		const alice = await join(board.id, board.tokens.participant, 'alice-0001', 'Alice')
		const config = { title: 'Live', votesPerParticipant: 2, maxVotesPerItem: 2, anonymous: false, hideResults: false }
		const first = expectOk(await facilitator.request({ type: 'voting.start', config })).sessionId as string
		expect(errorCode(await facilitator.request({ type: 'voting.start', config }))).toBe('limit') // one open session at a time
		expectOk(await alice.request({ type: 'vote.place', sessionId: first, itemId: 'shape:p0' }))
		const live = await facilitator.waitForMessage(
			(m): m is Extract<SessionServerMessage, { type: 'state' }> => m.type === 'state' && (m.state.votingSessions[0]?.results?.totalDots ?? 0) === 1,
		)
		expect(live.state.votingSessions[0].results?.items[0]).toMatchObject({ itemId: 'shape:p0', count: 1 })
		const closed = expectOk(await facilitator.request({ type: 'voting.close', sessionId: first }))
		expect(closed.results).toMatchObject({ items: [{ itemId: 'shape:p0', count: 1, rank: 1, voters: [{ participantId: 'alice-0001', name: 'Alice', count: 1 }] }] })
		const second = expectOk(await facilitator.request({ type: 'voting.start', config: { ...config, title: 'Second' } })).sessionId as string
		expectOk(await alice.request({ type: 'vote.place', sessionId: second, itemId: 'shape:n1' }))
		expectOk(await facilitator.request({ type: 'voting.close', sessionId: second }))
		const votes = (await (await fetch(`${server.url}/api/boards/${board.id}/votes?token=${board.tokens.participant}`)).json()) as { sessions: { title: string }[] }
		expect(votes.sessions.map((s) => s.title)).toEqual(['Live', 'Second'])
	})

	it('a rename (join again with another name) reaches named results and Follow me at once', async () => {
		const board = await boardWithNotes()
		const facilitator = await join(board.id, board.tokens.facilitator, 'facilitator-9', 'Anonymous')
		const pat = await join(board.id, board.tokens.participant, 'pat-0001', 'Anonymous')
		const config = { title: 'Named', votesPerParticipant: 3, maxVotesPerItem: 3, anonymous: false, hideResults: false }
		const sessionId = expectOk(await facilitator.request({ type: 'voting.start', config })).sessionId as string
		expectOk(await pat.request({ type: 'vote.place', sessionId, itemId: 'shape:n1' }))
		expectOk(await facilitator.request({ type: 'follow.set', on: true }))
		// The name dialog answers after the first join: both rejoin under their real names.
		expect((await pat.join('pat-0001', 'Pat')).type).toBe('response')
		expect((await facilitator.join('facilitator-9', 'Fran')).type).toBe('response')
		const renamed = await facilitator.waitForMessage(
			(m): m is Extract<SessionServerMessage, { type: 'state' }> =>
				m.type === 'state' && m.state.followMe?.name === 'Fran' && m.state.votingSessions[0]?.results?.items[0]?.voters?.[0]?.name === 'Pat',
		)
		expect(renamed.state.followMe).toEqual({ participantId: 'facilitator-9', name: 'Fran' })
		const closed = expectOk(await facilitator.request({ type: 'voting.close', sessionId }))
		expect(closed.results).toMatchObject({ items: [{ itemId: 'shape:n1', count: 1, voters: [{ participantId: 'pat-0001', name: 'Pat', count: 1 }] }] })
	})

	it('100 participants casting their whole budget at the same moment: every vote counted exactly', async () => {
		const board = await boardWithNotes()
		const facilitator = await join(board.id, board.tokens.facilitator, 'facilitator-1')
		const votesEach = 5
		const sessionId = expectOk(
			await facilitator.request({
				type: 'voting.start',
				config: { title: 'Rush', votesPerParticipant: votesEach, maxVotesPerItem: votesEach, anonymous: true, hideResults: true },
			}),
		).sessionId as string
		const voters = await Promise.all(
			Array.from({ length: 100 }, (_, i) => join(board.id, board.tokens.participant, `voter-${String(i).padStart(3, '0')}`)),
		)
		const random = mulberry32(4242)
		const expected = new Map<string, number>()
		const plans = voters.map(() =>
			Array.from({ length: votesEach }, () => {
				const itemId = `shape:n${Math.floor(random() * 10)}`
				expected.set(itemId, (expected.get(itemId) ?? 0) + 1)
				return itemId
			}),
		)
		// Every request of every voter is on the wire before any answer is awaited.
		const replies = await Promise.all(
			voters.flatMap((voter, i) => plans[i].map((itemId) => voter.request({ type: 'vote.place', sessionId, itemId }))),
		)
		expect(replies.filter((r) => !(r.type === 'response' && r.ok))).toEqual([])
		// One more from each is over budget.
		const extra = await Promise.all(voters.map((voter) => voter.request({ type: 'vote.place', sessionId, itemId: 'shape:n0' })))
		expect(new Set(extra.map(errorCode))).toEqual(new Set(['budget-exhausted']))

		const results = expectOk(await facilitator.request({ type: 'voting.close', sessionId })).results as {
			items: { itemId: string; count: number }[]
			totalDots: number
			voterCount: number
		}
		expect(results.totalDots).toBe(500)
		expect(results.voterCount).toBe(100)
		expect(new Map(results.items.map((item) => [item.itemId, item.count]))).toEqual(expected)
		for (const voter of voters) voter.close()
	})

	it('locks: participant updates touching a locked shape (or any, when the board is locked) are refused with 4423', async () => {
		const board = await boardWithNotes()
		const facilitator = await join(board.id, board.tokens.facilitator, 'facilitator-1')
		const observer = connectClient(server.wsUrl, board.id, { params: { token: board.tokens.viewer } })
		providers.push(observer)
		await waitForSynced(observer)
		const closeCodeOf = (provider: WebsocketProvider) => {
			let code: number | null = null
			provider.on('connection-close', (event) => (code = event?.code ?? code))
			return () => code
		}
		const participantProvider = async () => {
			const provider = connectClient(server.wsUrl, board.id, { params: { token: board.tokens.participant } })
			providers.push(provider)
			await waitForSynced(provider)
			return { provider, closeCode: closeCodeOf(provider), records: getRecordsMap(provider.doc) }
		}

		expectOk(await facilitator.request({ type: 'lock.shapes', shapeIds: ['shape:n0'], locked: true }))
		const honest = await participantProvider()
		honest.records.get('shape:n1')?.set('x', 111) // not locked: accepted
		await waitFor(() => getRecordsMap(observer.doc).get('shape:n1')?.get('x') === 111)
		const props = honest.records.get('shape:n0')?.get('props') as Y.Map<unknown>
		props.set('color', 'red') // nested field of a locked shape
		await waitFor(() => honest.closeCode() === CloseCode.locked, { message: 'closed with 4423' })
		const mover = await participantProvider()
		mover.records.delete('shape:n0') // deleting a locked shape
		await waitFor(() => mover.closeCode() === CloseCode.locked)
		// The facilitator may still edit it.
		getRecordsMap(board.writer.doc).get('shape:n0')?.set('x', 42)
		await waitFor(() => getRecordsMap(observer.doc).get('shape:n0')?.get('x') === 42)
		expect((getRecordsMap(observer.doc).get('shape:n0')?.get('props') as Y.Map<unknown>).get('color')).toBe('yellow')

		expectOk(await facilitator.request({ type: 'lock.board', locked: true }))
		const late = await participantProvider() // joining during a lock works (its sync step 2 adds nothing)
		await new Promise((resolve) => setTimeout(resolve, 200))
		expect(late.closeCode()).toBeNull()
		late.records.set('shape:new', note('shape:new', 'idea', 9000))
		await waitFor(() => late.closeCode() === CloseCode.locked)
		expectOk(await facilitator.request({ type: 'lock.board', locked: false }))
		const after = await participantProvider()
		after.records.get('shape:n2')?.set('x', 222)
		await waitFor(() => getRecordsMap(observer.doc).get('shape:n2')?.get('x') === 222)
		expect(getRecordsMap(observer.doc).has('shape:new')).toBe(false)
		expect(getRecordsMap(observer.doc).has('shape:n0')).toBe(true)
	})

	it('timer, agenda focus, summon and reveal events carry serverNow and reach participants', async () => {
		const board = await boardWithNotes()
		const facilitator = await join(board.id, board.tokens.facilitator, 'facilitator-1', 'Fran')
		const participant = await join(board.id, board.tokens.participant, 'participant-1')
		expectOk(await facilitator.request({ type: 'timer.set', durationMs: 300 }))
		const before = Date.now()
		expectOk(await facilitator.request({ type: 'timer.start' }))
		const running = await participant.waitForMessage(
			(m): m is Extract<SessionServerMessage, { type: 'state' }> => m.type === 'state' && m.state.timer.running,
		)
		expect(running.state.timer.endsAt! - running.serverNow).toBeLessThanOrEqual(300)
		expect(running.state.timer.endsAt!).toBeGreaterThanOrEqual(before + 300 - 50)
		await participant.waitForMessage(
			(m): m is Extract<SessionServerMessage, { type: 'state' }> => m.type === 'state' && !m.state.timer.running && m.state.timer.remainingMs === 0,
		)

		expectOk(await facilitator.request({ type: 'agenda.set', phases: [{ id: 'vote', title: 'Vote', frameId: 'shape:frame1' }] }))
		expectOk(await facilitator.request({ type: 'agenda.goto', phaseId: 'vote', focus: true }))
		const focus = await participant.waitForMessage((m): m is Extract<SessionServerMessage, { type: 'focus' }> => m.type === 'focus')
		expect(focus.frameId).toBe('shape:frame1')
		expectOk(await facilitator.request({ type: 'summon', pageId: 'page:page', bounds: { x: 10, y: 20, w: 800, h: 600 } }))
		const summon = await participant.waitForMessage((m): m is Extract<SessionServerMessage, { type: 'summon' }> => m.type === 'summon')
		expect(summon).toMatchObject({ pageId: 'page:page', bounds: { x: 10, y: 20, w: 800, h: 600 }, by: 'Fran' })
		expectOk(await facilitator.request({ type: 'private.set', on: true }))
		await participant.waitForMessage((m): m is Extract<SessionServerMessage, { type: 'state' }> => m.type === 'state' && m.state.privateMode.on)
		expectOk(await facilitator.request({ type: 'private.reveal', anonymous: true }))
		const reveal = await participant.waitForMessage((m): m is Extract<SessionServerMessage, { type: 'reveal' }> => m.type === 'reveal')
		expect(reveal.anonymous).toBe(true)
		// The reveal stays in the state, so a client that was offline at that moment still publishes.
		const state = await participant.waitForMessage(
			(m): m is Extract<SessionServerMessage, { type: 'state' }> => m.type === 'state' && m.state.privateMode.lastReveal !== null,
		)
		expect(state.state.privateMode).toMatchObject({ on: false, lastReveal: { revealId: reveal.revealId, anonymous: true } })
		for (const m of participant.messages) expect(typeof m.serverNow).toBe('number')
	})
})
