import { createTLStore } from '@tldraw/editor'
import { createTLSchema, type TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { buildBoardExport } from '../../shared/export'
import { defaultKindForParent } from '../../shared/items'
import type { PlainRecord } from '../../shared/recordCodec'
import { richTextToPlainText } from '../../shared/text/richText'
import {
	BOARD_TEMPLATES,
	buildTemplateRecords,
	DEFAULT_PAGE_ID,
	defaultDocumentRecords,
	DISCOVERY_STAGES,
	MATRIX_QUADRANT_LABELS,
	STORY_MAP_ROWS,
	VISION_PROMPTS,
	type BoardTemplate,
} from '../../shared/templates'

const PAGE = DEFAULT_PAGE_ID

function counterIds(prefix = 't') {
	let n = 0
	return () => `${prefix}${++n}`
}

function build(template: BoardTemplate) {
	return buildTemplateRecords(template, { newId: counterIds(), pageId: PAGE })
}

const tlSchema = createTLSchema()

type Shape = PlainRecord & { type: string; parentId: string; x: number; y: number; props: Record<string, unknown>; meta: Record<string, unknown> }
const shapes = (records: PlainRecord[]) => records as Shape[]
const framesOf = (records: PlainRecord[]) => shapes(records).filter((r) => r.type === 'frame')
const textsIn = (records: PlainRecord[], parentId: string) =>
	shapes(records).filter((r) => r.type === 'text' && r.parentId === parentId).map((r) => richTextToPlainText(r.props.richText))

function note(id: string, x: number, y: number, parentId = PAGE) {
	return {
		id,
		typeName: 'shape',
		type: 'note',
		parentId,
		index: 'a1',
		x,
		y,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		props: { richText: { type: 'doc', content: [] }, scale: 1, growY: 0 },
		meta: {},
	}
}

describe('board templates', () => {
	it.each(BOARD_TEMPLATES)('%s: every record passes tldraw 5.4.2 validation and loads into a TLStore', (template) => {
		const { records } = build(template)
		const all = [...defaultDocumentRecords(PAGE), ...records]
		for (const record of all) {
			const type = tlSchema.types[record.typeName as keyof typeof tlSchema.types]
			expect(type, record.typeName).toBeDefined()
			expect(() => type.validate(record), JSON.stringify(record)).not.toThrow()
		}
		const store = createTLStore({})
		expect(() => store.mergeRemoteChanges(() => store.put(all as unknown as TLRecord[]))).not.toThrow()
		for (const record of records) expect(store.has(record.id as TLRecord['id'])).toBe(true)
	})

	it.each(BOARD_TEMPLATES)('%s: ids are fresh and unique, parents come first, sibling indices are unique', (template) => {
		const { records } = build(template)
		const ids = records.map((r) => r.id)
		expect(new Set(ids).size).toBe(ids.length)
		const seen = new Set<string>([PAGE])
		const indices = new Set<string>()
		for (const record of shapes(records)) {
			expect(record.id).toMatch(/^shape:t\d+$/)
			expect(seen.has(record.parentId), `${record.id} before its parent ${record.parentId}`).toBe(true)
			seen.add(record.id)
			const key = `${record.parentId}/${record.index as string}`
			expect(indices.has(key), key).toBe(false)
			indices.add(key)
		}
	})

	it('blank has no shapes; templates carry their default titles', () => {
		expect(build('blank')).toEqual({ title: 'Untitled board', records: [] })
		expect(build('discovery').title).toBe('Product discovery workshop')
		expect(build('retro').title).toBe('Retrospective')
		expect(build('storymap').title).toBe('Story map')
	})

	it('discovery: the 7 stage frames, numbered, in reading order (left to right, then the next row)', () => {
		const { records } = build('discovery')
		const stages = framesOf(records).filter((f) => f.meta.stage !== undefined)
		expect(stages.map((f) => f.meta.stage)).toEqual([1, 2, 3, 4, 5, 6, 7])
		expect(stages.map((f) => f.props.name)).toEqual([
			'1 · Problem & JTBD',
			'2 · Vision',
			'3 · Solution ideas',
			'4 · Roadmap themes',
			'5 · Prioritize (RICE)',
			'6 · MVP scope',
			'7 · Measure & learn',
		])
		for (const frame of stages) expect(frame.parentId).toBe(PAGE)
		for (let i = 1; i < stages.length; i++) {
			const [a, b] = [stages[i - 1], stages[i]]
			const sameRow = a.y === b.y
			// Next stage is to the right on the same row, or on a lower row starting further left.
			if (sameRow) expect(b.x).toBeGreaterThan(a.x)
			else {
				expect(b.y).toBeGreaterThanOrEqual(a.y + (a.props.h as number))
				expect(b.x).toBeLessThan(a.x)
			}
		}
		// Sorting by (y, x) — how a reader and the export order frames — gives stage order.
		const byReading = [...stages].sort((a, b) => a.y - b.y || a.x - b.x)
		expect(byReading.map((f) => f.meta.stage)).toEqual([1, 2, 3, 4, 5, 6, 7])
		const exported = buildBoardExport({ boardId: 'tpl', title: 't', records: [...defaultDocumentRecords(PAGE), ...records], now: 0 })
		expect(exported.frames.filter((f) => f.stage !== null).map((f) => f.stage)).toEqual([1, 2, 3, 4, 5, 6, 7])
	})

	it('discovery: each stage suggests the kind of its stickies', () => {
		const { records } = build('discovery')
		const kinds = Object.fromEntries(framesOf(records).filter((f) => f.meta.stage).map((f) => [f.meta.stage, f.meta.defaultKind ?? null]))
		expect(kinds).toEqual({ 1: 'problem', 2: 'question', 3: 'idea', 4: null, 5: 'feature', 6: 'feature', 7: 'kpi' })
		const all = [...defaultDocumentRecords(PAGE), ...records]
		const stage1 = framesOf(records).find((f) => f.meta.stage === 1)!
		expect(defaultKindForParent(all, stage1.id)).toBe('problem')
		expect(DISCOVERY_STAGES.map((s) => s.defaultKind)).toEqual([1, 2, 3, 4, 5, 6, 7].map((s) => kinds[s]))
	})

	it('discovery: the vision stage has the four prompts, each a frame whose stickies answer it', () => {
		const { records } = build('discovery')
		const vision = framesOf(records).find((f) => f.meta.stage === 2)!
		const promptFrames = framesOf(records).filter((f) => f.parentId === vision.id)
		expect(promptFrames.map((f) => f.meta.visionPrompt)).toEqual(['opportunity', 'willingnessToPay', 'existingSolutions', 'successMeasure'])
		expect(VISION_PROMPTS).toHaveLength(4)
		promptFrames.forEach((f, k) => expect(textsIn(records, f.id)).toEqual([VISION_PROMPTS[k]]))
		// Inside the Vision frame, left/right and top/bottom halves (no overlap).
		for (const f of promptFrames) {
			expect(f.x).toBeGreaterThan(0)
			expect(f.x + (f.props.w as number)).toBeLessThan(vision.props.w as number)
			expect(f.y + (f.props.h as number)).toBeLessThan(vision.props.h as number)
		}
		// A sticky dropped in the middle of each prompt frame answers that prompt.
		const probes = promptFrames.map((f, k) => note(`shape:answer${k}`, f.x + (f.props.w as number) / 2 - 100, f.y + (f.props.h as number) / 2 - 100, vision.id))
		const exported = buildBoardExport({ boardId: 'tpl', title: 't', records: [...defaultDocumentRecords(PAGE), ...records, ...probes], now: 0 })
		expect(exported.vision).toEqual({ opportunity: ['shape:answer0'], willingnessToPay: ['shape:answer1'], existingSolutions: ['shape:answer2'], successMeasure: ['shape:answer3'] })
	})

	it('discovery: the MVP stage is the MVP scope frame', () => {
		const { records } = build('discovery')
		const mvp = framesOf(records).find((f) => f.meta.stage === 6)!
		expect(mvp.meta.mvpScope).toBe(true)
		const inside = { ...note('shape:inMvp', 100, 300, mvp.id), meta: { kind: 'feature' } }
		const idea = { ...note('shape:ideaInMvp', 400, 300, mvp.id), meta: { kind: 'idea' } }
		const exported = buildBoardExport({ boardId: 'tpl', title: 't', records: [...defaultDocumentRecords(PAGE), ...records, inside, idea], now: 0 })
		expect(exported.items.find((i) => i.id === 'shape:inMvp')!.mvp).toBe(true)
		expect(exported.items.find((i) => i.id === 'shape:ideaInMvp')!.mvp).toBe(false)
	})

	it('discovery: solution ideas is a value × feasibility matrix whose labels sit in their quadrants', () => {
		const { records } = build('discovery')
		const matrix = framesOf(records).find((f) => f.meta.stage === 3)!
		expect(matrix.meta.matrix).toEqual({ xAxis: 'feasibility', yAxis: 'value' })
		const labels = shapes(records).filter((r) => r.type === 'text' && r.parentId === matrix.id)
		// A sticky dropped on each quadrant label is exported in that quadrant.
		const notes = MATRIX_QUADRANT_LABELS.map(({ label }, i) => {
			const text = labels.find((l) => richTextToPlainText(l.props.richText) === label)
			expect(text, label).toBeDefined()
			return note(`shape:probe${i}`, text!.x, text!.y, matrix.id)
		})
		const exported = buildBoardExport({ boardId: 'tpl', title: 't', records: [...defaultDocumentRecords(PAGE), ...records, ...notes], now: 0 })
		const quadrantOf = (id: string) => exported.items.find((item) => item.id === id)!.quadrant
		MATRIX_QUADRANT_LABELS.forEach(({ quadrant }, i) => expect(quadrantOf(`shape:probe${i}`)).toBe(quadrant))
	})

	it('discovery: the roadmap stage holds Now / Next / Later lanes left to right and a North Star prompt', () => {
		const { records } = build('discovery')
		const roadmap = framesOf(records).find((f) => f.meta.stage === 4)!
		const lanes = framesOf(records).filter((f) => f.parentId === roadmap.id)
		expect(lanes.map((f) => [f.props.name, f.meta.lane])).toEqual([
			['Now', 'now'],
			['Next', 'next'],
			['Later', 'later'],
		])
		expect(lanes[0].x).toBeLessThan(lanes[1].x)
		expect(lanes[1].x).toBeLessThan(lanes[2].x)
		for (const lane of lanes) {
			// Room for a theme of two sticky columns (2 × 200 + gap + theme padding), so it is never clipped.
			expect(lane.props.w as number).toBeGreaterThanOrEqual(2 * 200 + 20 + 2 * 40)
			expect(lane.x + (lane.props.w as number)).toBeLessThanOrEqual(roadmap.props.w as number)
			expect(lane.y + (lane.props.h as number)).toBeLessThanOrEqual(roadmap.props.h as number)
		}
		expect(textsIn(records, roadmap.id).some((t) => t.includes('North Star'))).toBe(true)
		// A sticky inside the Later lane is exported with lane 'later'.
		const probe = note('shape:probe', 20, 300, lanes[2].id)
		const exported = buildBoardExport({ boardId: 'tpl', title: 't', records: [...defaultDocumentRecords(PAGE), ...records, probe], now: 0 })
		expect(exported.items[0].lane).toBe('later')
	})

	it('storymap: activities, steps and three releases top to bottom; the first release is the MVP', () => {
		const { records } = build('storymap')
		const map = framesOf(records).find((f) => f.parentId === PAGE)!
		const rows = framesOf(records).filter((f) => f.parentId === map.id)
		expect(rows.map((f) => f.props.name)).toEqual(STORY_MAP_ROWS.map((r) => r.name))
		expect(rows.map((f) => f.y)).toEqual([...rows.map((f) => f.y)].sort((a, b) => a - b))
		// Rows do not overlap and fit inside the map.
		for (let i = 1; i < rows.length; i++) expect(rows[i].y).toBeGreaterThanOrEqual(rows[i - 1].y + (rows[i - 1].props.h as number))
		const last = rows.at(-1)!
		expect(last.y + (last.props.h as number)).toBeLessThanOrEqual(map.props.h as number)
		expect(rows.map((f) => f.meta.mvpScope ?? false)).toEqual([false, false, true, false, false])
		// A story dropped in Release 1 is an MVP feature; one in Release 2 is not.
		const [release1, release2] = rows.slice(2)
		const all = [...defaultDocumentRecords(PAGE), ...records]
		expect(defaultKindForParent(all, release1.id)).toBe('feature')
		const story = (id: string, parent: (typeof rows)[number]) => ({ ...note(id, 300, 150, parent.id), meta: { kind: 'feature' } })
		const exported = buildBoardExport({ boardId: 'tpl', title: 't', records: [...all, story('shape:mvpStory', release1), story('shape:laterStory', release2)], now: 0 })
		expect(exported.items.filter((i) => i.mvp).map((i) => i.id)).toEqual(['shape:mvpStory'])
	})

	it('retro: four columns left to right', () => {
		const { records } = build('retro')
		const frames = framesOf(records)
		expect(frames.map((f) => f.props.name)).toEqual(['What went well', "What didn't", 'Ideas', 'Actions'])
		expect(frames.map((f) => f.x)).toEqual([...frames.map((f) => f.x)].sort((a, b) => a - b))
		expect(records.filter((r) => r.type !== 'frame')).toEqual([])
	})
})
