/**
 * Remote voting over days on the real server (a child process, SQLite or
 * PostgreSQL per TEST_STORAGE): a vote closes by itself at its closing time,
 * a restart after the closing time closes it at load, turnout counts who
 * joined, and the server refuses a vote after the close. Closing times are a
 * second or two ahead (the real clock); the days-long cases run on a fake
 * clock in test/unit/voteClosing.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionServerMessage, VotingSessionPublic } from '../../shared/session/messages'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import {
	connectClient,
	connectSessionClient,
	destroyClients,
	makeTempDir,
	removeDir,
	startServerProcess,
	waitForSynced,
	type ServerProcess,
	type SessionClient,
} from './helpers'

type Response = Extract<SessionServerMessage, { type: 'response' }>
const result = (m: Response) => {
	if (!m.ok) throw new Error(`${m.error.code}: ${m.error.message}`)
	return m.result as Record<string, unknown>
}
const config = { title: 'Over days', votesPerParticipant: 2, maxVotesPerItem: 2, anonymous: true, hideResults: true }

describe('remote voting over days (real server)', () => {
	let dataDir: string
	let server: ServerProcess
	const clients: SessionClient[] = []

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServerProcess({ dataDir })
	})
	afterAll(async () => {
		for (const client of clients) client.close()
		await server?.stop()
		if (dataDir) await removeDir(dataDir)
	})

	async function boardWithNotes() {
		const created = (await (await fetch(`${server.url}/api/boards`, { method: 'POST' })).json()) as { id: string; links: Record<string, string> }
		const token = (role: string) => new URL(created.links[role]).searchParams.get('token') ?? ''
		const writer = connectClient(server.wsUrl, created.id, { params: { token: token('facilitator') } })
		await waitForSynced(writer)
		for (const id of ['shape:a', 'shape:b'])
			getRecordsMap(writer.doc).set(id, recordToYMap({ id, typeName: 'shape', type: 'note', parentId: 'page:page', x: id === 'shape:a' ? 0 : 400, y: 0, props: {}, meta: {} }))
		await new Promise((resolve) => setTimeout(resolve, 400)) // the notes are flushed (100 ms window)
		destroyClients(writer)
		return { id: created.id, token }
	}

	async function join(boardId: string, token: string, participantId: string) {
		const client = await connectSessionClient(server.wsUrl, boardId, { token })
		clients.push(client)
		result(await client.join(participantId, participantId))
		return client
	}

	const voteIn = (m: SessionServerMessage, sessionId: string): VotingSessionPublic | undefined =>
		m.type === 'state' ? m.state.votingSessions.find((s) => s.id === sessionId) : undefined

	it('closes by itself at the closing time; turnout counts who joined; no vote after the close', async () => {
		const board = await boardWithNotes()
		const fran = await join(board.id, board.token('facilitator'), 'facilitator-1')
		const early = await join(board.id, board.token('participant'), 'early-0001')
		const start = result(await fran.request({ type: 'voting.start', config, closesAt: Date.now() + 2500, timeZone: 'Europe/Berlin' }))
		const sessionId = start.sessionId as string
		const late = await join(board.id, board.token('participant'), 'late-00001')
		await join(board.id, board.token('viewer'), 'viewer-0001')
		expect(result(await late.request({ type: 'vote.place', sessionId, itemId: 'shape:a' })).remaining).toBe(1)

		// Turnout arrives live at the facilitator: 1 voter of 2 joined participants (the viewer does not count).
		const live = await fran.waitForMessage(
			(m): m is Extract<SessionServerMessage, { type: 'state' }> => voteIn(m, sessionId)?.turnout?.voters === 1,
			5000,
		)
		const openView = voteIn(live, sessionId)!
		expect(openView).toMatchObject({ status: 'open', closeTimeZone: 'Europe/Berlin', turnout: { voters: 1, joined: 2 }, results: null })

		// Nobody asks: the server closes it and tells everyone.
		const closedState = await early.waitForMessage(
			(m): m is Extract<SessionServerMessage, { type: 'state' }> => voteIn(m, sessionId)?.status === 'closed',
			8000,
		)
		const closed = voteIn(closedState, sessionId)!
		expect(closed).toMatchObject({ closedBy: 'schedule', closedAt: openView.closesAt, turnout: { voters: 1, joined: 2 } })
		expect(closed.results?.items).toEqual([{ itemId: 'shape:a', count: 1, rank: 1, voters: null }])
		const refused = await early.request({ type: 'vote.place', sessionId, itemId: 'shape:b' })
		expect(refused.ok === false && refused.error.code).toBe('session-closed')
		const reopen = await fran.request({ type: 'voting.schedule', sessionId, closesAt: Date.now() + 60_000 })
		expect(reopen.ok === false && reopen.error.code).toBe('session-closed')
		// The votes API (closed sessions, any role) and the export carry it.
		const votes = (await (await fetch(`${server.url}/api/boards/${board.id}/votes?token=${board.token('viewer')}`)).json()) as { sessions: { id: string }[] }
		expect(votes.sessions.map((s) => s.id)).toContain(sessionId)
		const exported = (await (await fetch(`${server.url}/api/boards/${board.id}/export?token=${board.token('viewer')}`)).json()) as {
			votingSessions: { id: string; closesAt?: string; closedBy?: string; turnout?: unknown }[]
		}
		expect(exported.votingSessions.find((s) => s.id === sessionId)).toMatchObject({
			closesAt: new Date(openView.closesAt!).toISOString(),
			closedBy: 'schedule',
			turnout: { voters: 1, joined: 2 },
		})
	})

	it('refuses closing times in the past and bad time zones', async () => {
		const board = await boardWithNotes()
		const fran = await join(board.id, board.token('facilitator'), 'facilitator-1')
		const past = await fran.request({ type: 'voting.start', config, closesAt: Date.now() - 1000 })
		expect(past.ok === false && past.error).toMatchObject({ code: 'bad-request', message: 'the closing time is in the past' })
		const zone = await fran.request({ type: 'voting.start', config, closesAt: Date.now() + 60_000, timeZone: 'Nowhere/Land' })
		expect(zone.ok === false && zone.error.code).toBe('bad-request')
		const participant = await join(board.id, board.token('participant'), 'pat-000001')
		const forbidden = await participant.request({ type: 'voting.schedule', sessionId: 'abcdefgh', closesAt: null })
		expect(forbidden.ok === false && forbidden.error.code).toBe('forbidden')
	})

	it('a restart after the closing time closes the vote at load, with the dots cast before it', async () => {
		const board = await boardWithNotes()
		let fran = await join(board.id, board.token('facilitator'), 'facilitator-1')
		const closesAt = Date.now() + 1500
		const sessionId = result(await fran.request({ type: 'voting.start', config: { ...config, anonymous: false }, closesAt })).sessionId as string
		const voter = await join(board.id, board.token('participant'), 'voter-0001')
		result(await voter.request({ type: 'vote.place', sessionId, itemId: 'shape:b' }))
		await server.kill('SIGKILL') // down before the closing time: no timer can close it
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt - Date.now()) + 200))
		server = await startServerProcess({ dataDir })

		fran = await join(board.id, board.token('facilitator'), 'facilitator-1')
		const state = (result(await fran.request({ type: 'state.get' })) as { votingSessions: VotingSessionPublic[] }).votingSessions
		expect(state.find((s) => s.id === sessionId)).toMatchObject({
			status: 'closed',
			closedAt: closesAt,
			closedBy: 'schedule',
			turnout: { voters: 1, joined: 1 },
			results: { totalDots: 1, items: [{ itemId: 'shape:b', count: 1, rank: 1, voters: [{ participantId: 'voter-0001', name: 'voter-0001', count: 1 }] }] },
		})
		const late = await join(board.id, board.token('participant'), 'voter-0001')
		const refused = await late.request({ type: 'vote.place', sessionId, itemId: 'shape:a' })
		expect(refused.ok === false && refused.error.code).toBe('session-closed')
	})

	it('a board nobody opens after the closing time: the votes API and the export close it when they read it', async () => {
		const board = await boardWithNotes()
		const fran = await join(board.id, board.token('facilitator'), 'facilitator-1')
		const closesAt = Date.now() + 1500
		const sessionId = result(await fran.request({ type: 'voting.start', config, closesAt })).sessionId as string
		await server.kill('SIGKILL')
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt - Date.now()) + 200))
		server = await startServerProcess({ dataDir })
		// No connection: no room is loaded.
		const votes = (await (await fetch(`${server.url}/api/boards/${board.id}/votes?token=${board.token('viewer')}`)).json()) as {
			sessions: { id: string; closedAt: number; closedBy: string }[]
		}
		expect(votes.sessions.find((s) => s.id === sessionId)).toMatchObject({ closedAt: closesAt, closedBy: 'schedule' })
		const state = (await (await fetch(`${server.url}/api/boards/${board.id}/session?token=${board.token('viewer')}`)).json()) as { votingSessions: VotingSessionPublic[] }
		expect(state.votingSessions.find((s) => s.id === sessionId)).toMatchObject({ status: 'closed', closedBy: 'schedule' })
		// The room loading afterwards finds it closed, once.
		const again = await join(board.id, board.token('facilitator'), 'facilitator-1')
		const live = (result(await again.request({ type: 'state.get' })) as { votingSessions: VotingSessionPublic[] }).votingSessions
		expect(live.filter((s) => s.id === sessionId).map((s) => [s.status, s.closedAt])).toEqual([['closed', closesAt]])
	})
})
