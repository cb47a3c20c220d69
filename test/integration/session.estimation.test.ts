/**
 * RICE estimation poker on the real server (#13 item 7, docs/sessions.md
 * §10): estimates are hidden from everyone (facilitator included) until the
 * reveal, exactly like hidden votes — no frame before the reveal carries an
 * estimate; anonymous rounds never carry names, not even after the reveal;
 * the reveal publishes min/median/max and, in a named round, the outliers by
 * name; only the facilitator starts, reveals and accepts; viewers cannot
 * estimate; bad input is refused; rounds survive a restart; the export
 * carries revealed rounds only, with aggregates.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BoardExportSchema, type BoardExport } from '../../shared/export'
import type { EstimationRoundPublic } from '../../shared/session/estimation'
import type { SessionServerMessage, SessionState } from '../../shared/session/messages'
import { connectSessionClient, createBoardWithNotes, runExportCli, startServerProcess, useSessionServer, type SessionClient } from './helpers'

describe('estimation poker', () => {
	const t = useSessionServer({ beforeAll, afterEach, afterAll, expectNoInvalidMessages: (client) => expect(client.invalidMessages).toEqual([]) })
	const { providers, clients } = t

	const board = async () => {
		const created = await createBoardWithNotes(t.server.url, t.server.wsUrl, [
			{ id: 'shape:f1', kind: 'feature' },
			{ id: 'shape:f2', kind: 'feature' },
		])
		providers.push(created.writer)
		await new Promise((resolve) => setTimeout(resolve, 150))
		return created
	}
	const join = async (boardId: string, token: string, participantId: string, name: string) => {
		const client = await connectSessionClient(t.server.wsUrl, boardId, { token })
		clients.push(client)
		expect((await client.join(participantId, name)).ok).toBe(true)
		return client
	}
	const ok = (response: SessionServerMessage) => {
		if (response.type !== 'response' || !response.ok) throw new Error(`expected ok, got ${JSON.stringify(response)}`)
		return response.result as Record<string, unknown>
	}
	const code = (response: SessionServerMessage) => (response.type === 'response' && !response.ok ? response.error.code : 'ok')
	const state = async (client: SessionClient) => ok(await client.request({ type: 'state.get' })) as unknown as SessionState
	const frames = (client: SessionClient) => client.frames.map((f) => Buffer.from(f).toString('latin1')).join('\n')

	it('hides named estimates until the reveal, then shows the spread and the outliers by name; the facilitator accepts', async () => {
		const b = await board()
		const facilitator = await join(b.id, b.tokens.facilitator, 'facilitator-1', 'Fay')
		const ana = await join(b.id, b.tokens.participant, 'participant-ana', 'Ana')
		const ben = await join(b.id, b.tokens.participant, 'participant-ben', 'Ben')
		const cho = await join(b.id, b.tokens.participant, 'participant-cho', 'Cho')
		const viewer = await join(b.id, b.tokens.viewer, 'viewer-1', 'Vic')

		// Only the facilitator starts; unknown and non-note items are refused.
		const config = { title: 'Q3 features', itemIds: ['shape:f1', 'shape:f2'], anonymous: false }
		expect(code(await ana.request({ type: 'estimation.start', config }))).toBe('forbidden')
		expect(code(await facilitator.request({ type: 'estimation.start', config: { ...config, itemIds: ['shape:nope'] } }))).toBe('not-found')
		expect(code(await facilitator.request({ type: 'estimation.start', config: { ...config, itemIds: ['shape:f1', 'shape:f1'] } }))).toBe('bad-request')
		expect(code(await facilitator.request({ type: 'estimation.start', config: { ...config, itemIds: [] } }))).toBe('bad-request')
		const { roundId } = ok(await facilitator.request({ type: 'estimation.start', config })) as { roundId: string }
		expect(code(await facilitator.request({ type: 'estimation.start', config }))).toBe('limit')

		// Estimates: bad values are refused, viewers cannot estimate, items outside the round are refused.
		expect(code(await ana.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { impact: 7 } as never }))).toBe('bad-request')
		expect(code(await ana.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { effort: 0 } }))).toBe('bad-request')
		expect(code(await ana.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { reach: 1, extra: 1 } as never }))).toBe('bad-request')
		expect(code(await viewer.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { reach: 1 } }))).toBe('forbidden')
		expect(code(await ana.request({ type: 'estimate.set', roundId, itemId: 'shape:zzz', estimate: { reach: 1 } }))).toBe('not-eligible')
		const mine = ok(await ana.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { reach: 977.31, impact: 2, confidence: 80, effort: 3 } }))
		expect(mine).toEqual({ roundId, estimates: { 'shape:f1': { reach: 977.31, impact: 2, confidence: 80, effort: 3 } } })
		ok(await ben.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { reach: 1013.53, impact: 2, confidence: 70, effort: 4 } }))
		ok(await cho.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { reach: 9941.17, impact: 1, confidence: 50, effort: 4 } }))
		ok(await facilitator.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { reach: 1009.5, impact: 2, confidence: 60, effort: 3.5 } }))
		ok(await ben.request({ type: 'estimate.set', roundId, itemId: 'shape:f2', estimate: { effort: 2 } }))
		// Each person reads back only their own.
		expect(ok(await ben.request({ type: 'estimate.get', roundId }))).toEqual({ roundId, estimates: { 'shape:f1': { reach: 1013.53, impact: 2, confidence: 70, effort: 4 }, 'shape:f2': { effort: 2 } } })

		// Before the reveal: progress only (who, never what), for everyone including the facilitator.
		const before = (await state(facilitator)).estimationRounds.find((r) => r.id === roundId)!
		expect(before).toMatchObject({ status: 'open', estimators: 4, results: null })
		expect(before.estimatedPersonKeys).toHaveLength(4)
		await new Promise((resolve) => setTimeout(resolve, 200))
		for (const client of [facilitator, ana, ben, cho, viewer]) {
			const text = frames(client)
			// Nobody, the facilitator included, sees someone else's estimate (their own answers carry theirs).
			if (client !== cho) expect(text).not.toContain('9941.17')
			if (client !== ana) expect(text).not.toContain('977.31')
			if (client !== ben) expect(text).not.toContain('1013.53')
		}
		expect(code(await facilitator.request({ type: 'estimation.accept', roundId, itemId: 'shape:f1', rice: { reach: 1, impact: 1, confidence: 1, effort: 1 } }))).toBe('bad-request')

		// Reveal: only the facilitator; then the spread, outliers by name.
		expect(code(await ana.request({ type: 'estimation.reveal', roundId }))).toBe('forbidden')
		ok(await facilitator.request({ type: 'estimation.reveal', roundId }))
		expect(code(await facilitator.request({ type: 'estimation.reveal', roundId }))).toBe('session-closed')
		expect(code(await ana.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { reach: 5 } }))).toBe('session-closed')
		const after = (await state(viewer)).estimationRounds.find((r) => r.id === roundId)! as EstimationRoundPublic
		const f1 = after.results!.find((r) => r.itemId === 'shape:f1')!
		expect(f1.estimators).toBe(4)
		expect(f1.reach).toEqual({ count: 4, min: 977.31, median: 1011.515, max: 9941.17, outliers: [{ name: 'Cho', value: 9941.17 }] })
		expect(f1.impact).toMatchObject({ min: 1, median: 2, max: 2, outliers: [{ name: 'Cho', value: 1 }] })
		expect(f1.effort).toMatchObject({ min: 3, median: 3.75, max: 4 })
		expect(after.results!.find((r) => r.itemId === 'shape:f2')).toMatchObject({ estimators: 1, effort: { count: 1, median: 2, outliers: [] }, reach: null })

		// Accept: facilitator only, valid RICE only, items of the round only.
		const rice = { reach: 1012, impact: 2 as const, confidence: 65, effort: 3.8 }
		expect(code(await ana.request({ type: 'estimation.accept', roundId, itemId: 'shape:f1', rice }))).toBe('forbidden')
		expect(code(await facilitator.request({ type: 'estimation.accept', roundId, itemId: 'shape:f1', rice: { ...rice, effort: -1 } }))).toBe('bad-request')
		expect(code(await facilitator.request({ type: 'estimation.accept', roundId, itemId: 'shape:other', rice }))).toBe('not-eligible')
		ok(await facilitator.request({ type: 'estimation.accept', roundId, itemId: 'shape:f1', rice }))
		expect((await state(ana)).estimationRounds[0].results![0].accepted).toEqual(rice)

		// The export: revealed round, aggregates, outliers by name (named round).
		const exported = (await (await fetch(`${t.server.url}/api/boards/${b.id}/export.json?token=${b.tokens.facilitator}`)).json()) as BoardExport
		expect(BoardExportSchema.safeParse(exported).success).toBe(true)
		expect(exported.estimationRounds).toHaveLength(1)
		expect(exported.estimationRounds[0]).toMatchObject({ title: 'Q3 features', anonymous: false, estimatorCount: 4 })
		expect(exported.estimationRounds[0].items[0]).toMatchObject({ itemId: 'shape:f1', accepted: rice, reach: { median: 1011.515, outliers: [{ name: 'Cho', value: 9941.17 }] } })
		const md = await (await fetch(`${t.server.url}/api/boards/${b.id}/export.md?token=${b.tokens.facilitator}`)).text()
		expect(md).toContain('## Estimation')
		expect(md).toContain('Cho (9941.17)')
	})

	it('anonymous rounds never carry names or per-person data, before or after the reveal; rounds survive a restart', async () => {
		const b = await board()
		const facilitator = await join(b.id, b.tokens.facilitator, 'facilitator-2', 'Fay')
		const ana = await join(b.id, b.tokens.participant, 'participant-ana2', 'Anastasia')
		const ben = await join(b.id, b.tokens.participant, 'participant-ben2', 'Benedikt')
		const { roundId } = ok(await facilitator.request({ type: 'estimation.start', config: { title: 'Blind', itemIds: ['shape:f1'], anonymous: true } })) as { roundId: string }
		ok(await ana.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { reach: 100, impact: 1, confidence: 50, effort: 1 } }))
		ok(await ben.request({ type: 'estimate.set', roundId, itemId: 'shape:f1', estimate: { reach: 5000, impact: 3, confidence: 90, effort: 2 } }))
		const open = (await state(facilitator)).estimationRounds.find((r) => r.id === roundId)!
		expect(open).toMatchObject({ estimators: 2, estimatedPersonKeys: null, results: null })

		// A restart keeps the open round and each person's own estimate.
		await t.restart()
		const ana2 = await join(b.id, b.tokens.participant, 'participant-ana2', 'Anastasia')
		const facilitator2 = await join(b.id, b.tokens.facilitator, 'facilitator-2', 'Fay')
		expect(ok(await ana2.request({ type: 'estimate.get', roundId }))).toEqual({ roundId, estimates: { 'shape:f1': { reach: 100, impact: 1, confidence: 50, effort: 1 } } })
		ok(await facilitator2.request({ type: 'estimation.reveal', roundId }))
		const revealed = (await state(facilitator2)).estimationRounds.find((r) => r.id === roundId)!
		expect(revealed.results![0].reach).toEqual({ count: 2, min: 100, median: 2550, max: 5000, outliers: null })
		await new Promise((resolve) => setTimeout(resolve, 200))
		// No frame to the facilitator ever names who estimated in the anonymous round.
		expect(frames(facilitator2)).not.toContain('Benedikt')
		expect(frames(facilitator2).replace(/"people":\[[^\]]*\]/g, '')).not.toContain('Anastasia')
		// After the reveal the individual estimates are gone from the server: only aggregates remain.
		expect(ok(await ana2.request({ type: 'estimate.get', roundId }))).toEqual({ roundId, estimates: {} })
		const exported = (await (await fetch(`${t.server.url}/api/boards/${b.id}/export.json?token=${b.tokens.facilitator}`)).json()) as BoardExport
		expect(exported.estimationRounds[0]).toMatchObject({ anonymous: true, items: [{ reach: { outliers: null } }] })
		expect(JSON.stringify(exported)).not.toContain('Anastasia')

		// The CLI export (server stopped) reads the same rounds from the stored session state.
		expect(await t.server.stop()).toBe(0)
		const cli = await runExportCli([b.id], t.dataDir)
		expect(cli.code, cli.stderr).toBe(0)
		expect((JSON.parse(cli.stdout) as BoardExport).estimationRounds).toEqual(exported.estimationRounds)
		t.server = await startServerProcess({ dataDir: t.dataDir })
	})
})
