/** An open voting session, its ballots, the timer and locks survive a server restart (SIGKILL included). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionServerMessage } from '../../shared/session/messages'
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
} from './helpers'

describe('facilitated session across restarts', () => {
	let dataDir: string
	let server: ServerProcess

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServerProcess({ dataDir })
	})
	afterAll(async () => {
		await server?.stop()
		if (dataDir) await removeDir(dataDir)
	})

	it('keeps ballots (budget still enforced), timer and lock after SIGKILL', async () => {
		const created = (await (await fetch(`${server.url}/api/boards`, { method: 'POST' })).json()) as { id: string; links: Record<string, string> }
		const token = (role: string) => new URL(created.links[role]).searchParams.get('token') ?? ''
		const writer = connectClient(server.wsUrl, created.id, { params: { token: token('facilitator') } })
		await waitForSynced(writer)
		for (const id of ['shape:a', 'shape:b'])
			getRecordsMap(writer.doc).set(id, recordToYMap({ id, typeName: 'shape', type: 'note', parentId: 'page:page', x: id === 'shape:a' ? 0 : 400, y: 0, props: {}, meta: {} }))
		await new Promise((resolve) => setTimeout(resolve, 400)) // the notes are flushed (100 ms window)
		destroyClients(writer)

		const result = (m: SessionServerMessage) => (m.type === 'response' && m.ok ? (m.result as Record<string, unknown>) : { error: m })
		let facilitator = await connectSessionClient(server.wsUrl, created.id, { token: token('facilitator') })
		await facilitator.join('facilitator-1', 'Fran')
		const sessionId = result(
			await facilitator.request({ type: 'voting.start', config: { title: 'V', votesPerParticipant: 2, maxVotesPerItem: 2, anonymous: true, hideResults: true } }),
		).sessionId as string
		await facilitator.request({ type: 'timer.set', durationMs: 600_000 })
		await facilitator.request({ type: 'timer.start' })
		await facilitator.request({ type: 'lock.shapes', shapeIds: ['shape:b'], locked: true })
		let voter = await connectSessionClient(server.wsUrl, created.id, { token: token('participant') })
		await voter.join('voter-0001', 'Val')
		expect(result(await voter.request({ type: 'vote.place', sessionId, itemId: 'shape:a' })).remaining).toBe(1)

		await server.kill('SIGKILL') // the vote was answered, so it is committed
		server = await startServerProcess({ dataDir })
		voter = await connectSessionClient(server.wsUrl, created.id, { token: token('participant') })
		const joined = result(await voter.join('voter-0001', 'Val')) as {
			ballots: unknown[]
			state: { timer: { running: boolean; endsAt: number }; lock: { shapeIds: string[] } }
		}
		expect(joined.ballots).toEqual([{ sessionId, dots: { 'shape:a': 1 }, remaining: 1 }])
		expect(joined.state.timer.running).toBe(true)
		expect(joined.state.lock.shapeIds).toEqual(['shape:b'])
		expect(result(await voter.request({ type: 'vote.place', sessionId, itemId: 'shape:a' })).remaining).toBe(0)
		const over = await voter.request({ type: 'vote.place', sessionId, itemId: 'shape:a' })
		expect(over.type === 'response' && !over.ok && over.error.code).toBe('budget-exhausted')
		facilitator = await connectSessionClient(server.wsUrl, created.id, { token: token('facilitator') })
		await facilitator.join('facilitator-1', 'Fran')
		const closed = result(await facilitator.request({ type: 'voting.close', sessionId })) as { results: { totalDots: number } }
		expect(closed.results.totalDots).toBe(2)
		voter.close()
		facilitator.close()
	})
})
