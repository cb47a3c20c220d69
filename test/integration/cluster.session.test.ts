/**
 * Facilitated sessions and links in a cluster of 3 real processes (issue #12),
 * real Redis and PostgreSQL:
 *
 * - 60 voters spread over the processes vote at once, the board's owner is
 *   SIGKILLed, everyone reconnects (to a surviving process) and votes again:
 *   no voter overspends and the closed results count every dot exactly once;
 * - rotating a link through one process disconnects its holders on every
 *   process (Redis pub/sub kick), and the old token is refused everywhere.
 *
 * Skipped with the reason when Redis or PostgreSQL is unreachable; under
 * CI=true that is a failure instead.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { CloseCode } from '../../shared/protocol'
import { getRecordsMap } from '../../shared/recordCodec'
import type { SessionServerMessage } from '../../shared/session/messages'
import { startCluster, type ClusterForTests } from '../helpers/clusterProcesses'
import { postgresForTests } from '../helpers/postgresDatabase'
import { redisForTests } from '../helpers/redisForTests'
import { connectClient, connectSessionClient, destroyClients, mulberry32, upgradeStatus, waitFor, waitForSynced, type SessionClient } from './helpers'
import { noteYMap } from './helpers/sessionBoards'

const postgres = await postgresForTests()
const redis = await redisForTests()
const skipNote = [postgres.skipNote, redis.skipNote].filter(Boolean).join(' ')

type Role = 'facilitator' | 'participant' | 'viewer'

let cluster: ClusterForTests | null = null
const providers: WebsocketProvider[] = []
const sessionClients: SessionClient[] = []

afterEach(async (context) => {
	if (context.task.result?.state === 'fail' && cluster) for (const node of cluster.nodes) console.error(node.output().slice(-3000))
	for (const client of sessionClients.splice(0)) client.close()
	destroyClients(...providers.splice(0))
	await cluster?.destroy()
	cluster = null
})

async function createBoard(url: string): Promise<{ id: string; tokens: Record<Role, string> }> {
	const response = await fetch(`${url}/api/boards`, { method: 'POST' })
	expect(response.status).toBe(201)
	const body = (await response.json()) as { id: string; links: Record<Role, string> }
	const tokens = Object.fromEntries(Object.entries(body.links).map(([role, link]) => [role, new URL(link).searchParams.get('token') ?? ''])) as Record<Role, string>
	return { id: body.id, tokens }
}

function expectOk(response: SessionServerMessage): Record<string, unknown> {
	if (response.type !== 'response' || !response.ok) throw new Error(`expected ok, got ${JSON.stringify(response)}`)
	return response.result as Record<string, unknown>
}

const errorCode = (response: SessionServerMessage) => (response.type === 'response' && !response.ok ? response.error.code : 'ok')

/** An idea sticky (the session tests' shared note record). */
const note = (id: string, x: number) => noteYMap(id, 'idea', x)

describe.skipIf(!postgres.available || !redis.available)(`cluster sessions and links ${skipNote}`, () => {
	it('60 voters over three processes vote across a SIGKILL of the owner: exact counts, nobody overspends; timer, agenda and locks kept', async () => {
		cluster = await startCluster({ redis, postgres, size: 3 })
		const board = await createBoard(cluster.nodes[1].url)
		const writer = connectClient(cluster.nodes[2].wsUrl, board.id, { params: { token: board.tokens.facilitator } })
		providers.push(writer)
		await waitForSynced(writer)
		writer.doc.transact(() => {
			for (let i = 0; i < 6; i++) getRecordsMap(writer.doc).set(`shape:n${i}`, note(`shape:n${i}`, i * 300))
		})
		const join = async (nodeIndex: number, token: string, participantId: string) => {
			const client = await connectSessionClient(cluster!.nodes[nodeIndex].wsUrl, board.id, { token })
			sessionClients.push(client)
			expect((await client.join(participantId, participantId)).ok).toBe(true)
			return client
		}
		const facilitatorAt = (nodeIndex: number) => join(nodeIndex, board.tokens.facilitator, 'facilitator-1')
		let facilitator = await facilitatorAt(0)
		// Until the owner saw the notes, they are not votable.
		await waitFor(async () => errorCode(await facilitator.request({ type: 'voting.start', config: { title: 'probe', votesPerParticipant: 1, maxVotesPerItem: 1, anonymous: false, hideResults: false } })) === 'ok')
		const probe = facilitator.messages.findLast((m) => m.type === 'response' && m.ok) as SessionServerMessage
		expectOk(await facilitator.request({ type: 'voting.close', sessionId: expectOk(probe).sessionId as string }))
		const budget = 4
		const sessionId = expectOk(
			await facilitator.request({ type: 'voting.start', config: { title: 'Across a crash', votesPerParticipant: budget, maxVotesPerItem: budget, anonymous: false, hideResults: true } }),
		).sessionId as string

		const voterIds = Array.from({ length: 60 }, (_, i) => `voter-${String(i).padStart(3, '0')}`)
		let voters = await Promise.all(voterIds.map((id, i) => join(i % 3, board.tokens.participant, id)))
		const random = mulberry32(77)
		const accepted = new Map<string, number>()
		const castRound = async (round: SessionClient[], perVoter: number) => {
			const replies = await Promise.all(
				round.flatMap((voter) =>
					Array.from({ length: perVoter }, () => {
						const itemId = `shape:n${Math.floor(random() * 6)}`
						return voter.request({ type: 'vote.place', sessionId, itemId }).then((reply) => ({ reply, itemId }))
					}),
				),
			)
			for (const { reply, itemId } of replies) if (errorCode(reply) === 'ok') accepted.set(itemId, (accepted.get(itemId) ?? 0) + 1)
			return replies.map(({ reply }) => errorCode(reply))
		}
		expect(new Set(await castRound(voters, 2))).toEqual(new Set(['ok']))

		// Timer, agenda and a lock set before the crash must be kept by the next owner.
		expectOk(await facilitator.request({ type: 'timer.set', durationMs: 600_000 }))
		expectOk(await facilitator.request({ type: 'timer.start' }))
		expectOk(await facilitator.request({ type: 'agenda.set', phases: [{ id: 'p1', title: 'Brainstorm', frameId: null }, { id: 'p2', title: 'Vote', frameId: null }] }))
		expectOk(await facilitator.request({ type: 'agenda.goto', phaseId: 'p2', focus: false }))
		expectOk(await facilitator.request({ type: 'lock.shapes', shapeIds: ['shape:n5'], locked: true }))

		const victim = await cluster.ownerIndex(board.id)
		await cluster.kill(victim)
		// Every socket went through the dead owner: all are closed; everyone rejoins on a surviving process.
		await Promise.all(voters.map((voter) => voter.closed))
		const survivors = [0, 1, 2].filter((i) => i !== victim)
		voters = await Promise.all(voterIds.map((id, i) => join(survivors[i % 2], board.tokens.participant, id)))
		// Three more each: two fit the budget, the third must be refused — the ballots before the crash were kept.
		const codes = await castRound(voters, 3)
		expect(codes.filter((code) => code === 'ok').length).toBe(60 * 2)
		expect(new Set(codes.filter((code) => code !== 'ok'))).toEqual(new Set(['budget-exhausted']))

		facilitator = await facilitatorAt(survivors[0])
		const { state } = await facilitator.waitForMessage((m): m is Extract<SessionServerMessage, { type: 'state' }> => m.type === 'state')
		expect(state.timer).toMatchObject({ durationMs: 600_000, running: true })
		expect(state.agenda.currentPhaseId).toBe('p2')
		expect(state.agenda.phases.map((phase) => phase.id)).toEqual(['p1', 'p2'])
		expect(state.lock.shapeIds).toEqual(['shape:n5'])
		const results = expectOk(await facilitator.request({ type: 'voting.close', sessionId })).results as {
			items: { itemId: string; count: number }[]
			totalDots: number
			voterCount: number
		}
		expect(results.totalDots).toBe(60 * budget)
		expect(results.voterCount).toBe(60)
		expect(new Map(results.items.map((item) => [item.itemId, item.count]))).toEqual(accepted)
	})

	it('rotating a link on one process disconnects its holders on every process; the old token is refused everywhere', async () => {
		// The periodic re-check is pushed out of the way: only the cross-process kick can close the holders in time.
		cluster = await startCluster({ redis, postgres, size: 3, env: { CREDENTIAL_RECHECK_MS: '600000' } })
		const board = await createBoard(cluster.nodes[0].url)
		const holders = cluster.nodes.map((node) => {
			const provider = connectClient(node.wsUrl, board.id, { params: { token: board.tokens.participant } })
			providers.push(provider)
			return provider
		})
		await Promise.all(holders.map((holder) => waitForSynced(holder)))
		const facilitator = connectClient(cluster.nodes[2].wsUrl, board.id, { params: { token: board.tokens.facilitator } })
		providers.push(facilitator)
		await waitForSynced(facilitator)
		const closeCodes = holders.map((holder) => {
			const codes: number[] = []
			holder.on('connection-close', (event) => codes.push(event?.code ?? 0))
			return codes
		})
		const owner = await cluster.ownerIndex(board.id)
		const rotateAt = (owner + 1) % 3 // not the owner: the kick must travel
		const response = await fetch(`${cluster.nodes[rotateAt].url}/api/boards/${board.id}/links/rotate`, {
			method: 'POST',
			headers: { authorization: `Bearer ${board.tokens.facilitator}`, 'content-type': 'application/json' },
			body: JSON.stringify({ role: 'participant' }),
		})
		expect(response.status).toBe(200)
		const { token } = (await response.json()) as { token: string }
		await waitFor(() => closeCodes.every((codes) => codes.includes(CloseCode.unauthorized)), { timeoutMs: 5_000, message: 'holders not disconnected' })
		for (const holder of holders) holder.disconnect()
		expect(facilitator.wsconnected).toBe(true)
		for (const node of cluster.nodes) {
			expect((await upgradeStatus(node.wsUrl, board.id, board.tokens.participant)).status).toBe(401)
			expect((await upgradeStatus(node.wsUrl, board.id, token)).status).toBe(101)
		}
	})
})
