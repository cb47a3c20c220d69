/**
 * The versions API (#14 item 5) on the real server (in process, so the
 * versions clock can be moved instead of sleeping), on SQLite and — in the
 * integration-postgres project — PostgreSQL: named and automatic versions,
 * the 30-minute and 30-day rules, exports and comparisons (items, RICE and
 * votes), restoring as a copy, roles, caps and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { startServer, type RunningServer } from '../../server/app'
import { parseConfig } from '../../server/config'
import { createLogger } from '../../server/logger'
import { DEFAULT_VERSIONS_CONFIG, type VersionsConfig } from '../../server/versions/versionsConfig'
import { parseBoardImport, type BoardExport } from '../../shared/export'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import type { SessionServerMessage } from '../../shared/session/messages'
import { noteShapeRecord } from '../../shared/shapeRecords'
import { plainTextToRichText } from '../../shared/text/richText'
import type { BoardComparison, VersionList, VersionSummary } from '../../shared/versions'
import { connectClient, connectSessionClient, destroyClients, makeTempDir, removeDir, storageEnvFor, waitFor, waitForSynced, type SessionClient } from './helpers'

type Role = 'facilitator' | 'participant' | 'viewer'
interface Board {
	id: string
	links: Record<Role, string>
}

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

function note(id: string, kind: string, x: number, text: string, meta: Record<string, unknown> = {}) {
	return recordToYMap(noteShapeRecord({ id, x, text, meta: { kind, ...meta } }))
}

function expectOk(response: SessionServerMessage): Record<string, unknown> {
	if (response.type !== 'response' || !response.ok) throw new Error(`expected ok, got ${JSON.stringify(response)}`)
	return response.result as Record<string, unknown>
}

async function startVersionsServer(dataDir: string, clock: { now: number }, config: Partial<VersionsConfig> = {}): Promise<RunningServer> {
	return startServer(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(await storageEnvFor(dataDir)) }), {
		logger: createLogger('silent'),
		versions: { config: { ...DEFAULT_VERSIONS_CONFIG, ...config }, now: () => clock.now },
	})
}

function apiOf(server: RunningServer) {
	const token = (board: Board, role: Role) => new URL(board.links[role]).searchParams.get('token') ?? ''
	const auth = (board: Board, role: Role | null): Record<string, string> => (role ? { authorization: `Bearer ${token(board, role)}` } : {})
	return {
		token,
		async createBoard(title: string): Promise<Board> {
			const response = await fetch(`${server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) })
			expect(response.status).toBe(201)
			return (await response.json()) as Board
		},
		get: (board: Board, path: string, role: Role | null = 'viewer', boardId = board.id) =>
			fetch(`${server.url}/api/boards/${boardId}${path}`, { headers: auth(board, role) }),
		post: (board: Board, path: string, body: unknown, role: Role | null = 'facilitator', boardId = board.id) =>
			fetch(`${server.url}/api/boards/${boardId}${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...auth(board, role) },
				body: typeof body === 'string' ? body : JSON.stringify(body),
			}),
		async list(board: Board): Promise<VersionList> {
			const response = await fetch(`${server.url}/api/boards/${board.id}/versions`, { headers: auth(board, 'participant') })
			expect(response.status).toBe(200)
			return (await response.json()) as VersionList
		},
		async exportLive(board: Board): Promise<BoardExport> {
			const response = await fetch(`${server.url}/api/boards/${board.id}/export.json`, { headers: auth(board, 'viewer') })
			expect(response.status).toBe(200)
			return (await response.json()) as BoardExport
		},
	}
}

describe('versions API', () => {
	let dataDir: string
	let server: RunningServer
	let api: ReturnType<typeof apiOf>
	const clock = { now: Date.UTC(2026, 2, 2, 9, 0, 0) }
	const providers: WebsocketProvider[] = []
	const sessionClients: SessionClient[] = []

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startVersionsServer(dataDir, clock)
		api = apiOf(server)
	})

	afterAll(async () => {
		for (const client of sessionClients) client.close()
		destroyClients(...providers)
		await server?.close()
		if (dataDir) await removeDir(dataDir)
	})

	const wsUrl = () => `${server.url.replace(/^http/, 'ws')}/sync`
	const connectWriter = async (board: Board) => {
		const writer = connectClient(wsUrl(), board.id, { params: { token: api.token(board, 'facilitator') } })
		providers.push(writer)
		await waitForSynced(writer)
		return writer
	}

	it('saves named versions, keeps automatic ones at most every 30 min of editing, deletes automatic ones after 30 days', async () => {
		const board = await api.createBoard('Retention board')
		// Creating a board is not editing: no automatic version yet.
		expect((await api.list(board)).versions).toEqual([])
		const writer = await connectWriter(board)
		const records = getRecordsMap(writer.doc)
		const edit = async (id: string, text: string) => {
			records.set(id, note(id, 'idea', 0, text))
			await waitFor(async () => (await api.exportLive(board)).items.some((item) => item.id === id && item.text === text), { message: `edit ${id} stored` })
		}
		const autos = async () => (await api.list(board)).versions.filter((version) => version.kind === 'auto')

		await edit('shape:first', 'First idea')
		const firstAuto = (await waitFor(async () => {
			const found = await autos()
			return found.length === 1 ? found[0] : null
		}, { message: 'first automatic version' }))!
		expect(firstAuto).toMatchObject({ name: 'Automatic version', createdAt: new Date(clock.now).toISOString() })

		// More editing within 30 min: still one automatic version.
		clock.now += 10 * MINUTE
		await edit('shape:second', 'Second idea')
		clock.now += 19 * MINUTE
		await edit('shape:third', 'Third idea')
		// The edits above had time to trigger one (they were stored); nothing was taken.
		await new Promise((resolve) => setTimeout(resolve, 100))
		expect((await autos()).map((version) => version.id)).toEqual([firstAuto.id])

		const named = await api.post(board, '/versions', { name: '  After workshop 1  ' })
		expect(named.status).toBe(201)
		const namedVersion = (await named.json()) as VersionSummary
		expect(namedVersion).toMatchObject({ name: 'After workshop 1', kind: 'named', boardId: board.id })
		expect(namedVersion.sizeBytes).toBeGreaterThan(0)

		// 31 minutes after the first automatic version, an edit takes the second.
		clock.now += 2 * MINUTE
		await edit('shape:fourth', 'Fourth idea')
		await waitFor(async () => (await autos()).length === 2, { message: 'second automatic version' })

		// 30 days after the first (and 29 days 29 min after the second): only the first expired.
		clock.now = Date.parse(firstAuto.createdAt) + 30 * DAY + MINUTE
		const after = await api.list(board)
		expect(after.versions.map((version) => version.kind)).toEqual(['auto', 'named'])
		expect(after.versions.some((version) => version.id === firstAuto.id)).toBe(false)
		// A long time later named versions are still there.
		clock.now += 365 * DAY
		expect((await api.list(board)).versions.map((version) => version.id)).toEqual([namedVersion.id])
		expect((await api.list(board)).usage).toEqual({ count: 1, bytes: namedVersion.sizeBytes })
		expect((await api.list(board)).limits).toMatchObject({ autoIntervalMinutes: 30, autoRetentionDays: 30 })
	})

	it('exports a version, compares it with live (items, themes, RICE, votes) and restores it as a copy', async () => {
		const board = await api.createBoard('Roadmap')
		const writer = await connectWriter(board)
		const records = getRecordsMap(writer.doc)
		writer.doc.transact(() => {
			records.set('shape:kept', note('shape:kept', 'feature', 0, 'Onboarding checklist', { rice: { reach: 100, impact: 2, confidence: 80, effort: 2 } }))
			records.set('shape:gone', note('shape:gone', 'idea', 300, 'Dark mode'))
			records.set('shape:risk', note('shape:risk', 'question', 600, 'Will teams pay?'))
		})
		await waitFor(async () => (await api.exportLive(board)).items.length === 3, { message: 'notes stored' })
		const saved = (await (await api.post(board, '/versions', { name: 'Before voting' })).json()) as VersionSummary

		// After the version: an edit, a removal, an addition, a new RICE estimate and a closed vote.
		writer.doc.transact(() => {
			records.delete('shape:gone')
			records.set('shape:new', note('shape:new', 'idea', 900, 'Invite by link'))
			const kept = records.get('shape:kept')!
			const props = kept.get('props') as Y.Map<unknown>
			props.set('richText', plainTextToRichText('Onboarding checklist v2'))
			const meta = kept.get('meta') as Y.Map<unknown>
			meta.set('rice', { reach: 100, impact: 3, confidence: 80, effort: 2 })
		})
		await waitFor(async () => (await api.exportLive(board)).items.some((item) => item.id === 'shape:new'), { message: 'later edits stored' })
		const facilitator = await connectSessionClient(wsUrl(), board.id, { token: api.token(board, 'facilitator') })
		sessionClients.push(facilitator)
		expectOk(await facilitator.join('facil-0001', 'Fran'))
		const sessionId = expectOk(
			await facilitator.request({ type: 'voting.start', config: { title: 'Pick', votesPerParticipant: 2, maxVotesPerItem: 2, anonymous: true, hideResults: true } }),
		).sessionId as string
		expectOk(await facilitator.request({ type: 'vote.place', sessionId, itemId: 'shape:risk' }))
		expectOk(await facilitator.request({ type: 'voting.close', sessionId }))

		// The version's export is the board as it was: valid, three items, no votes.
		const exported = await api.get(board, `/versions/${saved.id}/export.json`, 'viewer')
		expect(exported.status).toBe(200)
		expect(exported.headers.get('content-disposition')).toContain('attachment')
		const versionExport = (await exported.json()) as BoardExport
		expect(parseBoardImport(versionExport).ok).toBe(true)
		expect(versionExport.items.map((item) => item.id).sort()).toEqual(['shape:gone', 'shape:kept', 'shape:risk'])
		expect(versionExport.votingSessions).toEqual([])

		const compared = await api.get(board, `/compare?from=${saved.id}&to=live`, 'participant')
		expect(compared.status).toBe(200)
		const { comparison } = (await compared.json()) as { comparison: BoardComparison }
		expect(comparison.added.map((item) => item.id)).toEqual(['shape:new'])
		expect(comparison.removed.map((item) => item.id)).toEqual(['shape:gone'])
		expect(comparison.edited).toEqual([
			{ item: expect.objectContaining({ id: 'shape:kept' }), fields: ['text'], text: { from: 'Onboarding checklist', to: 'Onboarding checklist v2' } },
		])
		expect(comparison.rice).toEqual([{ item: expect.objectContaining({ id: 'shape:kept' }), fields: ['impact'], from: 80, to: 120 }])
		expect(comparison.votes).toEqual([{ item: expect.objectContaining({ id: 'shape:risk' }), from: 0, to: 1 }])
		expect(comparison.newVotingSessions).toEqual([{ id: sessionId, title: 'Pick' }])
		// Live against live: nothing changed.
		const same = (await (await api.get(board, '/compare?from=live&to=live')).json()) as { comparison: BoardComparison }
		expect(same.comparison.summary.unchanged).toBe(true)

		// A version saved now carries the vote; comparing it backwards shows the vote going away.
		const withVotes = (await (await api.post(board, '/versions', { name: 'After voting' })).json()) as VersionSummary
		const backwards = (await (await api.get(board, `/compare?from=${withVotes.id}&to=${saved.id}`)).json()) as { comparison: BoardComparison }
		expect(backwards.comparison.votes).toEqual([{ item: expect.objectContaining({ id: 'shape:risk' }), from: 1, to: 0 }])

		// Restore: a new board with the version's content and its own links; the live board is untouched.
		const restored = await api.post(board, `/versions/${saved.id}/restore`, '')
		expect(restored.status).toBe(201)
		const copy = (await restored.json()) as Board & { url: string; title: string }
		expect(copy.id).not.toBe(board.id)
		expect(copy.title).toBe('Roadmap (restored: Before voting)')
		expect(Object.keys(copy.links).sort()).toEqual(['facilitator', 'participant', 'viewer'])
		const copyExport = await api.exportLive(copy)
		expect(copyExport.board.title).toBe('Roadmap (restored: Before voting)')
		expect(copyExport.items.map((item) => item.id).sort()).toEqual(['shape:gone', 'shape:kept', 'shape:risk'])
		expect(copyExport.items.find((item) => item.id === 'shape:kept')?.rice.score).toBe(80)
		expect((await api.exportLive(board)).items.map((item) => item.id).sort()).toEqual(['shape:kept', 'shape:new', 'shape:risk'])
		// The copy's link works for a live client, and the copy has no versions of its own yet.
		const copyWriter = connectClient(wsUrl(), copy.id, { params: { token: api.token(copy, 'participant') } })
		providers.push(copyWriter)
		await waitForSynced(copyWriter)
		expect(getRecordsMap(copyWriter.doc).has('shape:gone')).toBe(true)
		expect((await api.list(copy)).versions).toEqual([])

		// The read-only view's document: the version's Yjs state.
		const documentResponse = await api.get(board, `/versions/${saved.id}/document`, 'viewer')
		expect(documentResponse.headers.get('content-type')).toBe('application/octet-stream')
		const doc = new Y.Doc()
		Y.applyUpdate(doc, new Uint8Array(await documentResponse.arrayBuffer()))
		expect([...getRecordsMap(doc).keys()].filter((id) => id.startsWith('shape:')).sort()).toEqual(['shape:gone', 'shape:kept', 'shape:risk'])
		doc.destroy()
	})

	it('roles: any role reads, only the facilitator writes', async () => {
		const board = await api.createBoard('Roles')
		expect((await api.post(board, '/versions', { name: 'x' }, 'participant')).status).toBe(403)
		expect((await api.post(board, '/versions', { name: 'x' }, 'viewer')).status).toBe(403)
		expect((await api.post(board, '/versions', { name: 'x' }, null)).status).toBe(401)
		expect((await api.get(board, '/versions', null)).status).toBe(401)
		const saved = (await (await api.post(board, '/versions', { name: 'Mine' })).json()) as VersionSummary
		for (const role of ['viewer', 'participant', 'facilitator'] as const) {
			expect((await api.get(board, '/versions', role)).status).toBe(200)
			expect((await api.get(board, `/versions/${saved.id}/export.json`, role)).status).toBe(200)
			expect((await api.get(board, `/compare?from=${saved.id}&to=live`, role)).status).toBe(200)
		}
		expect((await api.post(board, `/versions/${saved.id}/restore`, '', 'participant')).status).toBe(403)
		const del = (role: Role) =>
			fetch(`${server.url}/api/boards/${board.id}/versions/${saved.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${api.token(board, role)}` } })
		expect((await del('viewer')).status).toBe(403)
		expect((await del('facilitator')).status).toBe(204)
		expect((await del('facilitator')).status).toBe(404)
	})

	it('bad input: unknown and foreign versions are 404, empty, missing and oversized names are 400 with a message', async () => {
		const board = await api.createBoard('Mine')
		const other = await api.createBoard('Someone else’s')
		const foreign = (await (await api.post(other, '/versions', { name: 'Theirs' })).json()) as VersionSummary

		const expectError = async (response: Response, status: number, error: string | RegExp) => {
			expect(response.status).toBe(status)
			const body = (await response.json()) as { error: string }
			expect(body.error).toMatch(error)
		}
		await expectError(await api.get(board, '/versions/AAAAAAAAAAAAAAAA/export.json'), 404, 'version not found')
		await expectError(await api.get(board, '/versions/not a version!/export.json'), 404, 'version not found')
		// Another board's version through this board's path (and this board's token): as if it did not exist.
		await expectError(await api.get(board, `/versions/${foreign.id}/export.json`), 404, 'version not found')
		await expectError(await api.get(board, `/versions/${foreign.id}`), 404, 'version not found')
		await expectError(await api.get(board, `/versions/${foreign.id}/document`), 404, 'version not found')
		await expectError(await api.get(board, `/compare?from=${foreign.id}&to=live`), 404, 'version not found')
		await expectError(await api.post(board, `/versions/${foreign.id}/restore`, ''), 404, 'version not found')
		await expectError(await api.get(board, '/compare?to=live'), 400, /from is required/)
		// Through its own board it is there; this board's token does not open the other board.
		expect((await api.get(other, `/versions/${foreign.id}/export.json`)).status).toBe(200)
		expect((await api.get(board, `/versions/${foreign.id}/export.json`, 'facilitator', other.id)).status).toBe(403)
		expect((await api.post(board, '/versions', { name: 'x' }, 'facilitator', other.id)).status).toBe(403)

		// A board that was never created (nobody holds a token for it): 404.
		await expectError(await fetch(`${server.url}/api/boards/${'b'.repeat(22)}/versions`), 404, 'board not found')
		await expectError(await fetch(`${server.url}/api/boards/${'b'.repeat(22)}/compare?from=live&to=live`), 404, 'board not found')
		// Writing to it without a token: refused before anything is looked up (nobody is its facilitator).
		await expectError(
			await fetch(`${server.url}/api/boards/${'b'.repeat(22)}/versions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' }),
			403,
			'forbidden',
		)
		await expectError(await fetch(`${server.url}/api/boards/${'b'.repeat(22)}/versions/${foreign.id}/export.json`), 404, 'version not found')
		await expectError(await fetch(`${server.url}/api/boards/not-a-board!/versions`), 404, 'board not found')

		await expectError(await api.post(board, '/versions', { name: '   ' }), 400, /name must not be empty/)
		await expectError(await api.post(board, '/versions', {}), 400, /name is required/)
		await expectError(await api.post(board, '/versions', { name: 42 }), 400, /name must be a string/)
		await expectError(await api.post(board, '/versions', { name: 'x'.repeat(121) }), 400, /name must be at most 120 characters/)
		await expectError(await api.post(board, '/versions', { name: 'ok', extra: 1 }), 400, /invalid version/)
		expect((await api.post(board, '/versions', '{not json')).status).toBe(400)
		expect((await api.post(board, '/versions', { name: 'x'.repeat(120) })).status).toBe(201)
		expect((await api.list(board)).versions).toHaveLength(1)
	})
})

describe('versions API: per-board caps', () => {
	let dataDir: string
	let server: RunningServer
	const clock = { now: Date.UTC(2026, 2, 2, 9, 0, 0) }

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startVersionsServer(dataDir, clock, { maxVersionsPerBoard: 2, autoIntervalMs: 0 })
	})

	afterAll(async () => {
		await server?.close()
		if (dataDir) await removeDir(dataDir)
	})

	it('refuses a named version past the cap with a clear message, and takes it again once one is deleted', async () => {
		const api = apiOf(server)
		const board = await api.createBoard('Capped')
		const first = (await (await api.post(board, '/versions', { name: 'One' })).json()) as VersionSummary
		clock.now += MINUTE
		expect((await api.post(board, '/versions', { name: 'Two' })).status).toBe(201)
		clock.now += MINUTE
		const third = await api.post(board, '/versions', { name: 'Three' })
		expect(third.status).toBe(409)
		expect(((await third.json()) as { error: string }).error).toMatch(/version limit \(2 versions/)
		await fetch(`${server.url}/api/boards/${board.id}/versions/${first.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${api.token(board, 'facilitator')}` } })
		expect((await api.post(board, '/versions', { name: 'Three' })).status).toBe(201)
		expect((await api.list(board)).versions.map((version) => version.name)).toEqual(['Three', 'Two'])
	})
})
