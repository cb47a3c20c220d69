/**
 * Export format version 3: a sticky's page-space rotation (its own composed
 * with its frames'), its size (tldraw `props.scale`, `props.growY`) and a
 * colour that differs from its kind's survive export → import → export; the
 * named v2 → v3 migration; version-2 files import unrotated at default size.
 */
import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import {
	BOARD_EXPORT_SCHEMA_VERSION,
	BoardExportMigrationIds,
	BoardExportSchema,
	boardExportToRecords,
	buildBoardExport,
	CSV_COLUMNS,
	migrateBoardExport,
	parseBoardImport,
	roundRotation,
	type BoardExport,
} from '../../shared/export'
import type { RecordLike } from '../../shared/items/containment'
import { ITEM_KIND_INFO, ITEM_KINDS, TLDRAW_COLORS } from '../../shared/items/kinds'
import type { PlainRecord } from '../../shared/recordCodec'
import { richTextToPlainText } from '../../shared/text/richText'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'
import { normalizeExport } from '../helpers/normalizeExport'
import { counterIds, frame, NO_LIFECYCLE, note, page, theme } from './exportFixtures'
import { seededRandom, testSeeds } from './helpers/seededRandom'

const NOW = Date.UTC(2025, 3, 1, 12, 0, 0)
const tlSchema = createTLSchema()

function exportOf(records: readonly RecordLike[]): BoardExport {
	return buildBoardExport({ boardId: 'board-look', title: 'Look', records, now: NOW })
}

function expectValidTldrawRecords(records: readonly PlainRecord[]): void {
	for (const record of records) {
		const type = tlSchema.types[record.typeName as keyof typeof tlSchema.types]
		expect(() => type.validate(record), JSON.stringify(record)).not.toThrow()
	}
}

function noteWithText(records: readonly PlainRecord[], text: string): PlainRecord {
	const found = records.find((r) => r.type === 'note' && richTextToPlainText((r.props as { richText: unknown }).richText) === text)
	if (!found) throw new Error(`no note ${JSON.stringify(text)}`)
	return found
}

/** Rotated stickies in a rotated theme inside a rotated lane, scaled and grown stickies, recoloured ones, a frame turned by π. */
function lookRecords(): RecordLike[] {
	return [
		page('page:main', 'a1'),
		frame('shape:lane', 100, 200, 3000, 3000, { lane: 'later' }, 'page:main', 0.3),
		frame('shape:theme', 120, 80, 1000, 800, theme('Tilted'), 'shape:lane', -0.1),
		frame('shape:upside-down', -4000, 0, 1500, 1000, theme('Upside down'), 'page:main', Math.PI),
		note('shape:tilted', 30, 40, 'tilted', { kind: 'idea' }, 'shape:theme', { rotation: 0.25 }),
		note('shape:flipped-in-frame', 200, 300, 'flipped in a flipped frame', { kind: 'insight' }, 'shape:upside-down', { rotation: Math.PI / 2, scale: 0.75 }),
		note('shape:big', 5000, 5000, 'big', { kind: 'problem' }, 'page:main', { scale: 2.5, growY: 37.123, color: 'red' }),
		note('shape:half', 6000, 5000, 'half', { kind: 'problem' }, 'page:main', { scale: 0.5 }),
		note('shape:flipped', 7000, 5000, 'flipped', { kind: 'idea' }, 'page:main', { rotation: Math.PI }),
		note('shape:odd', 8000, 5000, 'odd', { kind: 'kpi' }, 'page:main', { scale: -2, growY: -5, color: 'hotpink' }),
	]
}

describe('export of rotation, size and colour', () => {
	const data = exportOf(lookRecords())
	const item = (text: string) => data.items.find((i) => i.text === text)!

	it('is a valid version-4 export (zod schema and the committed JSON Schema)', () => {
		expect(data.schemaVersion).toBe(BOARD_EXPORT_SCHEMA_VERSION)
		const parsed = BoardExportSchema.safeParse(data)
		expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
		expectValidAgainstExportJsonSchema(JSON.parse(JSON.stringify(data)))
	})

	it("writes the page-space rotation: the note's own composed with its frames'", () => {
		expect(item('tilted')).toMatchObject({ themeId: 'shape:theme', lane: 'later', color: null })
		expect(item('tilted').position).toMatchObject({ rotation: 0.45, scale: 1, growY: 0 })
		// π + π/2 wraps to -π/2.
		expect(item('flipped in a flipped frame').position).toMatchObject({ rotation: roundRotation(-Math.PI / 2), scale: 0.75 })
	})

	it('writes a rotation of π inside (-π, π], so it survives a re-import', () => {
		expect(item('flipped').position.rotation).toBe(-3.141592)
		expect(data.frames.find((f) => f.id === 'shape:upside-down')!.rotation).toBe(-3.141592)
		expect(roundRotation(Math.PI)).toBe(-3.141592)
		expect(roundRotation(-Math.PI)).toBe(3.141592)
		expect(roundRotation(0.1234567)).toBe(0.123457)
		expect(roundRotation(-0.0000001)).toBe(0)
		expect(roundRotation(Number.NaN)).toBe(0)
	})

	it('writes scale and growY (rounded), and the colour only when it is not the kind colour', () => {
		expect(item('big')).toMatchObject({ position: { x: 5000, y: 5000, pageId: 'page:main', rotation: 0, scale: 2.5, growY: 37.12 }, color: 'red' })
		expect(item('half')).toMatchObject({ position: { scale: 0.5, growY: 0 }, color: null })
	})

	it('falls back to scale 1, growY 0 and the kind colour for unreadable values', () => {
		expect(item('odd')).toMatchObject({ position: { rotation: 0, scale: 1, growY: 0 }, color: null })
	})

	it('rejects impossible values on import', () => {
		const broken = structuredClone(data) as unknown as { items: { position: Record<string, unknown>; color: unknown }[] }
		broken.items[0].position.scale = 0
		broken.items[1].position.growY = -1
		broken.items[2].color = 'hotpink'
		const result = parseBoardImport(broken)
		expect(result.ok).toBe(false)
		if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['items.0.position.scale', 'items.1.position.growY', 'items.2.color']))
	})

	it('keeps them out of CSV (and Markdown): those are backlog views, not layouts', () => {
		for (const column of ['rotation', 'scale', 'grow_y', 'color']) expect(CSV_COLUMNS).not.toContain(column)
	})
})

describe('import of rotation, size and colour', () => {
	const first = exportOf(lookRecords())
	const records = boardExportToRecords(first, { newId: counterIds('look') })
	const noteWith = (text: string) => noteWithText(records, text)

	it('makes records tldraw 5.4.2 validates', () => {
		expectValidTldrawRecords(records)
	})

	it("sets the rotation relative to the new parent frame: the page rotation minus the frame's", () => {
		const tilted = noteWith('tilted')
		const themeFrame = records.find((r) => r.id === tilted.parentId)!
		expect((themeFrame.meta as { theme: { title: string } }).theme.title).toBe('Tilted')
		expect(tilted.rotation as number).toBeCloseTo(0.45 - 0.2, 9)
	})

	it('sets props.scale, props.growY and the colour (the kind colour unless overridden)', () => {
		expect(noteWith('big').props).toMatchObject({ scale: 2.5, growY: 37.12, color: 'red' })
		expect(noteWith('half').props).toMatchObject({ scale: 0.5, growY: 0, color: ITEM_KIND_INFO.problem.color })
	})

	it('export → import → export is equal apart from ids and timestamps', () => {
		const second = buildBoardExport({ boardId: 'board-look', title: 'Look', records, now: NOW + 60_000 })
		expect(normalizeExport(second)).toEqual(normalizeExport(first))
	})
})

/** Angles that stress the ±π seam as well as arbitrary ones (also beyond ±π, as tldraw may store them). */
function randomAngle(random: ReturnType<typeof seededRandom>): number {
	if (random.chance(0.3)) return random.pick([0, Math.PI, -Math.PI, Math.PI / 2, -Math.PI / 2, 2 * Math.PI])
	return (random.next() - 0.5) * 4 * Math.PI
}

/**
 * A board with rotated lanes, rotated (and nested) theme frames, a rotated
 * matrix, and stickies of every kind with random rotations, scales, growY and
 * colours, parented to frames or the page, on two pages. As in tldraw, a
 * sticky's centre is inside the frame it is parented to (dropping it outside
 * would reparent it), and lanes do not overlap.
 */
function randomBoard(seed: number): RecordLike[] {
	const random = seededRandom(seed)
	const records: RecordLike[] = [page('page:main', 'a1'), page('page:second', 'a2')]
	const parents: { id: string; w: number; h: number; pageId: string }[] = [
		{ id: 'page:main', w: 40_000, h: 8000, pageId: 'page:main' },
		{ id: 'page:second', w: 4000, h: 4000, pageId: 'page:second' },
	]
	const addFrame = (id: string, parent: (typeof parents)[number], x: number, y: number, w: number, h: number, meta: Record<string, unknown>) => {
		const rotation = random.chance(0.6) ? randomAngle(random) : 0
		records.push(frame(id, x, y, w, h, meta, parent.id, rotation))
		parents.push({ id, w, h, pageId: parent.pageId })
	}
	const inside = (parent: (typeof parents)[number]) => [random.next() * parent.w * 0.5, random.next() * parent.h * 0.5] as const
	// 14,000 apart: a 3000 × 6000 lane turned about its origin stays within 6709 of it.
	for (const [i, lane] of (['now', 'next', 'later'] as const).entries()) addFrame(`shape:lane-${i}`, parents[0], i * 14_000, 0, 3000, 6000, { lane })
	addFrame('shape:matrix', parents[0], ...inside(parents[0]), 2000, 2000, { matrix: { xAxis: 'effort', yAxis: 'value' } })
	for (let t = 0; t < 5; t++) {
		// Themes inside a lane, inside another theme (nested), or on either page.
		const parent = t < 2 ? parents[2 + t] : random.pick(parents)
		addFrame(`shape:theme-${t}`, parent, ...inside(parent), 600 + random.next() * 900, 500 + random.next() * 700, theme(`Theme ${t}`))
	}
	for (let n = 0; n < 40; n++) {
		const parent = random.pick(parents)
		const kind = random.pick(ITEM_KINDS)
		const scale = random.pick([1, 1, 0.5, 2, 1 / 1.37, 0.2 + random.next() * 3.8])
		const growY = random.chance(0.3) ? random.next() * 300 : 0
		const rotation = random.chance(0.7) ? randomAngle(random) : 0
		// Origin such that the centre falls on a random point of the parent.
		const half = { x: (200 * scale) / 2, y: ((200 + growY) * scale) / 2 }
		const centre = { x: random.next() * parent.w, y: random.next() * parent.h }
		const x = centre.x - (half.x * Math.cos(rotation) - half.y * Math.sin(rotation))
		const y = centre.y - (half.x * Math.sin(rotation) + half.y * Math.cos(rotation))
		const color = random.chance(0.3) ? random.pick(TLDRAW_COLORS) : ITEM_KIND_INFO[kind].color
		records.push(note(`shape:note-${n}`, x, y, `Sticky ${n}`, { kind }, parent.id, { rotation, scale, growY, color }))
	}
	return records
}

describe('round trip of seeded random boards', () => {
	it.each(testSeeds(25))('seed %i: export → import → export is equal apart from ids and timestamps', (seed) => {
		const first = exportOf(randomBoard(seed))
		// The generator exercises what the test is about: rotated, scaled stickies in rotated themes.
		const inRotatedTheme = first.items.filter((i) => i.themeId !== null && first.frames.find((f) => f.id === i.themeId)!.rotation !== 0)
		expect(inRotatedTheme.some((i) => i.position.rotation !== 0 && i.position.scale !== 1)).toBe(true)
		const records = boardExportToRecords(first, { newId: counterIds(`s${seed}-`) })
		expectValidTldrawRecords(records)
		const second = buildBoardExport({ boardId: 'board-look', title: 'Look', records, now: NOW + 1 })
		expect(normalizeExport(second)).toEqual(normalizeExport(first))
	})
})

/** Item fields of an unscored, untagged version-2 item (the same in versions 1 to 3). */
const V2_PLAIN_ITEM_FIELDS = {
	tags: [],
	author: null,
	createdAt: null,
	updatedAt: null,
	lane: null,
	rice: { reach: null, impact: null, confidence: null, effort: null, score: null, status: 'incomplete' },
	votes: null,
	jtbd: null,
	quadrant: null,
}

/** A version-2 file as Workshop Board wrote it before notes kept their look (literal: the migration reads old files, not today's builder output). */
const V2_FILE = {
	schemaVersion: 2,
	board: { id: 'v2-board', title: 'Version 2 board', exportedAt: '2025-03-01T12:00:00.000Z' },
	items: [
		{ id: 'shape:in-theme', kind: 'problem', text: 'Slow onboarding', ...V2_PLAIN_ITEM_FIELDS, themeId: 'shape:theme', position: { x: 150, y: 120, pageId: 'page:page' } },
		{ id: 'shape:loose', kind: 'idea', text: 'Loose idea', ...V2_PLAIN_ITEM_FIELDS, themeId: null, position: { x: 3000, y: 120, pageId: 'page:page' } },
	],
	themes: [{ id: 'shape:theme', title: 'Tilted theme', description: '', goal: { metric: '', target: '', northStar: false }, lane: null, itemIds: ['shape:in-theme'] }],
	lanes: [
		{ id: 'now', themeIds: [] },
		{ id: 'next', themeIds: [] },
		{ id: 'later', themeIds: [] },
	],
	frames: [{ id: 'shape:theme', name: 'Tilted theme', pageId: 'page:page', parentFrameId: null, x: 100, y: 100, w: 800, h: 600, rotation: 0.5, lane: null, stage: null, defaultKind: null, matrix: null }],
	votingSessions: [],
}

describe(`migration ${BoardExportMigrationIds.AddNoteRotationSizeAndColor} (v2 → v3)`, () => {
	it('is applied by name and gives v2 notes rotation 0, scale 1, growY 0 and their kind colour', () => {
		const input = structuredClone(V2_FILE)
		expect(migrateBoardExport(input)).toMatchObject({ ok: true, fromVersion: 2, applied: ['AddNoteRotationSizeAndColor', 'AddRelationsExperimentsVisionAndMvp', 'AddCommentsAndReactions', 'AddKpisAndEstimationRounds', 'AddStatusAndCd3'] })
		expect(input).toEqual(V2_FILE) // not mutated
		const result = parseBoardImport(structuredClone(V2_FILE))
		expect(result).toMatchObject({ ok: true, fromVersion: 2, migrations: ['AddNoteRotationSizeAndColor', 'AddRelationsExperimentsVisionAndMvp', 'AddCommentsAndReactions', 'AddKpisAndEstimationRounds', 'AddStatusAndCd3'] })
		if (!result.ok) return
		expect(result.data.schemaVersion).toBe(BOARD_EXPORT_SCHEMA_VERSION)
		// The later step adds version 4's fields (no links yet: importance 0 for ideas and features).
		const v4Fields = (kind: string) => ({ importance: kind === 'idea' || kind === 'feature' ? 0 : null, experiment: null, mvp: false, comments: [], reactions: [], ...NO_LIFECYCLE })
		expect(result.data.items).toEqual(V2_FILE.items.map((item) => ({ ...item, position: { ...item.position, rotation: 0, scale: 1, growY: 0 }, color: null, ...v4Fields(item.kind) })))
	})

	it('keeps fields already there and leaves malformed items for validation to report', () => {
		const [first, second] = V2_FILE.items
		const migrated = migrateBoardExport({ ...V2_FILE, items: [{ ...first, position: { ...first.position, scale: 2 }, color: 'red' }, { ...second, position: 'here' }, 7] })
		expect(migrated.ok).toBe(true)
		if (!migrated.ok) return
		const items = migrated.value.items as Record<string, unknown>[]
		expect(items[0]).toMatchObject({ position: { rotation: 0, scale: 2, growY: 0 }, color: 'red' })
		expect(items[1].position).toBe('here')
		expect(items[2]).toBe(7)
		const result = parseBoardImport({ ...V2_FILE, items: [{ ...second, position: 'here' }] })
		expect(!result.ok && result.issues.map((i) => i.path)).toContain('items.0.position')
	})

	it('imports a version-2 file unrotated at default size, also inside a rotated theme frame', () => {
		const result = parseBoardImport(structuredClone(V2_FILE))
		if (!result.ok) throw new Error(JSON.stringify(result.issues))
		const records = boardExportToRecords(result.data, { newId: counterIds('v2-') })
		expectValidTldrawRecords(records)
		const notes = records.filter((r) => r.type === 'note')
		const inTheme = noteWithText(records, 'Slow onboarding')
		expect(records.find((r) => r.id === inTheme.parentId)?.type).toBe('frame')
		// Relative to the frame turned by 0.5, an unrotated note is turned by -0.5.
		expect(inTheme.rotation as number).toBeCloseTo(-0.5, 12)
		for (const n of notes) expect(n.props).toMatchObject({ scale: 1, growY: 0 })
		expect(inTheme.props).toMatchObject({ color: ITEM_KIND_INFO.problem.color })
		const again = buildBoardExport({ boardId: 'v2-board', title: 'Version 2 board', records, now: NOW })
		expect(again.items.map((i) => [i.text, i.position.rotation, i.position.scale, i.position.growY, i.color])).toEqual([
			['Slow onboarding', 0, 1, 0, null],
			['Loose idea', 0, 1, 0, null],
		])
		expect(normalizeExport(again)).toEqual(normalizeExport(result.data))
	})
})
