/**
 * The boards HTTP API and the export CLI against a real server process:
 * a board written by a plain Yjs client (docs/protocol.md) is exported over
 * HTTP and by `scripts/export-board.ts`, validated with the committed JSON
 * Schema; templates, import round-trip, refusals and hostile input.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createTLStore } from '@tldraw/editor'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { BOARD_META_MAP, DOC_LAYOUT_VERSION, RECORDS_MAP } from '../../shared/docLayout'
import { CloseCode } from '../../shared/protocol'
import { parseBoardImport, type BoardExport } from '../../shared/export'
import { normalizeExport } from '../helpers/normalizeExport'
import {
	connectClient,
	destroyClients,
	fetchHealth,
	makeTempDir,
	queryStored,
	removeDir,
	runExportCli,
	startServerProcess,
	waitFor,
	waitForSynced,
	type ServerProcess,
} from './helpers'
import { noteShapeRecord } from '../../shared/shapeRecords'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'

const expectSchemaValid = expectValidAgainstExportJsonSchema

const clientSchema = createTLStore({}).schema.serialize()

// ---------------------------------------------------------------------------
// A plain Yjs client following docs/protocol.md: one Y.Map per record, with
// `props` and `meta` as nested Y.Maps and every other value plain JSON.

type Json = Record<string, unknown>

function writeRecord(records: Y.Map<unknown>, record: Json): void {
	const ymap = new Y.Map<unknown>()
	for (const [field, value] of Object.entries(record)) {
		if (field === 'props' || field === 'meta') {
			const nested = new Y.Map<unknown>()
			for (const [key, inner] of Object.entries(value as Json)) nested.set(key, inner)
			ymap.set(field, nested)
		} else ymap.set(field, value)
	}
	records.set(record.id as string, ymap)
}

function shape(id: string, type: string, parentId: string, index: string, x: number, y: number, props: Json, meta: Json): Json {
	return { id, typeName: 'shape', type, parentId, index, x, y, rotation: 0, isLocked: false, opacity: 1, props, meta }
}

function frame(id: string, parentId: string, index: string, x: number, y: number, w: number, h: number, name: string, meta: Json): Json {
	return shape(id, 'frame', parentId, index, x, y, { w, h, name, color: 'black' }, meta)
}

function note(id: string, parentId: string, index: string, x: number, y: number, text: string, meta: Json): Json {
	return noteShapeRecord({ id, parentId, index, x, y, text, meta: meta as Record<string, unknown> }) as unknown as Json
}

const AUTHOR = { id: 'participant-1', name: 'Alex' }
const T0 = Date.UTC(2026, 0, 15, 9, 0, 0)
const JTBD_TEXT = 'When I join a workshop late, I want to see what happened so far, so I can catch up without interrupting'

/** The workshop board of these tests: a Now lane with a theme and typed notes, a second theme, loose notes. */
function writeWorkshopBoard(doc: Y.Doc): void {
	doc.transact(() => {
		const meta = doc.getMap<unknown>(BOARD_META_MAP)
		meta.set('tldrawSchema', clientSchema)
		meta.set('layoutVersion', DOC_LAYOUT_VERSION)
		meta.set('title', 'Plain client: Q3 discovery')
		meta.set('template', 'discovery')
		meta.set('createdAt', T0)
		const records = doc.getMap<unknown>(RECORDS_MAP)
		writeRecord(records, { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} })
		writeRecord(records, { id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} })
		writeRecord(records, frame('shape:lane-now', 'page:page', 'a1', 0, 0, 2000, 1600, 'Now', { lane: 'now' }))
		writeRecord(
			records,
			frame('shape:theme-activation', 'shape:lane-now', 'a1', 100, 100, 1200, 900, 'Activation', {
				theme: { title: 'Activation', description: 'Get teams to their first workshop', goal: { metric: 'weekly active teams', target: '+20% by Q3', northStar: true } },
			}),
		)
		writeRecord(
			records,
			note('shape:idea-templates', 'shape:theme-activation', 'a1', 50, 60, 'Workshop templates', {
				kind: 'idea',
				tags: ['Onboarding', '#growth'],
				author: AUTHOR,
				createdAt: T0,
				updatedAt: T0 + 1000,
				rice: { reach: 1000, impact: 2, confidence: 80, effort: 4 },
			}),
		)
		writeRecord(
			records,
			note('shape:feature-invite', 'shape:theme-activation', 'a2', 400, 60, 'Invite by link', {
				kind: 'feature',
				tags: ['onboarding'],
				author: AUTHOR,
				createdAt: T0,
				rice: { reach: 500, impact: 1, confidence: 50 },
			}),
		)
		writeRecord(
			records,
			note('shape:jtbd-late', 'shape:theme-activation', 'a3', 50, 400, JTBD_TEXT, { kind: 'jtbd', author: AUTHOR, createdAt: T0 }),
		)
		writeRecord(
			records,
			frame('shape:theme-pricing', 'page:page', 'a2', 2500, 0, 1000, 800, 'Pricing', {
				theme: { title: 'Pricing', description: '', goal: { metric: 'paid conversion', target: '5%', northStar: false } },
			}),
		)
		writeRecord(records, note('shape:kpi-conversion', 'shape:theme-pricing', 'a1', 100, 100, 'Trial to paid conversion', { kind: 'kpi' }))
		writeRecord(records, note('shape:problem-loose', 'page:page', 'a3', 500, 3000, '=cmd|calc, "quoted"', { kind: 'problem', tags: ['pricing'] }))
	})
}

// ---------------------------------------------------------------------------

async function boardCount(dataDir: string): Promise<number> {
	return (await queryStored<{ n: number }>(dataDir, 'SELECT COUNT(*) AS n FROM boards'))[0].n
}

const BOARD_ID = '-plain-client-board' // base64url ids may start with '-': the CLI must still take it as the id

describe('boards API and export CLI', () => {
	let dataDir: string
	let server: ServerProcess
	const providers: WebsocketProvider[] = []

	const api = (p: string, init?: RequestInit) => fetch(`${server.url}${p}`, init)
	const postJson = (p: string, body: unknown) =>
		api(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })
	const exportJson = async (id: string, token?: string): Promise<BoardExport> => {
		const response = await api(`/api/boards/${encodeURIComponent(id)}/export.json`, token ? { headers: { authorization: `Bearer ${token}` } } : undefined)
		expect(response.status).toBe(200)
		return (await response.json()) as BoardExport
	}
	const connect = async (id: string, token?: string) => {
		const provider = connectClient(server.wsUrl, id, token ? { params: { token } } : {})
		providers.push(provider)
		await waitForSynced(provider)
		return provider
	}

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServerProcess({ boards: [BOARD_ID, 'hostile-board'], dataDir, env: { ROOM_UNLOAD_DELAY_MS: '100' } })
		const writer = await connect(BOARD_ID)
		writeWorkshopBoard(writer.doc)
		// The live room has it once the export lists every note.
		await waitFor(async () => (await exportJson(BOARD_ID)).items.length === 5, { message: 'board written by the plain client' })
	})

	afterAll(async () => {
		destroyClients(...providers)
		await server?.stop()
		if (dataDir) await removeDir(dataDir)
	})

	it('exports a board written by a plain Yjs client: JSON Schema valid, typed items, themes, lanes, RICE', async () => {
		const response = await api(`/api/boards/${BOARD_ID}/export.json`)
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
		expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="plain-client-q3-discovery-\d{4}-\d{2}-\d{2}\.json"$/)
		const data = (await response.json()) as BoardExport
		expectSchemaValid(data)
		expect(parseBoardImport(data).ok).toBe(true)
		expect(data.board).toMatchObject({ id: BOARD_ID, title: 'Plain client: Q3 discovery', template: 'discovery' })

		const byId = new Map(data.items.map((item) => [item.id, item]))
		expect(Object.fromEntries(data.items.map((i) => [i.id, i.kind]))).toEqual({
			'shape:idea-templates': 'idea',
			'shape:feature-invite': 'feature',
			'shape:jtbd-late': 'jtbd',
			'shape:kpi-conversion': 'kpi',
			'shape:problem-loose': 'problem',
		})
		expect(byId.get('shape:idea-templates')).toMatchObject({
			text: 'Workshop templates',
			tags: ['onboarding', 'growth'],
			author: AUTHOR,
			createdAt: new Date(T0).toISOString(),
			updatedAt: new Date(T0 + 1000).toISOString(),
			themeId: 'shape:theme-activation',
			lane: 'now',
			rice: { reach: 1000, impact: 2, confidence: 80, effort: 4, score: 400, status: 'complete' },
		})
		expect(byId.get('shape:feature-invite')!.rice).toEqual({ reach: 500, impact: 1, confidence: 50, effort: null, score: null, status: 'incomplete' })
		expect(byId.get('shape:jtbd-late')!.jtbd).toMatchObject({ situation: expect.stringContaining('join a workshop late'), status: 'complete' })
		expect(byId.get('shape:kpi-conversion')).toMatchObject({ themeId: 'shape:theme-pricing', lane: null })
		expect(byId.get('shape:problem-loose')).toMatchObject({ themeId: null, lane: null, tags: ['pricing'] })

		expect(data.themes.map((t) => [t.id, t.title, t.lane, t.goal.northStar, [...t.itemIds].sort()])).toEqual([
			// Reading order: the Pricing frame's top (page y 0) is above Activation's (page y 100).
			['shape:theme-pricing', 'Pricing', null, false, ['shape:kpi-conversion']],
			['shape:theme-activation', 'Activation', 'now', true, ['shape:feature-invite', 'shape:idea-templates', 'shape:jtbd-late']],
		])
		expect(data.lanes).toEqual([
			{ id: 'now', themeIds: ['shape:theme-activation'] },
			{ id: 'next', themeIds: [] },
			{ id: 'later', themeIds: [] },
		])
	})

	it('answers CSV and Markdown (by extension and by ?format=)', async () => {
		const csv = await api(`/api/boards/${BOARD_ID}/export.csv`)
		expect(csv.status).toBe(200)
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
		expect(csv.headers.get('content-disposition')).toMatch(/filename="plain-client-q3-discovery-\d{4}-\d{2}-\d{2}\.csv"/)
		const rows = (await csv.text()).trimEnd().split('\r\n')
		expect(rows).toHaveLength(1 + 5)
		expect(rows[0].split(',').slice(0, 3)).toEqual(['id', 'kind', 'text'])
		expect(rows.find((row) => row.startsWith('shape:problem-loose'))).toContain(`"'=cmd|calc, ""quoted"""`)

		const md = await api(`/api/boards/${BOARD_ID}/export?format=md`)
		expect(md.status).toBe(200)
		expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
		const text = await md.text()
		expect(text).toContain('Plain client: Q3 discovery')
		expect(text).toContain('Activation')
		expect(text).toContain('weekly active teams')

		expect((await api(`/api/boards/${BOARD_ID}/export?format=xml`)).status).toBe(400)
		expect((await api(`/api/boards/${BOARD_ID}/export.pdf`)).status).toBe(400)
	})

	it('exports from storage once the room is unloaded, and the CLI gives the same export (also while the server runs)', async () => {
		const live = await exportJson(BOARD_ID)
		destroyClients(...providers.splice(0))
		await waitFor(async () => (await fetchHealth(server.url)).rooms === 0, { message: 'room unloaded' })
		const stored = await exportJson(BOARD_ID)
		expect({ ...stored, board: { ...stored.board, exportedAt: '' } }).toEqual({ ...live, board: { ...live.board, exportedAt: '' } })
		expect((await fetchHealth(server.url)).rooms).toBe(0) // the export did not load the room

		const cli = await runExportCli([BOARD_ID], dataDir)
		expect(cli.stderr).toBe('')
		expect(cli.code).toBe(0)
		const fromCli = JSON.parse(cli.stdout) as BoardExport
		expectSchemaValid(fromCli)
		expect({ ...fromCli, board: { ...fromCli.board, exportedAt: '' } }).toEqual({ ...live, board: { ...live.board, exportedAt: '' } })

		const outFile = path.join(dataDir, 'summary.md')
		const md = await runExportCli(['--format', 'md', '--out', outFile, BOARD_ID], dataDir)
		expect(md.code).toBe(0)
		expect(md.stdout).toBe('')
		expect(fs.readFileSync(outFile, 'utf8')).toContain('Activation')
	})

	it('CLI: clear errors and exit codes for an unknown board and bad arguments', async () => {
		const unknown = await runExportCli(['no-such-board'], dataDir)
		expect(unknown.code).toBe(1)
		expect(unknown.stderr).toContain('board no-such-board not found')
		expect(unknown.stdout).toBe('')
		const badFormat = await runExportCli([BOARD_ID, '--format', 'xml'], dataDir)
		expect(badFormat.code).toBe(2)
		expect(badFormat.stderr).toMatch(/unknown format "xml"[\s\S]*usage:/)
		const noId = await runExportCli([], dataDir)
		expect(noId.code).toBe(2)
		expect(noId.stderr).toContain('usage:')
	})

	it('POST /api/boards creates each template; a stock client syncing the new board sees its frames', async () => {
		const expectations = {
			discovery: { title: 'Q3 discovery', frames: 14 /* 7 stages, 3 lanes, 4 Vision prompts */, stages: [1, 2, 3, 4, 5, 6, 7] },
			retro: { title: 'Retrospective', frames: 4, stages: [] },
			blank: { title: 'Untitled board', frames: 0, stages: [] },
		} as const
		for (const [template, expected] of Object.entries(expectations)) {
			const body = template === 'discovery' ? { template, title: '  Q3 discovery ' } : { template }
			const response = await postJson('/api/boards', body)
			expect(response.status, template).toBe(201)
			const created = (await response.json()) as { id: string; url: string; links: Record<string, string> }
			expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
			expect(created.url).toBe(`${server.url}/b/${created.id}`)
			// New boards have role links (docs/sessions.md); the facilitator's token opens it.
			const token = new URL(created.links.facilitator).searchParams.get('token') ?? ''

			const client = await connect(created.id, token)
			const records = client.doc.getMap<Y.Map<unknown>>(RECORDS_MAP)
			const frames = [...records.values()].filter((r) => r.get('type') === 'frame')
			expect(frames, template).toHaveLength(expected.frames)
			const stageFrames = frames
				.filter((f) => (f.get('meta') as Y.Map<unknown>).get('stage') !== undefined)
				.sort((a, b) => (a.get('y') as number) - (b.get('y') as number) || (a.get('x') as number) - (b.get('x') as number))
			expect(stageFrames.map((f) => (f.get('meta') as Y.Map<unknown>).get('stage'))).toEqual(expected.stages)
			if (template === 'discovery') expect((stageFrames[0].get('props') as Y.Map<unknown>).get('name')).toBe('1 · Problem & JTBD')
			// Every board has tldraw's document and page, so the client loads it as-is.
			expect(records.has('document:document') && records.has('page:page')).toBe(true)
			const meta = client.doc.getMap<unknown>(BOARD_META_MAP)
			expect(meta.get('title')).toBe(expected.title)
			expect(meta.get('template')).toBe(template)
			expect(meta.get('layoutVersion')).toBe(DOC_LAYOUT_VERSION)
			expect(typeof meta.get('createdAt')).toBe('number')
			// The schema the server writes is the one the browser's store has: no migration, no "reload".
			expect(meta.get('tldrawSchema')).toEqual(clientSchema)

			const exported = await exportJson(created.id, token)
			expectSchemaValid(exported)
			expect(exported.items).toEqual([])
		}
		// No body at all creates a blank board.
		const bare = await api('/api/boards', { method: 'POST' })
		expect(bare.status).toBe(201)
	})

	it('POST /api/boards refuses bad bodies with a JSON error', async () => {
		const cases: [unknown, number, string][] = [
			[{ template: 'kanban' }, 400, 'template'],
			[{ title: '' }, 400, 'title'],
			[{ title: 'x'.repeat(201) }, 400, 'title'],
			[{ template: 'blank', extra: true }, 400, ''],
			[[1, 2], 400, ''],
			['{"template": "retro"', 400, ''],
		]
		for (const [body, status, issuePath] of cases) {
			const response = await postJson('/api/boards', body)
			expect(response.status, JSON.stringify(body)).toBe(status)
			const error = (await response.json()) as { error: string; issues?: { path: string; message: string }[] }
			expect(typeof error.error).toBe('string')
			if (issuePath) expect(error.issues?.map((i) => i.path)).toContain(issuePath)
		}
		const wrongType = await api('/api/boards', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })
		expect(wrongType.status).toBe(415)
		expect(await wrongType.json()).toEqual({ error: 'expected Content-Type: application/json' })
	})

	it('import: export → import → export is equal apart from ids and timestamps', async () => {
		const first = await exportJson(BOARD_ID)
		const response = await postJson('/api/boards/import', first)
		expect(response.status).toBe(201)
		const created = (await response.json()) as { id: string; url: string; links: Record<string, string> }
		expect(created.id).not.toBe(BOARD_ID)
		expect(created.url).toBe(`${server.url}/b/${created.id}`)
		const token = new URL(created.links.participant).searchParams.get('token') ?? ''
		const second = await exportJson(created.id, token)
		expectSchemaValid(second)
		expect(second.items.map((i) => i.id)).not.toEqual(first.items.map((i) => i.id))
		expect(normalizeExport(second)).toEqual(normalizeExport(first))

		// The imported board is a real board: a stock client sees its notes.
		const client = await connect(created.id, token)
		const notes = [...client.doc.getMap<Y.Map<unknown>>(RECORDS_MAP).values()].filter((r) => r.get('type') === 'note')
		expect(notes).toHaveLength(first.items.length)
	})

	it('import: an invalid file gets 422 with issue paths and writes nothing', async () => {
		const valid = await exportJson(BOARD_ID)
		const badKind = structuredClone(valid) as unknown as { items: Json[]; themes: Json[] }
		badKind.items[0].kind = 'wish'
		delete badKind.items[1].text
		// Cross-references are checked once the shapes are right.
		const badRefs = structuredClone(valid) as unknown as { items: Json[]; themes: Json[] }
		badRefs.themes[0].itemIds = ['shape:nope']
		const before = await boardCount(dataDir)
		const cases: [unknown, string[]][] = [
			[badKind, ['items.0.kind', 'items.1.text']],
			[badRefs, ['themes.0.itemIds.0']],
			[{ ...valid, schemaVersion: 99 }, ['schemaVersion']],
			[{ hello: 'world' }, ['schemaVersion']],
		]
		for (const [body, paths] of cases) {
			const response = await postJson('/api/boards/import', body)
			expect(response.status).toBe(422)
			const error = (await response.json()) as { error: string; issues: { path: string; message: string }[] }
			expect(error.error).toBe('invalid board export')
			for (const p of paths) expect(error.issues.map((i) => i.path)).toContain(p)
			for (const issue of error.issues) expect(issue.message.length).toBeGreaterThan(0)
		}
		expect((await postJson('/api/boards/import', 'not json at all')).status).toBe(400)
		expect(await boardCount(dataDir)).toBe(before)
	})

	it('unknown boards, bad ids and wrong methods are refused', async () => {
		const unknown = await api('/api/boards/unknown-board-id/export.json')
		expect(unknown.status).toBe(404)
		expect(await unknown.json()).toEqual({ error: 'board not found' })
		expect((await api('/api/boards/bad%20id!/export.json')).status).toBe(404)
		expect((await api('/api/boards', { method: 'GET' })).status).toBe(405)
		expect((await api(`/api/boards/${BOARD_ID}/export.json`, { method: 'POST' })).status).toBe(405)
		// A socket to a board that was never created is refused (4404) and creates nothing.
		const socket = new WebSocket(`${server.wsUrl}/opened-but-empty`)
		const closeCode = await new Promise<number>((resolve, reject) => socket.on('close', resolve).on('error', reject))
		expect(closeCode).toBe(CloseCode.notFound)
		expect((await api('/api/boards/opened-but-empty/export.json')).status).toBe(404)
	})

	it('never crashes on a hostile document: garbage records are skipped, the export stays valid', async () => {
		const hostile = await connect('hostile-board')
		hostile.doc.transact(() => {
			const meta = hostile.doc.getMap<unknown>(BOARD_META_MAP)
			meta.set('title', 12345)
			meta.set('template', { evil: true })
			const records = hostile.doc.getMap<unknown>(RECORDS_MAP)
			records.set('shape:not-a-map', 'just a string')
			records.set('page:page', 42)
			const weird = new Y.Map<unknown>()
			weird.set('id', 'shape:weird')
			weird.set('typeName', 'shape')
			weird.set('type', 'note')
			weird.set('parentId', 'shape:weird') // its own parent
			weird.set('x', 'far away')
			weird.set('props', new Y.Array())
			weird.set('meta', new Y.Text('kind: idea'))
			records.set('shape:weird', weird)
			// Far away but finite after the export's 0.01 rounding (|x| > ~1.8e306 overflows it: reported, shared/export/build.ts).
			writeRecord(
				records,
				note('shape:evil-meta', 'shape:missing-parent', 'a1', 1e300, -1e300, 'x', {
					kind: 'villain',
					tags: 'not-an-array',
					rice: { reach: -1, impact: 7, confidence: 'high', effort: 0 },
					author: { id: 1 },
					createdAt: 'yesterday',
				}),
			)
			let deep: Json = { type: 'text', text: 'deep' }
			for (let i = 0; i < 300; i++) deep = { type: 'paragraph', content: [deep] }
			writeRecord(records, note('shape:deep', 'page:page', 'a2', 0, 0, '', { kind: 'idea' }))
			;((records.get('shape:deep') as Y.Map<unknown>).get('props') as Y.Map<unknown>).set('richText', { type: 'doc', content: [deep] })
			writeRecord(records, frame('shape:cycle-a', 'shape:cycle-b', 'a1', 0, 0, 100, 100, 'a', { theme: 'yes', lane: 'soon' }))
			writeRecord(records, frame('shape:cycle-b', 'shape:cycle-a', 'a1', 0, 0, -5, Number.NaN, 'b', { matrix: { xAxis: 'up' } }))
		})
		await waitFor(async () => (await api('/api/boards/hostile-board/export.json')).status === 200, { message: 'hostile board stored' })
		for (const format of ['json', 'csv', 'md']) {
			const response = await api(`/api/boards/hostile-board/export.${format}`)
			expect(response.status, format).toBe(200)
			if (format === 'json') {
				const data = (await response.json()) as BoardExport
				expectSchemaValid(data)
				expect(parseBoardImport(data).ok).toBe(true)
				expect(data.board.title).toBe('')
			} else await response.text()
		}
		expect((await fetchHealth(server.url)).ok).toBe(true)
	})

	it('hostile body sizes and garbage get 4xx and the server keeps serving', async () => {
		const big = 'x'.repeat(21 * 1024 * 1024)
		const tooBigCreate = await postJson('/api/boards', big)
		expect(tooBigCreate.status).toBe(413)
		expect((await tooBigCreate.json()) as { error: string }).toHaveProperty('error')
		expect((await postJson('/api/boards/import', big)).status).toBe(413)
		// Chunked, without Content-Length: cut off once past the limit.
		const chunks = new ReadableStream<Uint8Array>({
			start(controller) {
				const chunk = new TextEncoder().encode('y'.repeat(1024 * 1024))
				for (let i = 0; i < 22; i++) controller.enqueue(chunk)
				controller.close()
			},
		})
		const chunked = await api('/api/boards/import', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: chunks,
			duplex: 'half',
		} as RequestInit)
		expect(chunked.status).toBe(413)
		for (const garbage of ['\u0000\u0001\u0002', '{"schemaVersion":1,', 'null', '"string"', '[]', '1e999']) {
			const status = (await postJson('/api/boards/import', garbage)).status
			expect([400, 422], garbage).toContain(status)
		}
		const binary = await api('/api/boards/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array([0xff, 0xfe, 0x00, 0x81]) })
		expect(binary.status).toBe(400)
		expect((await fetchHealth(server.url)).ok).toBe(true)
		expect((await postJson('/api/boards', { template: 'blank' })).status).toBe(201)
	})
})
