/**
 * The people list of the session channel against a real server process:
 * who is connected, raised hands (own toggle, facilitator lowers, survives a
 * reconnect), "done" per phase (resets on phase change), and who has voted —
 * names for a named session, only a count for an anonymous one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import type { SessionServerMessage, SessionState } from '../../shared/session/messages'
import { personKey } from '../../shared/session/personKey'
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

type Role = 'facilitator' | 'participant' | 'viewer'
type StateMessage = Extract<SessionServerMessage, { type: 'state' }>

describe('session people list', () => {
	let dataDir: string
	let server: ServerProcess
	const providers: WebsocketProvider[] = []
	const clients: SessionClient[] = []

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServerProcess({ dataDir })
	})
	afterAll(async () => {
		for (const client of clients) client.close()
		destroyClients(...providers)
		await server?.stop()
		if (dataDir) await removeDir(dataDir)
	})

	const createBoard = async () => {
		const response = await fetch(`${server.url}/api/boards`, { method: 'POST' })
		const body = (await response.json()) as { id: string; links: Record<Role, string> }
		const tokens = Object.fromEntries(Object.entries(body.links).map(([role, link]) => [role, new URL(link).searchParams.get('token') ?? ''])) as Record<Role, string>
		const writer = connectClient(server.wsUrl, body.id, { params: { token: tokens.facilitator } })
		providers.push(writer)
		await waitForSynced(writer)
		const records = getRecordsMap(writer.doc)
		writer.doc.transact(() => {
			for (const id of ['shape:a', 'shape:b'])
				records.set(
					id,
					recordToYMap({ id, typeName: 'shape', type: 'note', parentId: 'page:page', index: 'a1', x: 0, y: 0, rotation: 0, isLocked: false, opacity: 1, props: { color: 'yellow', growY: 0, scale: 1 }, meta: { kind: 'idea' } }),
				)
		})
		return { id: body.id, tokens }
	}
	const join = async (boardId: string, token: string, participantId: string, name: string) => {
		const client = await connectSessionClient(server.wsUrl, boardId, { token })
		clients.push(client)
		expect((await client.join(participantId, name)).ok).toBe(true)
		return client
	}
	const ok = async (client: SessionClient, body: Parameters<SessionClient['request']>[0]) => {
		const response = await client.request(body)
		if (!response.ok) throw new Error(`${body.type}: ${response.error.code} ${response.error.message}`)
		return response.result
	}
	/** The latest state this client got that satisfies `check`. */
	const stateWhere = (client: SessionClient, check: (state: SessionState) => boolean) =>
		client.waitForMessage((m): m is StateMessage => m.type === 'state' && check(m.state), 5000).then((m) => m.state)

	it('lists everyone connected with role, hand and done; the facilitator lowers a hand; hands survive a reconnect; done resets on phase change', async () => {
		const board = await createBoard()
		const facilitator = await join(board.id, board.tokens.facilitator, 'fac-0001', 'Fay')
		const ana = await join(board.id, board.tokens.participant, 'ana-0001', 'Ana')
		await join(board.id, board.tokens.viewer, 'vic-0001', 'Vic')
		const listed = await stateWhere(facilitator, (s) => s.people.length === 3)
		expect(listed.people.map((p) => [p.name, p.role])).toEqual([
			['Fay', 'facilitator'],
			['Ana', 'participant'],
			['Vic', 'viewer'],
		])

		await ok(ana, { type: 'hand.set', on: true })
		await stateWhere(facilitator, (s) => s.people.some((p) => p.name === 'Ana' && p.handRaisedAt !== null))
		// A participant cannot lower (or raise) someone else's hand.
		const forged = await ana.request({ type: 'hand.set', on: false, person: personKey('fac-0001') })
		expect(forged.ok === false && forged.error.code).toBe('forbidden')

		// Ana leaves and comes back: her hand is still up.
		ana.close()
		await stateWhere(facilitator, (s) => s.people.length === 2)
		const back = await join(board.id, board.tokens.participant, 'ana-0001', 'Ana')
		const rejoined = await stateWhere(back, (s) => s.people.length === 3)
		expect(rejoined.people.find((p) => p.name === 'Ana')?.handRaisedAt).not.toBeNull()
		await ok(facilitator, { type: 'hand.set', on: false, person: personKey('ana-0001') })
		await stateWhere(back, (s) => s.people.every((p) => p.handRaisedAt === null))

		await ok(facilitator, { type: 'agenda.set', phases: [{ id: 'one', title: 'One' }, { id: 'two', title: 'Two' }] })
		await ok(facilitator, { type: 'agenda.goto', phaseId: 'one', focus: false })
		await ok(back, { type: 'done.set', done: true })
		await stateWhere(facilitator, (s) => s.people.find((p) => p.name === 'Ana')?.done === true)
		await ok(facilitator, { type: 'agenda.goto', phaseId: 'two', focus: false })
		await stateWhere(facilitator, (s) => s.agenda.currentPhaseId === 'two' && s.people.every((p) => !p.done))
	})

	it('names who has voted in a named session, and only counts them in an anonymous one', async () => {
		const board = await createBoard()
		const facilitator = await join(board.id, board.tokens.facilitator, 'fac-0002', 'Fay')
		const ana = await join(board.id, board.tokens.participant, 'ana-0002', 'Ana')
		await join(board.id, board.tokens.participant, 'bob-0002', 'Bob')
		const config = { votesPerParticipant: 3, maxVotesPerItem: 3, hideResults: true }

		const named = (await ok(facilitator, { type: 'voting.start', config: { ...config, title: 'Named', anonymous: false } })) as { sessionId: string }
		await ok(ana, { type: 'vote.place', sessionId: named.sessionId, itemId: 'shape:a' })
		const namedState = await stateWhere(facilitator, (s) => s.votingSessions.some((v) => v.id === named.sessionId && v.progress.voters === 1))
		expect(namedState.votingSessions.find((v) => v.id === named.sessionId)?.votedPersonKeys).toEqual([personKey('ana-0002')])
		await ok(facilitator, { type: 'voting.close', sessionId: named.sessionId })

		const secret = (await ok(facilitator, { type: 'voting.start', config: { ...config, title: 'Secret', anonymous: true } })) as { sessionId: string }
		const before = facilitator.messages.length
		await ok(ana, { type: 'vote.place', sessionId: secret.sessionId, itemId: 'shape:b' })
		const secretState = await stateWhere(facilitator, (s) => s.votingSessions.some((v) => v.id === secret.sessionId && v.progress.voters === 1))
		expect(secretState.votingSessions.find((v) => v.id === secret.sessionId)?.votedPersonKeys).toBeNull()
		// Nothing names Ana's vote in the anonymous session; her participant id is never sent to others at all.
		for (const message of facilitator.messages.slice(before)) {
			if (message.type !== 'state') continue
			expect(JSON.stringify(message.state.votingSessions.find((v) => v.id === secret.sessionId))).not.toContain(personKey('ana-0002'))
			const anonymousOnly = { ...message.state, votingSessions: message.state.votingSessions.filter((v) => v.config.anonymous) }
			expect(JSON.stringify(anonymousOnly)).not.toContain('ana-0002')
		}
	})
})
