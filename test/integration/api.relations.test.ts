/**
 * Links, experiments and the MVP against a real server process, written by a
 * stock Yjs client exactly as docs/protocol.md §6 describes (an arrow shape
 * and two arrow binding records, experiment and mvp fields in note meta): the
 * server's export carries the relations, importance, experiment and MVP; an
 * import of that export creates a board whose export is the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type { BoardExport } from '../../shared/export'
import { getRecordsMap, readAllRecords, recordToYMap } from '../../shared/recordCodec'
import { arrowBindingRecord, arrowShapeProps, noteShapeRecord, shapeRecordBase } from '../../shared/shapeRecords'
import { normalizeExport } from '../helpers/normalizeExport'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'
import { connectClient, destroyClients, makeTempDir, removeDir, startServerProcess, waitFor, waitForSynced, type ServerProcess } from './helpers'

type Role = 'facilitator' | 'participant' | 'viewer'

describe('links between items through the documented layout (HTTP export and import)', () => {
	let dataDir: string
	let server: ServerProcess
	const providers: WebsocketProvider[] = []

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServerProcess({ dataDir })
	})

	afterAll(async () => {
		destroyClients(...providers)
		await server?.stop()
		if (dataDir) await removeDir(dataDir)
	})

	async function createBoard(): Promise<{ id: string; token: (role: Role) => string }> {
		const created = await fetch(`${server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Links', template: 'blank' }) })
		expect(created.status).toBe(201)
		const board = (await created.json()) as { id: string; links: Record<Role, string> }
		return { id: board.id, token: (role) => new URL(board.links[role]).searchParams.get('token') ?? '' }
	}

	const exportJson = async (id: string, token: string) => {
		const response = await fetch(`${server.url}/api/boards/${id}/export.json?token=${encodeURIComponent(token)}`)
		expect(response.status).toBe(200)
		return (await response.json()) as BoardExport
	}

	it('exports arrows bound at both ends as relations, and an import recreates them', async () => {
		const board = await createBoard()
		const writer = connectClient(server.wsUrl, board.id, { params: { token: board.token('participant') } })
		providers.push(writer)
		await waitForSynced(writer)
		const records = getRecordsMap(writer.doc)
		const put = (record: Record<string, unknown> & { id: string }) => records.set(record.id, recordToYMap(record as never))
		let arrows = 0
		const link = (id: string, start: string, end: string, meta: Record<string, unknown> = {}) => {
			// Index keys above the notes' 'a1': 'a5', 'a6', …
			put({ ...shapeRecordBase(id, 'arrow', 'page:page', `a${5 + arrows++}`, 0, 0), props: arrowShapeProps({ x: 300, y: 0 }), meta })
			put(arrowBindingRecord(`binding:${id.slice(6)}-start`, id, start, 'start'))
			put(arrowBindingRecord(`binding:${id.slice(6)}-end`, id, end, 'end'))
		}
		writer.doc.transact(() => {
			put(noteShapeRecord({ id: 'shape:feature', x: 0, text: 'Onboarding checklist', meta: { kind: 'feature', mvp: true } }))
			put(noteShapeRecord({ id: 'shape:insight', x: 300, text: 'Users ask where to start', meta: { kind: 'insight' } }))
			put(noteShapeRecord({ id: 'shape:experiment', x: 600, text: 'Fake door', meta: { kind: 'experiment', experiment: { hypothesis: 'They click it', metric: 'clicks', threshold: '10%', result: 'running' } } }))
			put(noteShapeRecord({ id: 'shape:problem', x: 900, text: 'Teams stall', meta: { kind: 'problem' } }))
			link('shape:l1', 'shape:insight', 'shape:feature', { weight: 3 })
			link('shape:l2', 'shape:experiment', 'shape:feature')
			link('shape:l3', 'shape:problem', 'shape:feature') // drawn backwards: the feature solves the problem
			link('shape:l4', 'shape:insight', 'shape:problem', { relationType: 'nonsense' }) // malformed: inferred relates
		})
		await waitFor(async () => (await exportJson(board.id, board.token('viewer'))).relations.length === 4, { message: 'links reached the server' })
		const data = await exportJson(board.id, board.token('viewer'))
		expectValidAgainstExportJsonSchema(data)
		expect(data.relations.map(({ id, from, to, type, weight }) => ({ id, from, to, type, weight }))).toEqual([
			{ id: 'shape:l3', from: 'shape:feature', to: 'shape:problem', type: 'solves', weight: undefined },
			{ id: 'shape:l1', from: 'shape:insight', to: 'shape:feature', type: 'supports', weight: 3 },
			{ id: 'shape:l4', from: 'shape:insight', to: 'shape:problem', type: 'relates', weight: undefined },
			{ id: 'shape:l2', from: 'shape:experiment', to: 'shape:feature', type: 'tests', weight: undefined },
		])
		const feature = data.items.find((i) => i.id === 'shape:feature')!
		expect(feature).toMatchObject({ importance: 3, mvp: true, experiment: null })
		expect(data.items.find((i) => i.id === 'shape:experiment')!.experiment).toEqual({ hypothesis: 'They click it', metric: 'clicks', threshold: '10%', result: 'running' })
		const md = await (await fetch(`${server.url}/api/boards/${board.id}/export.md?token=${encodeURIComponent(board.token('viewer'))}`)).text()
		expect(md).toContain('## MVP')
		expect(md).toContain('  - Experiment: Fake door — **running** (metric clicks, threshold 10%)')

		const imported = await fetch(`${server.url}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) })
		expect(imported.status).toBe(201)
		const copy = (await imported.json()) as { id: string; links: Record<Role, string> }
		const copyToken = new URL(copy.links.viewer).searchParams.get('token') ?? ''
		const again = await exportJson(copy.id, copyToken)
		expect(normalizeExport(again)).toEqual(normalizeExport({ ...data, board: { ...data.board, title: again.board.title } }))
		// The copy's document holds real arrows and bindings a tldraw client draws.
		const reader = connectClient(server.wsUrl, copy.id, { params: { token: copyToken } })
		providers.push(reader)
		await waitForSynced(reader)
		const copied = [...readAllRecords(reader.doc).values()]
		expect(copied.filter((r) => r.typeName === 'shape' && r.type === 'arrow')).toHaveLength(4)
		expect(copied.filter((r) => r.typeName === 'binding' && r.type === 'arrow')).toHaveLength(8)
	})
})
