import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import {
	assertMigrationSequence,
	BOARD_EXPORT_MIGRATIONS,
	BOARD_EXPORT_SCHEMA_VERSION,
	BoardExportSchema,
	boardExportToCsv,
	boardExportToMarkdown,
	boardExportToRecords,
	buildBoardExport,
	CSV_COLUMNS,
	formatImportIssues,
	integerIndexKey,
	migrateBoardExport,
	parseBoardImport,
	parseBoardImportText,
	type BoardExport,
} from '../../shared/export'
import type { RecordLike } from '../../shared/items/containment'
import { normalizeExport } from '../helpers/normalizeExport'
import { counterIds, frame, NO_LIFECYCLE, note, page, theme } from './exportFixtures'

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0)
const T0 = Date.UTC(2025, 0, 10, 9, 0, 0)

const author = { id: 'u-ada', name: 'Ada' }

/** A small discovery board: lanes with themes, a matrix, a stage frame, a second page. */
function fixtureRecords(): RecordLike[] {
	return [
		{ id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} },
		page('page:main', 'a1'),
		page('page:extra', 'a2'),
		frame('shape:stage1', -3000, 0, 2000, 2000, { stage: 1, defaultKind: 'problem' }),
		frame('shape:now', 0, 0, 1200, 3000, { lane: 'now' }),
		frame('shape:next', 1300, 0, 1200, 3000, { lane: 'next' }),
		frame('shape:later', 2600, 0, 1200, 3000, { lane: 'later' }),
		frame('shape:activation', 50, 100, 1000, 900, theme('Activation', 'Weekly active teams', '+20% by Q3', true), 'shape:now'),
		frame('shape:pricing', 1350, 100, 1000, 900, theme('Pricing', 'Conversion', '5%')),
		frame('shape:floating', 6000, 0, 800, 800, theme('', 'Churn', '< 3%')),
		frame('shape:matrix', 0, 4000, 2000, 2000, { matrix: { xAxis: 'effort', yAxis: 'value' } }),
		note('shape:n1', 50, 50, 'Onboarding checklist', { kind: 'feature', tags: ['onboarding'], author, createdAt: T0, updatedAt: T0 + 1000, rice: { reach: 1000, impact: 2, confidence: 80, effort: 4 } }, 'shape:activation'),
		note('shape:n2', 300, 50, 'Interactive tutorial', { kind: 'idea', tags: ['onboarding', 'ux'], author, createdAt: T0, rice: { reach: 500, impact: 3 } }, 'shape:activation'),
		note('shape:n3', 1450, 300, 'Annual discount', { kind: 'idea', rice: { reach: 200, impact: 1, confidence: 50, effort: 0.5 } }),
		note('shape:n4', -2900, 100, 'When I join a new team, I want to see who does what, so I can ask the right person', { kind: 'jtbd', author }, 'page:main'),
		note('shape:n5', -2600, 100, 'typed text that is not a statement', { kind: 'jtbd', jtbd: { situation: 'a sprint ends', motivation: 'see what shipped' } }),
		note('shape:n6', 200, 200, 'Quick fix: better empty state', { kind: 'idea', rice: { reach: 10, impact: 0.5, confidence: 100, effort: 1 } }, 'shape:matrix'),
		note('shape:n7', 1500, 1500, '=HYPERLINK("http://evil")', { kind: 'question', tags: ['risk'] }, 'shape:matrix'),
		note('shape:n8', 100, 100, 'Second page, "quoted", with comma', { kind: 'insight' }, 'page:extra'),
		note('shape:n9', 6100, 100, 'No meta at all, inside a theme without a title', {}),
		note('shape:n10', 9000, 9000, 'Line one\nLine two', { kind: 'kpi', tags: ['Metrics'] }),
	]
}

function exportFixture(): BoardExport {
	return buildBoardExport({ boardId: 'board-123', title: 'Discovery | Q3', records: fixtureRecords(), now: NOW, template: 'discovery' })
}

describe('buildBoardExport', () => {
	const data = exportFixture()
	const item = (id: string) => data.items.find((i) => i.id === id)!

	it('produces a document valid against BoardExportSchema', () => {
		const parsed = BoardExportSchema.safeParse(data)
		expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
		expect(data.schemaVersion).toBe(BOARD_EXPORT_SCHEMA_VERSION)
		expect(data.votingSessions).toEqual([])
		expect(data.board).toEqual({ id: 'board-123', title: 'Discovery | Q3', exportedAt: '2025-01-15T12:00:00.000Z', template: 'discovery' })
	})

	it('exports every note as an item, in page then reading order', () => {
		expect(data.items.map((i) => i.id)).toEqual(['shape:n4', 'shape:n5', 'shape:n9', 'shape:n1', 'shape:n2', 'shape:n3', 'shape:n6', 'shape:n7', 'shape:n10', 'shape:n8'])
	})

	it('exports typed fields, text, tags, author and times', () => {
		expect(item('shape:n1')).toEqual({
			id: 'shape:n1',
			kind: 'feature',
			text: 'Onboarding checklist',
			tags: ['onboarding'],
			author,
			createdAt: '2025-01-10T09:00:00.000Z',
			updatedAt: '2025-01-10T09:00:01.000Z',
			themeId: 'shape:activation',
			lane: 'now',
			rice: { reach: 1000, impact: 2, confidence: 80, effort: 4, score: 400, status: 'complete' },
			votes: null,
			jtbd: null,
			quadrant: null,
			position: { x: 100, y: 150, pageId: 'page:main', rotation: 0, scale: 1, growY: 0 },
			color: null,
			importance: 0,
			experiment: null,
			mvp: false,
			comments: [],
			reactions: [],
			...NO_LIFECYCLE,
		})
		expect(item('shape:n9')).toMatchObject({ kind: 'idea', tags: [], author: null, createdAt: null, themeId: 'shape:floating', lane: null })
		expect(item('shape:n10')).toMatchObject({ text: 'Line one\nLine two', tags: ['metrics'], themeId: null, lane: null })
	})

	it('marks incomplete RICE with nulls, never a zero score', () => {
		expect(item('shape:n2').rice).toEqual({ reach: 500, impact: 3, confidence: null, effort: null, score: null, status: 'incomplete' })
		expect(item('shape:n8').rice).toEqual({ reach: null, impact: null, confidence: null, effort: null, score: null, status: 'incomplete' })
	})

	it('exports JTBD parts: parsed from text, or the stored parts', () => {
		expect(item('shape:n4').jtbd).toEqual({ situation: 'I join a new team', motivation: 'see who does what', outcome: 'ask the right person', persona: null, status: 'complete' })
		expect(item('shape:n5').jtbd).toEqual({ situation: 'a sprint ends', motivation: 'see what shipped', outcome: null, persona: null, status: 'incomplete' })
		expect(item('shape:n1').jtbd).toBeNull()
	})

	it('exports theme membership, lanes and quadrants', () => {
		expect(item('shape:n3')).toMatchObject({ themeId: 'shape:pricing', lane: 'next' })
		expect(item('shape:n6').quadrant).toBe('quick-win')
		expect(item('shape:n7').quadrant).toBe('money-pit')
		expect(data.themes).toEqual([
			{ id: 'shape:floating', title: 'frame shape:floating', description: ' description', goal: { metric: 'Churn', target: '< 3%', northStar: false }, lane: null, itemIds: ['shape:n9'] },
			{ id: 'shape:activation', title: 'Activation', description: 'Activation description', goal: { metric: 'Weekly active teams', target: '+20% by Q3', northStar: true }, lane: 'now', itemIds: ['shape:n1', 'shape:n2'] },
			{ id: 'shape:pricing', title: 'Pricing', description: 'Pricing description', goal: { metric: 'Conversion', target: '5%', northStar: false }, lane: 'next', itemIds: ['shape:n3'] },
		])
		expect(data.lanes).toEqual([
			{ id: 'now', themeIds: ['shape:activation'] },
			{ id: 'next', themeIds: ['shape:pricing'] },
			{ id: 'later', themeIds: [] },
		])
	})

	it('exports frame layout with nesting', () => {
		const activation = data.frames.find((f) => f.id === 'shape:activation')
		expect(activation).toEqual({ id: 'shape:activation', name: 'frame shape:activation', pageId: 'page:main', parentFrameId: 'shape:now', x: 50, y: 100, w: 1000, h: 900, rotation: 0, lane: null, stage: null, defaultKind: null, matrix: null, visionPrompt: null, mvpScope: false, comments: [] })
		expect(data.frames.find((f) => f.id === 'shape:stage1')).toMatchObject({ stage: 1, defaultKind: 'problem' })
	})

	it('is deterministic', () => {
		expect(exportFixture()).toEqual(data)
	})

	it('accepts records as a Map (readAllRecords) or an array', () => {
		const map = new Map(fixtureRecords().map((r) => [r.id as string, r]))
		expect(buildBoardExport({ boardId: 'board-123', title: 'Discovery | Q3', records: map, now: NOW, template: 'discovery' })).toEqual(data)
	})
})

const tlSchema = createTLSchema()

describe('boardExportToRecords', () => {
	it('creates records that tldraw 5.4.2 validates', () => {
		const records = boardExportToRecords(exportFixture(), { newId: counterIds('imp') })
		for (const record of records) {
			const type = tlSchema.types[record.typeName as keyof typeof tlSchema.types]
			expect(type, record.typeName).toBeDefined()
			expect(() => type.validate(record), JSON.stringify(record)).not.toThrow()
		}
		expect(records.filter((r) => r.typeName === 'page')).toHaveLength(2)
		expect(records.filter((r) => r.type === 'note')).toHaveLength(10)
	})

	it('export → records → export is equal apart from ids and timestamps', () => {
		const first = exportFixture()
		const records = boardExportToRecords(first, { newId: counterIds('x') })
		const second = buildBoardExport({ boardId: 'board-123', title: 'Discovery | Q3', records, now: NOW + 60_000, template: 'discovery' })
		expect(second.items[0].id).not.toBe(first.items[0].id)
		expect(normalizeExport(second)).toEqual(normalizeExport(first))
	})

	it('round-trips a rotated, nested layout', () => {
		const records = [
			page('page:main', 'a1'),
			frame('shape:lane', 100.37, 200.11, 3000, 3000, { lane: 'later' }, 'page:main', 0.3),
			frame('shape:t', 120.5, 80.25, 1000, 800, theme('Rotated'), 'shape:lane', -0.1),
			note('shape:a', 33.33, 44.44, 'inside', { kind: 'idea' }, 'shape:t'),
			note('shape:b', 5000, 5000, 'outside', { kind: 'idea' }),
		]
		const first = buildBoardExport({ boardId: 'b-rot', title: 'r', records, now: NOW })
		expect(first.items.find((i) => i.id === 'shape:a')).toMatchObject({ themeId: 'shape:t', lane: 'later' })
		const second = buildBoardExport({ boardId: 'b-rot', title: 'r', records: boardExportToRecords(first, { newId: counterIds('r') }), now: NOW })
		expect(normalizeExport(second)).toEqual(normalizeExport(first))
	})

	it('puts everything on a given page and builds frames for themes without layout', () => {
		const data = exportFixture()
		const handWritten: BoardExport = { ...data, frames: [] }
		const records = boardExportToRecords(handWritten, { newId: counterIds('h'), pageId: 'page:target' })
		expect(records.some((r) => r.typeName === 'page')).toBe(false)
		const again = buildBoardExport({ boardId: 'x', title: 'x', records: [page('page:target', 'a1'), ...records], now: NOW })
		const byText = (d: BoardExport, text: string) => d.items.find((i) => i.text === text)!
		const activation = again.themes.find((t) => t.title === 'Activation')!
		expect(byText(again, 'Onboarding checklist').themeId).toBe(activation.id)
		expect(activation.lane).toBe('now')
		expect(again.themes).toHaveLength(3)
	})
})

describe('integerIndexKey', () => {
	it('produces increasing keys tldraw accepts', () => {
		const keys = [1, 2, 61, 62, 63, 3905, 3906, 100_000].map(integerIndexKey)
		expect(keys.slice(0, 5)).toEqual(['a1', 'a2', 'az', 'b00', 'b01'])
		expect([...keys].sort()).toEqual(keys)
		expect(() => integerIndexKey(0)).toThrow()
	})
})

describe('parseBoardImport', () => {
	it('accepts a valid export', () => {
		const result = parseBoardImport(JSON.parse(JSON.stringify(exportFixture())))
		expect(result.ok).toBe(true)
		if (result.ok) expect(result.data).toEqual(exportFixture())
	})

	it('lists what is wrong with paths', () => {
		const data = JSON.parse(JSON.stringify(exportFixture())) as Record<string, unknown> & { items: Record<string, unknown>[] }
		data.items[3].kind = 'epic'
		data.items[0].rice = { ...(data.items[0].rice as object), impact: 5 }
		delete data.items[1].text
		const result = parseBoardImport(data)
		expect(result.ok).toBe(false)
		if (result.ok) return
		const paths = result.issues.map((i) => i.path)
		expect(paths).toContain('items.3.kind')
		expect(paths).toContain('items.0.rice.impact')
		expect(paths).toContain('items.1.text')
		expect(formatImportIssues(result.issues)).toMatch(/^items\.\d\.\w+/mu)
	})

	it('checks cross references', () => {
		const data = exportFixture()
		const broken = {
			...data,
			items: [{ ...data.items[0], themeId: 'shape:gone' }, data.items[0], ...data.items.slice(1)],
			lanes: [{ id: 'now', themeIds: ['shape:pricing'] }, ...data.lanes.slice(1)],
		}
		const result = parseBoardImport(broken)
		expect(result.ok).toBe(false)
		if (result.ok) return
		expect(result.issues).toEqual(
			expect.arrayContaining([
				{ path: 'items.0.themeId', message: 'unknown theme "shape:gone"' },
				{ path: 'items.1.id', message: `duplicate id "${data.items[0].id}"` },
				{ path: 'lanes.0.themeIds.0', message: 'theme "shape:pricing" has lane "next", not now' },
			]),
		)
	})

	it('rejects non-exports, bad JSON and newer versions with a clear message', () => {
		expect(parseBoardImportText('{nope')).toMatchObject({ ok: false, issues: [{ path: '', message: expect.stringMatching(/^Not valid JSON/u) }] })
		expect(parseBoardImport([])).toMatchObject({ ok: false, issues: [{ path: 'schemaVersion', message: expect.stringMatching(/expected a JSON object/u) }] })
		expect(parseBoardImport({ items: [] })).toMatchObject({ ok: false, issues: [{ message: expect.stringMatching(/schemaVersion is missing/u) }] })
		const newer = parseBoardImport({ ...exportFixture(), schemaVersion: BOARD_EXPORT_SCHEMA_VERSION + 1 })
		expect(newer).toMatchObject({ ok: false, issues: [{ path: 'schemaVersion', message: expect.stringMatching(new RegExp(`newer version of Workshop Board \\(schemaVersion ${BOARD_EXPORT_SCHEMA_VERSION + 1}\\)`, 'u')) }] })
	})

	it('caps the number of issues listed', () => {
		const data = exportFixture()
		const result = parseBoardImport({ ...data, items: Array.from({ length: 200 }, () => ({ id: 7 })) })
		expect(result.ok).toBe(false)
		if (!result.ok) {
			expect(result.issues).toHaveLength(51)
			expect(result.issues[50].message).toMatch(/more problems/u)
		}
	})
})

describe('export migrations', () => {
	it('has a valid sequence up to the current version', () => {
		expect(() => assertMigrationSequence(BOARD_EXPORT_MIGRATIONS, BOARD_EXPORT_SCHEMA_VERSION)).not.toThrow()
		expect(BOARD_EXPORT_MIGRATIONS.map((m) => [m.from, m.name])).toEqual([
			[1, 'AddVoteResults'],
			[2, 'AddNoteRotationSizeAndColor'],
			[3, 'AddRelationsExperimentsVisionAndMvp'],
			[4, 'AddCommentsAndReactions'],
			[5, 'AddKpisAndEstimationRounds'],
			[6, 'AddStatusAndCd3'],
		])
	})

	it('applies named migrations in order from an older version', () => {
		const migrations = [
			{ name: 'RenameNotesToItems', from: 1, up: (doc: Record<string, unknown>) => ({ ...doc, items: doc.notes, notes: undefined }) },
			{ name: 'AddLanes', from: 2, up: (doc: Record<string, unknown>) => ({ ...doc, lanes: [] }) },
		]
		assertMigrationSequence(migrations, 3)
		const result = migrateBoardExport({ schemaVersion: 1, notes: [1] }, { migrations, currentVersion: 3 })
		expect(result).toEqual({ ok: true, value: { schemaVersion: 3, items: [1], notes: undefined, lanes: [] }, fromVersion: 1, applied: ['RenameNotesToItems', 'AddLanes'] })
		const fromTwo = migrateBoardExport({ schemaVersion: 2, items: [] }, { migrations, currentVersion: 3 })
		expect(fromTwo).toMatchObject({ ok: true, applied: ['AddLanes'] })
	})

	it('does not mutate the input', () => {
		const input = { schemaVersion: 1, a: { b: 1 } }
		migrateBoardExport(input, { migrations: [{ name: 'M', from: 1, up: (d) => ((d.a as { b: number }).b = 2, d) }], currentVersion: 2 })
		expect(input).toEqual({ schemaVersion: 1, a: { b: 1 } })
	})

	it('reports a missing step and rejects broken sequences', () => {
		expect(migrateBoardExport({ schemaVersion: 1 }, { migrations: [], currentVersion: 2 })).toEqual({ ok: false, message: 'Cannot import schemaVersion 1: no migration from version 1.' })
		const up = (d: Record<string, unknown>) => d
		expect(() => assertMigrationSequence([{ name: 'A', from: 1, up }, { name: 'A', from: 2, up }], 3)).toThrow(/duplicate/u)
		expect(() => assertMigrationSequence([{ name: 'A', from: 1, up }, { name: 'B', from: 1, up }], 3)).toThrow(/two migrations/u)
		expect(() => assertMigrationSequence([{ name: 'A', from: 3, up }], 3)).toThrow(/outside/u)
	})

	it('rejects newer versions', () => {
		expect(migrateBoardExport({ schemaVersion: 99 })).toMatchObject({ ok: false, message: expect.stringMatching(/Update Workshop Board/u) })
	})
})

/** Minimal RFC 4180 parser for checking our output. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = []
	let row: string[] = []
	let cell = ''
	let quoted = false
	for (let i = 0; i < text.length; i++) {
		const c = text[i]
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"'
				i++
			} else if (c === '"') quoted = false
			else cell += c
		} else if (c === '"') quoted = true
		else if (c === ',') {
			row.push(cell)
			cell = ''
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(cell)
			rows.push(row)
			row = []
			cell = ''
			i++
		} else cell += c
	}
	return rows
}

describe('boardExportToCsv', () => {
	const data = exportFixture()
	const csv = boardExportToCsv(data)
	const rows = parseCsv(csv)
	const header = rows[0]
	const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[header.indexOf(name)]
	const rowOf = (id: string) => rows.find((r) => r[0] === id)!

	it('has a header and one row per item, CRLF separated', () => {
		expect(header).toEqual([...CSV_COLUMNS])
		expect(rows).toHaveLength(data.items.length + 1)
		expect(csv.endsWith('\r\n')).toBe(true)
		expect(csv.replace(/\r\n/gu, '').includes('\n')).toBe(true) // the multi-line note is quoted, not a row break
		expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true)
	})

	it('quotes commas, quotes and newlines', () => {
		expect(col(rowOf('shape:n8'), 'text')).toBe('Second page, "quoted", with comma')
		expect(csv).toContain('"Second page, ""quoted"", with comma"')
		expect(col(rowOf('shape:n10'), 'text')).toBe('Line one\nLine two')
	})

	it('guards text cells against formula injection but leaves numbers alone', () => {
		expect(col(rowOf('shape:n7'), 'text')).toBe(`'=HYPERLINK("http://evil")`)
		expect(col(rowOf('shape:n4'), 'x')).toBe('-2900')
		for (const start of ['+', '-', '@']) {
			const out = boardExportToCsv({ ...data, items: [{ ...data.items[0], text: `${start}cmd` }] })
			expect(parseCsv(out)[1][2]).toBe(`'${start}cmd`)
		}
	})

	it('fills RICE, theme and JTBD columns', () => {
		const n1 = rowOf('shape:n1')
		expect([col(n1, 'rice_score'), col(n1, 'rice_status'), col(n1, 'theme_title'), col(n1, 'lane'), col(n1, 'tags')]).toEqual(['400', 'complete', 'Activation', 'now', 'onboarding'])
		expect(col(rowOf('shape:n2'), 'tags')).toBe('onboarding; ux')
		expect(col(rowOf('shape:n2'), 'rice_score')).toBe('')
		expect(col(rowOf('shape:n4'), 'jtbd_outcome')).toBe('ask the right person')
	})
})

describe('boardExportToMarkdown', () => {
	const md = boardExportToMarkdown(exportFixture())

	it('summarises roadmap, RICE ranking and jobs', () => {
		expect(md).toMatch(/^# Discovery \\\| Q3\n/u)
		expect(md).toContain('**North Star:** Weekly active teams — target +20% by Q3')
		const now = md.indexOf('### Now')
		const next = md.indexOf('### Next')
		const unassigned = md.indexOf('### Not on the roadmap yet')
		expect(now).toBeGreaterThan(0)
		expect(next).toBeGreaterThan(now)
		expect(unassigned).toBeGreaterThan(next)
		expect(md).toContain('Goal: **Weekly active teams** — target +20% by Q3 ★ North Star')
		// Ranked: 400 (n1), 100 (n3: 200*1*0.5/0.5), 5 (n6)
		const rows = md.split('\n').filter((l) => /^\| \d+ \|/u.test(l))
		expect(rows.map((r) => r.split('|')[2].trim())).toEqual(['Onboarding checklist', 'Annual discount', 'Quick fix: better empty state'])
		expect(md).toContain('- Interactive tutorial — missing confidence, effort')
		expect(md).toContain('- **When** I join a new team, **I want to** see who does what, **so I can** ask the right person')
		expect(md).toContain('**so I can** _missing_ — _incomplete_')
	})

	it('has no vote section when no voting session was closed', () => {
		expect(md).not.toContain('Vote results')
	})
})

/** Seeded PRNG (mulberry32) so the generated board is the same on every run. */
function mulberry32(seed: number) {
	let a = seed >>> 0
	return () => {
		a = (a + 0x6d2b79f5) >>> 0
		let t = a
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}

// Speed is measured by `npm run bench` (scenario 6), never by timed unit tests.
describe('large boards', () => {
	it('exports a 10,000-item board with themes, lanes and a matrix', () => {
		const random = mulberry32(20250115)
		const kinds = ['idea', 'problem', 'jtbd', 'insight', 'feature', 'question', 'kpi']
		const records: RecordLike[] = [page('page:main', 'a1')]
		for (const lane of ['now', 'next', 'later'] as const) records.push(frame(`shape:lane-${lane}`, ['now', 'next', 'later'].indexOf(lane) * 20_000, 0, 19_000, 60_000, { lane }))
		for (let t = 0; t < 24; t++) records.push(frame(`shape:theme${t}`, 500 + (t % 3) * 20_000, 500 + Math.floor(t / 3) * 7000, 18_000, 6000, theme(`Theme ${t}`, 'metric', 'target')))
		records.push(frame('shape:matrix', 0, 70_000, 20_000, 20_000, { matrix: { xAxis: 'effort', yAxis: 'value' } }))
		for (let i = 0; i < 10_000; i++) {
			const kind = kinds[Math.floor(random() * kinds.length)]
			const text = kind === 'jtbd' ? `When case ${i} happens, I want to act, so I can win` : `Sticky number ${i} about ${random().toString(36).slice(2, 8)}`
			records.push(
				note(`shape:n${i}`, random() * 60_000, random() * 90_000, text, {
					kind,
					tags: ['alpha', 'beta'].slice(0, Math.floor(random() * 3)),
					author,
					createdAt: T0 + i,
					rice: { reach: Math.floor(random() * 1000), impact: 1, confidence: 50, effort: 1 + Math.floor(random() * 5) },
				}),
			)
		}
		const map = new Map(records.map((r) => [r.id as string, r]))
		const data = buildBoardExport({ boardId: 'perf', title: 'perf', records: map, now: NOW })
		expect(JSON.parse(JSON.stringify(data)).items).toHaveLength(10_000)
		expect(data.items).toHaveLength(10_000)
		expect(data.items.some((i) => i.themeId !== null)).toBe(true)
		expect(data.items.some((i) => i.lane !== null)).toBe(true)
	})
})

describe('from a Y.Doc', () => {
	it('exports what readAllRecords returns (meta as a nested Y.Map)', async () => {
		const Y = await import('yjs')
		const { getRecordsMap, readAllRecords, recordToYMap } = await import('../../shared/recordCodec')
		const doc = new Y.Doc()
		doc.transact(() => {
			for (const record of fixtureRecords()) getRecordsMap(doc).set(record.id as string, recordToYMap(record as { id: string; typeName: string }))
		})
		// A concurrent-style edit of one meta field of one note.
		;(getRecordsMap(doc).get('shape:n2')!.get('meta') as InstanceType<typeof Y.Map>).set('rice', { reach: 500, impact: 3, confidence: 100, effort: 1 })
		const data = buildBoardExport({ boardId: 'board-123', title: 'Discovery | Q3', records: readAllRecords(doc), now: NOW, template: 'discovery' })
		const expected = exportFixture()
		expect(data.items.find((i) => i.id === 'shape:n2')?.rice).toEqual({ reach: 500, impact: 3, confidence: 100, effort: 1, score: 1500, status: 'complete' })
		expect(data.items.filter((i) => i.id !== 'shape:n2')).toEqual(expected.items.filter((i) => i.id !== 'shape:n2'))
		expect(data.themes).toEqual(expected.themes)
	})
})

describe('roundCoordinate', () => {
	it('keeps hostile coordinates finite so the export stays valid', async () => {
		const { roundCoordinate } = await import('../../shared/export')
		expect(roundCoordinate(12.3456)).toBe(12.35)
		expect(roundCoordinate(-0.001)).toBe(0)
		expect(roundCoordinate(1e300)).toBe(1e300)
		expect(roundCoordinate(-1.7e308)).toBe(-1.7e308)
		expect(roundCoordinate(Number.POSITIVE_INFINITY)).toBe(0)
		expect(roundCoordinate(Number.NaN)).toBe(0)
	})
})
