/**
 * Export version 4 (#13): relations, importance, experiments, vision answers
 * and the MVP — fields, migration from version 3, renderers and the export →
 * import round trip (hand-written and seeded random boards).
 */
import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
	BOARD_EXPORT_SCHEMA_VERSION,
	BoardExportSchema,
	boardExportToCsv,
	boardExportToMarkdown,
	boardExportToRecords,
	buildBoardExport,
	CSV_COLUMNS,
	migrateBoardExport,
	parseBoardImport,
	type BoardExport,
} from '../../shared/export'
import type { RecordLike } from '../../shared/items/containment'
import { EXPERIMENT_RESULTS } from '../../shared/items/experiment'
import { ITEM_KINDS } from '../../shared/items/kinds'
import { readRelations } from '../../shared/items/relations'
import { getRecordsMap, readAllRecords, recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'
import { normalizeExport } from '../helpers/normalizeExport'
import { arrow, counterIds, frame, note, page, theme } from './exportFixtures'
import { seededRandom, testSeeds } from './helpers/seededRandom'

const NOW = Date.UTC(2026, 11, 3, 9, 0, 0)
const tlSchema = createTLSchema()

/** A discovery board: the Vision prompts answered, an MVP frame, a theme, and links of every type. */
function stagesBoard(): RecordLike[] {
	return [
		page('page:main', 'a1'),
		frame('shape:vision', 0, 0, 1400, 1100, { stage: 2, defaultKind: 'question' }),
		frame('shape:opp', 40, 120, 640, 450, { visionPrompt: 'opportunity' }, 'shape:vision'),
		frame('shape:pay', 720, 120, 640, 450, { visionPrompt: 'willingnessToPay' }, 'shape:vision'),
		frame('shape:sol', 40, 610, 640, 450, { visionPrompt: 'existingSolutions' }, 'shape:vision'),
		frame('shape:measure', 720, 610, 640, 450, { visionPrompt: 'successMeasure' }, 'shape:vision'),
		note('shape:v1', 40, 40, '2M small teams', { kind: 'insight' }, 'shape:opp'),
		note('shape:v2', 300, 40, 'Growing 20% a year', { kind: 'insight' }, 'shape:opp'),
		note('shape:v3', 40, 40, '€8 per seat?', { kind: 'question' }, 'shape:pay'),
		note('shape:v4', 40, 40, 'Weekly active teams', { kind: 'kpi' }, 'shape:measure'),
		// Centre inside a prompt frame while parented to the Vision frame: it answers by containment.
		note('shape:v5', 760, 650, 'Spreadsheets, badly', { kind: 'insight' }, 'shape:vision'),
		frame('shape:theme', 2000, 0, 1000, 900, theme('Activation', 'WAU', '+20%', true)),
		frame('shape:mvp', 0, 2000, 1400, 1100, { stage: 6, defaultKind: 'feature', mvpScope: true }),
		note('shape:f1', 100, 100, 'Onboarding checklist', { kind: 'feature', rice: { reach: 1000, impact: 2, confidence: 80, effort: 4 } }, 'shape:mvp'),
		note('shape:f2', 2100, 100, 'Invite links', { kind: 'feature', mvp: true, rice: { reach: 500, impact: 1, confidence: 50, effort: 1 } }, 'shape:theme'),
		note('shape:f3', 2400, 100, 'Dark mode', { kind: 'feature' }, 'shape:theme'),
		note('shape:idea', 4000, 0, 'Interactive tutorial', { kind: 'idea' }),
		note('shape:ideaInMvp', 500, 100, 'Idea in the MVP frame', { kind: 'idea' }, 'shape:mvp'),
		note('shape:problem', 4300, 0, 'Teams stall in week one', { kind: 'problem' }),
		note('shape:s1', 4600, 0, 'Interviews: "where do I start"', { kind: 'insight' }),
		note('shape:s2', 4900, 0, 'Support tickets about setup', { kind: 'insight' }),
		note('shape:e1', 5200, 0, 'Fake-door checklist', {
			kind: 'experiment',
			experiment: { hypothesis: 'Teams with a checklist invite a colleague on day 1', metric: 'day-1 invites', threshold: '≥ 30%', result: 'validated' },
		}),
		note('shape:e2', 5500, 0, 'Tutorial prototype', { kind: 'experiment', experiment: { hypothesis: 'People finish a 3-step tutorial', result: 'nonsense', metric: 42 } }),
		note('shape:e3', 5800, 0, 'Not started yet', { kind: 'experiment' }),
		note('shape:k1', 6100, 0, 'Day-1 invites', { kind: 'kpi' }),
		note('shape:q1', 6400, 0, 'Will admins allow invites?', { kind: 'question' }),
		...arrow('shape:l01', 'shape:s1', 'shape:f1', { weight: 3 }),
		...arrow('shape:l02', 'shape:f1', 'shape:s2'), // drawn backwards: still "s2 supports f1"
		...arrow('shape:l03', 'shape:s2', 'shape:f2', { weight: 2 }),
		...arrow('shape:l04', 'shape:s1', 'shape:idea', { weight: 1 }),
		...arrow('shape:l05', 'shape:f1', 'shape:problem'),
		...arrow('shape:l06', 'shape:e1', 'shape:f1'),
		...arrow('shape:l07', 'shape:e2', 'shape:idea'),
		...arrow('shape:l08', 'shape:e3', 'shape:idea'),
		...arrow('shape:l09', 'shape:k1', 'shape:f1'),
		...arrow('shape:l10', 'shape:v4', 'shape:theme'),
		...arrow('shape:l11', 'shape:q1', 'shape:f1'),
		...arrow('shape:l12', 'shape:idea', 'shape:f3', { relationType: 'solves' }), // explicit, ends do not fit
		...arrow('shape:l13', 'shape:s1', 'shape:f3', { relationType: 'blocks', weight: 9 }), // malformed: inferred supports, weight 1
		...arrow('shape:l14', 'shape:s1', null), // a drawing, not a link
	]
}

function exportStages(records: RecordLike[] | PlainRecord[] = stagesBoard()): BoardExport {
	return buildBoardExport({ boardId: 'board-stages', title: 'Stages', records, now: NOW, template: 'discovery' })
}

const itemOf = (data: BoardExport, id: string) => data.items.find((item) => item.id === id)!

describe('export version 4 fields', () => {
	const data = exportStages()

	it('is valid against the zod schema and the committed JSON Schema', () => {
		expect(data.schemaVersion).toBe(BOARD_EXPORT_SCHEMA_VERSION)
		const parsed = BoardExportSchema.safeParse(data)
		expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
		expectValidAgainstExportJsonSchema(data)
	})

	it('exports relations in the type direction, ordered by their ends, with weights only on supports', () => {
		// Items are in reading order (page y, then x): the idea and the stickies at y = 0 come first, f1 (in the MVP frame) late.
		expect(data.relations.map(({ id, from, to, type, weight }) => [id, from, to, type, weight])).toEqual([
			['shape:l12', 'shape:idea', 'shape:f3', 'solves', undefined],
			['shape:l04', 'shape:s1', 'shape:idea', 'supports', 1],
			['shape:l13', 'shape:s1', 'shape:f3', 'supports', 1],
			['shape:l01', 'shape:s1', 'shape:f1', 'supports', 3],
			['shape:l03', 'shape:s2', 'shape:f2', 'supports', 2],
			['shape:l02', 'shape:s2', 'shape:f1', 'supports', 1],
			['shape:l06', 'shape:e1', 'shape:f1', 'tests', undefined],
			['shape:l07', 'shape:e2', 'shape:idea', 'tests', undefined],
			['shape:l08', 'shape:e3', 'shape:idea', 'tests', undefined],
			['shape:l09', 'shape:k1', 'shape:f1', 'measures', undefined],
			['shape:l11', 'shape:q1', 'shape:f1', 'relates', undefined],
			['shape:l10', 'shape:v4', 'shape:theme', 'measures', undefined],
			['shape:l05', 'shape:f1', 'shape:problem', 'solves', undefined],
		])
		for (const relation of data.relations) expect('weight' in relation).toBe(relation.type === 'supports')
	})

	it('gives ideas and features their importance (sum of supports weights), other kinds null', () => {
		expect(itemOf(data, 'shape:f1').importance).toBe(4)
		expect(itemOf(data, 'shape:f2').importance).toBe(2)
		expect(itemOf(data, 'shape:f3').importance).toBe(1)
		expect(itemOf(data, 'shape:idea').importance).toBe(1)
		expect(itemOf(data, 'shape:ideaInMvp').importance).toBe(0)
		expect(itemOf(data, 'shape:s1').importance).toBeNull()
		expect(itemOf(data, 'shape:k1').importance).toBeNull()
	})

	it('exports experiment fields for experiments only, invalid fields as null', () => {
		expect(itemOf(data, 'shape:e1').experiment).toEqual({ hypothesis: 'Teams with a checklist invite a colleague on day 1', metric: 'day-1 invites', threshold: '≥ 30%', result: 'validated' })
		expect(itemOf(data, 'shape:e2').experiment).toEqual({ hypothesis: 'People finish a 3-step tutorial', metric: null, threshold: null, result: null })
		expect(itemOf(data, 'shape:e3').experiment).toEqual({ hypothesis: null, metric: null, threshold: null, result: null })
		expect(itemOf(data, 'shape:f1').experiment).toBeNull()
	})

	it('groups the Vision answers by prompt frame, in item order', () => {
		expect(data.vision).toEqual({ opportunity: ['shape:v1', 'shape:v2'], willingnessToPay: ['shape:v3'], existingSolutions: [], successMeasure: ['shape:v4', 'shape:v5'] })
		expect(data.frames.find((f) => f.id === 'shape:pay')).toMatchObject({ visionPrompt: 'willingnessToPay', mvpScope: false, parentFrameId: 'shape:vision' })
	})

	it('puts features inside the MVP frame or marked in meta in the MVP, never other kinds', () => {
		expect(data.items.filter((item) => item.mvp).map((item) => item.id)).toEqual(['shape:f2', 'shape:f1'])
		expect(itemOf(data, 'shape:ideaInMvp').mvp).toBe(false)
		expect(data.frames.find((f) => f.id === 'shape:mvp')).toMatchObject({ stage: 6, mvpScope: true })
		// A stage-6 frame without the flag (boards made before it existed) is an MVP scope frame too.
		const legacy = exportStages(stagesBoard().map((r) => (r.id === 'shape:mvp' ? { ...r, meta: { stage: 6 } } : r)))
		expect(itemOf(legacy, 'shape:f1').mvp).toBe(true)
		const notMvp = exportStages(stagesBoard().map((r) => (r.id === 'shape:mvp' ? { ...r, meta: { stage: 5 } } : r)))
		expect(notMvp.items.filter((item) => item.mvp).map((item) => item.id)).toEqual(['shape:f2'])
	})

	it('drops links whose end is not exported (a zero-size frame)', () => {
		const records = [...stagesBoard(), frame('shape:empty', 9000, 0, 0, 0, {}), ...arrow('shape:toEmpty', 'shape:idea', 'shape:empty')]
		expect(exportStages(records).relations.map((r) => r.id)).not.toContain('shape:toEmpty')
	})
})

describe('validation of version-4 cross references', () => {
	const data = exportStages()
	const issuesOf = (doc: unknown) => {
		const result = parseBoardImport(doc)
		return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`)
	}

	it('rejects unknown ends, self links, misplaced weights and wrong importance', () => {
		const replaced = (index: number, relation: object) => ({ ...data, relations: data.relations.map((r, i) => (i === index ? relation : r)) })
		const tests = data.relations.findIndex((r) => r.type === 'tests')
		const supports = data.relations.findIndex((r) => r.type === 'supports')
		const first = data.relations[tests]
		expect(issuesOf(replaced(tests, { ...first, to: 'shape:nowhere' }))).toEqual([expect.stringMatching(new RegExp(`^relations\\.${tests}\\.to: unknown item, theme or frame`, 'u'))])
		expect(issuesOf(replaced(tests, { ...first, to: first.from }))).toContainEqual(expect.stringMatching(/a relation needs two different ends/u))
		expect(issuesOf(replaced(tests, { ...first, weight: 2 }))).toEqual([`relations.${tests}.weight: weight is required for supports and not allowed otherwise`])
		const { weight: _w, ...withoutWeight } = data.relations[supports]
		expect(issuesOf(replaced(supports, withoutWeight))).toContainEqual(`relations.${supports}.weight: weight is required for supports and not allowed otherwise`)
		const f1 = data.items.findIndex((i) => i.id === 'shape:f1')
		expect(issuesOf({ ...data, items: data.items.map((item, i) => (i === f1 ? { ...item, importance: 99 } : item)) })).toEqual([`items.${f1}.importance: importance 99 is not the sum of the weights of its supports relations (4)`])
		const relationsWithoutSupports = data.relations.filter((r) => r.type !== 'supports')
		expect(issuesOf({ ...data, relations: relationsWithoutSupports }).length).toBeGreaterThan(0)
	})

	it('rejects experiment fields on other kinds, MVP non-features and unknown vision items', () => {
		const idea = data.items.findIndex((i) => i.id === 'shape:ideaInMvp')
		const withExperiment = { ...data, items: data.items.map((item, i) => (i === idea ? { ...item, experiment: { hypothesis: 'h', metric: null, threshold: null, result: null } } : item)) }
		expect(issuesOf(withExperiment)).toEqual([`items.${idea}.experiment: only experiment items have experiment fields`])
		const mvpIdea = { ...data, items: data.items.map((item, i) => (i === idea ? { ...item, mvp: true } : item)) }
		expect(issuesOf(mvpIdea)).toEqual([`items.${idea}.mvp: only features can be in the MVP`])
		expect(issuesOf({ ...data, vision: { ...data.vision, existingSolutions: ['shape:ghost'] } })).toEqual(['vision.existingSolutions.0: unknown item "shape:ghost"'])
		expect(issuesOf({ ...data, relations: [{ ...data.relations[0], type: 'blocks' }] }).some((issue) => issue.startsWith('relations.0.type'))).toBe(true)
		const [e1] = data.items.filter((i) => i.kind === 'experiment')
		const badResult = { ...data, items: data.items.map((item) => (item === e1 ? { ...item, experiment: { ...item.experiment!, result: 'won' } } : item)) }
		expect(issuesOf(badResult).some((issue) => /experiment\.result/u.test(issue))).toBe(true)
	})
})

describe('migration AddRelationsExperimentsVisionAndMvp (v3 → v4)', () => {
	/** A version-3 file as version 3 wrote it (no relations, vision, importance, experiment or mvp). */
	function v3File(): Record<string, unknown> {
		const current = exportStages([
			page('page:main', 'a1'),
			frame('shape:stage6', 0, 0, 1400, 1100, { stage: 6, defaultKind: 'feature' }),
			note('shape:f', 100, 100, 'In the MVP stage', { kind: 'feature' }, 'shape:stage6'),
			note('shape:i', 3000, 0, 'An idea', { kind: 'idea' }),
			note('shape:k', 3300, 0, 'A KPI', { kind: 'kpi' }),
		])
		const { relations: _r, vision: _v, ...rest } = current
		return {
			...rest,
			schemaVersion: 3,
			items: current.items.map(({ importance: _i, experiment: _e, mvp: _m, ...item }) => item),
			frames: current.frames.map(({ visionPrompt: _p, mvpScope: _s, ...f }) => f),
		}
	}

	it('is applied by name and adds empty links, vision, importance 0 for ideas and features, no MVP', () => {
		const input = v3File()
		const copy = structuredClone(input)
		const result = parseBoardImport(input)
		expect(input).toEqual(copy) // not mutated
		expect(result).toMatchObject({ ok: true, fromVersion: 3, migrations: ['AddRelationsExperimentsVisionAndMvp', 'AddCommentsAndReactions', 'AddKpisAndEstimationRounds', 'AddStatusAndCd3'] })
		if (!result.ok) return
		expect(result.data.schemaVersion).toBe(BOARD_EXPORT_SCHEMA_VERSION)
		expect(result.data.relations).toEqual([])
		expect(result.data.vision).toEqual({ opportunity: [], willingnessToPay: [], existingSolutions: [], successMeasure: [] })
		expect(result.data.items.map((i) => [i.kind, i.importance, i.experiment, i.mvp])).toEqual([
			['idea', 0, null, false],
			['kpi', null, null, false],
			['feature', 0, null, false],
		])
		expect(result.data.frames.map((f) => [f.visionPrompt, f.mvpScope])).toEqual([[null, false]])
		// Imported, the stage-6 frame makes its feature part of the MVP again.
		const again = exportStages(boardExportToRecords(result.data, { newId: counterIds('m') }))
		expect(again.items.find((i) => i.kind === 'feature')!.mvp).toBe(true)
	})

	it('keeps fields already there and leaves malformed parts for validation', () => {
		const input = v3File()
		const migrated = migrateBoardExport({ ...input, items: [...(input.items as unknown[]), 7], frames: 'none', relations: 'kept' })
		expect(migrated.ok).toBe(true)
		if (!migrated.ok) return
		expect((migrated.value.items as unknown[]).at(-1)).toBe(7)
		expect(migrated.value.frames).toBe('none')
		expect(migrated.value.relations).toBe('kept')
		const result = parseBoardImport({ ...input, frames: 'none' })
		expect(!result.ok && result.issues.map((i) => i.path)).toContain('frames')
	})
})

describe('renderers', () => {
	const data = exportStages()

	it('CSV appends the version-4 columns after votes_total and fills them', () => {
		expect(CSV_COLUMNS.slice(27, 36)).toEqual(['votes_total', 'importance', 'mvp', 'vision_prompt', 'experiment_hypothesis', 'experiment_metric', 'experiment_threshold', 'experiment_result', 'links'])
		const lines = boardExportToCsv(data).trimEnd().split('\r\n')
		expect(lines[0]).toBe(CSV_COLUMNS.join(','))
		const cell = (id: string, column: (typeof CSV_COLUMNS)[number]) => {
			const line = lines.find((l) => l.startsWith(`${id},`))!
			// These rows have no quoted commas before the links column; links takes the commas the row has beyond one per column.
			const cells = line.split(',')
			const index = CSV_COLUMNS.indexOf(column)
			return column === 'links' ? cells.slice(index, index + 1 + cells.length - CSV_COLUMNS.length).join(',') : cells[index]
		}
		expect(cell('shape:f1', 'importance')).toBe('4')
		expect(cell('shape:f1', 'mvp')).toBe('true')
		expect(cell('shape:f3', 'mvp')).toBe('false')
		expect(cell('shape:s1', 'importance')).toBe('')
		expect(cell('shape:v3', 'vision_prompt')).toBe('willingnessToPay')
		expect(cell('shape:e1', 'experiment_metric')).toBe('day-1 invites')
		expect(cell('shape:e1', 'experiment_result')).toBe('validated')
		expect(cell('shape:e3', 'experiment_result')).toBe('')
		expect(cell('shape:f2', 'links')).toBe('supported by shape:s2 (weight 2)')
		expect(cell('shape:e1', 'links')).toBe('tests shape:f1')
		expect(cell('shape:f1', 'links')).toBe('supported by shape:s1 (weight 3); supported by shape:s2 (weight 1); tested by shape:e1; measured by shape:k1; related to shape:q1; solves shape:problem')
	})

	it('Markdown shows the Vision, the MVP with what it rests on, importance next to RICE, and the experiments', () => {
		const md = boardExportToMarkdown(data)
		const section = (title: string) => {
			const start = md.indexOf(`\n## ${title}\n`)
			expect(start, title).toBeGreaterThan(-1)
			const end = md.indexOf('\n## ', start + 1)
			return md.slice(start, end === -1 ? undefined : end)
		}
		expect(md.indexOf('## Vision')).toBeLessThan(md.indexOf('## Roadmap'))
		expect(section('Vision')).toContain('### How big is the opportunity?\n\n- Insight: 2M small teams\n- Insight: Growing 20% a year\n')
		expect(section('Vision')).toContain('### Do solutions exist, and do they work?\n\n_Not answered yet._\n')
		const mvp = section('MVP')
		expect(mvp).toContain('2 features in the first release.')
		expect(mvp).toContain('- **Onboarding checklist** — RICE 400 · importance 4\n')
		expect(mvp).toContain('  - Experiment: Fake-door checklist — **validated** (metric day-1 invites, threshold ≥ 30%)\n')
		expect(mvp).toContain('  - Evidence: Interviews: "where do I start" (weight 3)\n')
		expect(mvp).toContain('  - Assumption: Will admins allow invites?\n')
		expect(mvp).toContain('  - Solves: Teams stall in week one\n')
		expect(mvp).toContain('  - Measured by: Day-1 invites\n')
		// f2 is in the Activation theme, which a KPI measures.
		expect(mvp).toContain('- **Invite links** — RICE 250 · importance 2\n')
		expect(mvp).toContain('  - Measured by: Weekly active teams (theme Activation)\n')
		expect(mvp).not.toContain('Dark mode')
		expect(section('Prioritised by RICE')).toContain('| # | Item | Kind | Score | Reach | Impact | Confidence | Effort | Importance |')
		expect(section('Prioritised by RICE')).toMatch(/\| Onboarding checklist \| Feature \| 400 \|.* \| 4 \|\n/u)
		const experiments = section('Experiments')
		expect(experiments).toContain('- Fake-door checklist — **validated** (metric day-1 invites, threshold ≥ 30%)\n  Hypothesis: Teams with a checklist invite a colleague on day 1\n  Tests: Onboarding checklist\n')
		expect(experiments).toContain('- Not started yet — **no result yet**\n  Tests: Interactive tutorial\n')
	})

	it('leaves out the Vision, MVP and Experiments sections when the board has none', () => {
		const md = boardExportToMarkdown(exportStages([page('page:main', 'a1'), note('shape:a', 0, 0, 'Just an idea', { kind: 'idea' })]))
		for (const title of ['## Vision', '## MVP', '## Experiments']) expect(md).not.toContain(title)
	})
})

describe('export → import round trip', () => {
	it('recreates links as arrows bound at both ends, experiments, vision answers and the MVP', () => {
		const first = exportStages()
		const records = boardExportToRecords(first, { newId: counterIds('x') })
		for (const record of records) {
			const type = tlSchema.types[record.typeName as keyof typeof tlSchema.types]
			expect(() => type.validate(record), JSON.stringify(record)).not.toThrow()
		}
		const arrows = records.filter((r) => r.typeName === 'shape' && r.type === 'arrow')
		expect(arrows).toHaveLength(first.relations.length)
		expect(records.filter((r) => r.typeName === 'binding')).toHaveLength(2 * first.relations.length)
		// Arrows are drawn above the stickies of their page.
		const topLevel = records.filter((r) => r.typeName === 'shape' && r.parentId === arrows[0].parentId && r.type !== 'arrow').map((r) => r.index as string)
		for (const a of arrows) for (const index of topLevel) expect((a.index as string) > index).toBe(true)
		// The explicit type survives (its ends would infer relates); the inferred ones need no meta.
		const explicit = arrows.filter((a) => (a.meta as Record<string, unknown>).relationType !== undefined)
		expect(explicit.map((a) => (a.meta as Record<string, unknown>).relationType)).toEqual(['solves'])
		// f2 is marked (outside the MVP frame), f1 is in the MVP by its frame and stays unmarked.
		const marked = records.filter((r) => (r.meta as Record<string, unknown>)?.mvp === true)
		expect(marked).toHaveLength(1)
		const second = exportStages(records)
		expect(second.relations[0].id).not.toBe(first.relations[0].id)
		expect(normalizeExport(second)).toEqual(normalizeExport(first))
	})

	it('works through a Y.Doc: the imported records, written as protocol.md describes, export the same', () => {
		const first = exportStages()
		const doc = new Y.Doc()
		doc.transact(() => {
			for (const record of boardExportToRecords(first, { newId: counterIds('y') })) getRecordsMap(doc).set(record.id, recordToYMap(record))
		})
		const second = exportStages([...readAllRecords(doc).values()] as RecordLike[])
		expect(normalizeExport(second)).toEqual(normalizeExport(first))
	})

	it('keeps seeded random boards of links, experiments, vision answers and MVP features', () => {
		const seen = { relations: 0, explicit: 0, supports: 0, experiments: 0, vision: 0, mvp: 0 }
		for (const seed of testSeeds(25, 1300)) {
			const first = exportStages(randomStagesBoard(seed))
			seen.relations += first.relations.length
			seen.supports += first.relations.filter((r) => r.type === 'supports').length
			seen.experiments += first.items.filter((i) => i.experiment?.result).length
			seen.vision += Object.values(first.vision).flat().length
			seen.mvp += first.items.filter((i) => i.mvp).length
			expect(BoardExportSchema.safeParse(first).success, `seed ${seed}`).toBe(true)
			const records = boardExportToRecords(first, { newId: counterIds(`s${seed}-`) })
			const second = exportStages(records)
			expect(normalizeExport(second), `seed ${seed}`).toEqual(normalizeExport(first))
			// The new board's arrows read back as the same relations.
			expect(readRelations(records).issues, `seed ${seed}`).toEqual([])
			seen.explicit += readRelations(records).relations.filter((r) => r.explicit).length
		}
		// The boards exercise every part (unless a single seed is replayed).
		if (testSeeds(25, 1300).length > 1) for (const [part, count] of Object.entries(seen)) expect(count, part).toBeGreaterThan(0)
	})
})

/**
 * A random board: Vision prompt frames, an MVP frame (flagged or stage 6), a
 * theme, stickies of every kind scattered over them and the page, experiment
 * fields (some invalid), MVP marks, and arrows between random ends, some with
 * an explicit type, a weight, malformed meta or a free end.
 */
function randomStagesBoard(seed: number): RecordLike[] {
	const random = seededRandom(seed)
	const records: RecordLike[] = [
		page('page:main', 'a1'),
		frame('shape:vision', 0, 0, 1400, 1100, { stage: 2 }),
		frame('shape:p0', 40, 120, 640, 450, { visionPrompt: 'opportunity' }, 'shape:vision'),
		frame('shape:p1', 720, 120, 640, 450, { visionPrompt: 'willingnessToPay' }, 'shape:vision'),
		frame('shape:p2', 40, 610, 640, 450, { visionPrompt: 'existingSolutions' }, 'shape:vision'),
		frame('shape:p3', 720, 610, 640, 450, { visionPrompt: 'successMeasure' }, 'shape:vision'),
		frame('shape:mvp', 0, 2000, 1400, 1100, random.chance(0.5) ? { stage: 6, mvpScope: true } : { stage: 6 }),
		frame('shape:theme', 2000, 0, 1200, 1000, theme('Theme')),
	]
	const parents = [
		{ id: 'page:main', w: 6000, h: 6000 },
		{ id: 'shape:p0', w: 640, h: 450 },
		{ id: 'shape:p1', w: 640, h: 450 },
		{ id: 'shape:p3', w: 640, h: 450 },
		{ id: 'shape:vision', w: 1400, h: 1100 },
		{ id: 'shape:mvp', w: 1400, h: 1100 },
		{ id: 'shape:theme', w: 1200, h: 1000 },
	]
	const ends: string[] = ['shape:theme', 'shape:p2']
	const count = 8 + random.int(25)
	for (let i = 0; i < count; i++) {
		const parent = random.pick(parents)
		const kind = random.pick(ITEM_KINDS)
		const meta: Record<string, unknown> = { kind }
		if (kind === 'experiment' && random.chance(0.8)) {
			meta.experiment = {
				hypothesis: random.chance(0.7) ? `hypothesis ${i}` : undefined,
				metric: random.chance(0.5) ? `metric ${i}` : random.chance(0.2) ? 12 : undefined,
				threshold: random.chance(0.5) ? `> ${i}%` : undefined,
				result: random.chance(0.8) ? random.pick(EXPERIMENT_RESULTS) : 'maybe',
			}
		}
		if (random.chance(0.2)) meta.mvp = random.chance(0.8) ? true : 'yes'
		const id = `shape:n${i}`
		records.push(note(id, random.next() * (parent.w - 100) - 50, random.next() * (parent.h - 100) - 50, `note ${i}`, meta, parent.id))
		ends.push(id)
	}
	const links = random.int(30)
	for (let i = 0; i < links; i++) {
		const start = random.pick(ends)
		const end = random.chance(0.1) ? null : random.pick(ends)
		const meta: Record<string, unknown> = {}
		if (random.chance(0.2)) meta.relationType = random.pick(['solves', 'supports', 'tests', 'measures', 'relates', 'blocks'])
		if (random.chance(0.4)) meta.weight = random.pick([1, 2, 3, 3, 0, 2.5])
		records.push(...arrow(`shape:a${i}`, start, end, meta))
	}
	return records
}
