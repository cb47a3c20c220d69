/**
 * The opportunity solution tree (issue #13 item 11): the `ost` template's
 * levels with their kinds and guide texts, and the tree the export and the
 * Markdown summary read from the links (outcome → opportunities → solutions → experiments).
 */
import { describe, expect, it } from 'vitest'
import { boardExportToMarkdown, buildBoardExport, opportunityTree } from '../../shared/export'
import { defaultKindForParent } from '../../shared/items'
import type { RecordLike } from '../../shared/items/containment'
import type { PlainRecord } from '../../shared/recordCodec'
import { buildTemplateRecords, DEFAULT_PAGE_ID, defaultDocumentRecords, OST_LEVELS } from '../../shared/templates'
import { richTextToPlainText } from '../../shared/text/richText'
import { arrow, note, page } from './exportFixtures'
import { seededRandom } from './helpers/seededRandom'

type Shape = PlainRecord & { type: string; parentId: string; x: number; y: number; props: Record<string, unknown>; meta: Record<string, unknown> }

describe('opportunity solution tree template', () => {
	let n = 0
	const { title, records } = buildTemplateRecords('ost', { newId: () => `o${++n}`, pageId: DEFAULT_PAGE_ID })
	const shapes = records as Shape[]
	const tree = shapes.find((r) => r.type === 'frame' && r.parentId === DEFAULT_PAGE_ID)!
	const levels = shapes.filter((r) => r.type === 'frame' && r.parentId === tree.id)

	it('has outcome, opportunities, solutions and experiments top to bottom, each with its kind and a guide', () => {
		expect(title).toBe('Opportunity solution tree')
		expect(levels.map((f) => f.props.name)).toEqual(['Outcome', 'Opportunities', 'Solutions', 'Experiments'])
		const all = [...defaultDocumentRecords(), ...records]
		expect(levels.map((f) => defaultKindForParent(all, f.id))).toEqual(['kpi', 'problem', 'idea', 'experiment'])
		for (let i = 1; i < levels.length; i++) expect(levels[i]!.y).toBeGreaterThanOrEqual(levels[i - 1]!.y + (levels[i - 1]!.props.h as number))
		const last = levels.at(-1)!
		expect(last.y + (last.props.h as number)).toBeLessThanOrEqual(tree.props.h as number)
		for (const [i, level] of levels.entries()) {
			const guides = shapes.filter((r) => r.type === 'text' && r.parentId === level.id)
			expect(guides.map((g) => richTextToPlainText(g.props.richText))).toEqual([OST_LEVELS[i]!.guide])
			// The guide fits inside its frame.
			expect(guides[0]!.x + (guides[0]!.props.w as number)).toBeLessThanOrEqual(level.props.w as number)
		}
		// A fresh tree exports no items and no tree.
		const data = buildBoardExport({ boardId: 'ost', title, records: all, now: 0, template: 'ost' })
		expect(data.items).toEqual([])
		expect(opportunityTree(data)).toEqual([])
	})
})

function treeBoard(): RecordLike[] {
	return [
		page('page:main', 'a1'),
		note('shape:outcome', 0, 0, 'Weekly active teams +20%', { kind: 'kpi' }),
		note('shape:opp1', 0, 300, 'Setting up a board takes too long', { kind: 'problem' }),
		note('shape:opp2', 300, 300, 'When I run a retro, I want to reuse last time’s board, so I can start fast', { kind: 'jtbd' }),
		note('shape:orphan', 600, 300, 'Exports are hard to find', { kind: 'problem' }),
		note('shape:sol1', 0, 600, 'Templates gallery', { kind: 'idea' }),
		note('shape:sol2', 300, 600, 'Duplicate board', { kind: 'feature' }),
		note('shape:sol3', 600, 600, 'Export button in the header', { kind: 'idea' }),
		note('shape:exp1', 0, 900, 'Fake-door test of the gallery', { kind: 'experiment', experiment: { hypothesis: 'Teams pick a template', metric: 'clicks', threshold: '30%', result: 'validated' } }),
		// Opportunity → outcome (drawn either way), solution solves opportunity, experiment tests solution.
		...arrow('shape:a1', 'shape:opp1', 'shape:outcome'),
		...arrow('shape:a2', 'shape:outcome', 'shape:opp2'),
		...arrow('shape:a3', 'shape:sol1', 'shape:opp1'),
		...arrow('shape:a4', 'shape:opp2', 'shape:sol2'),
		...arrow('shape:a5', 'shape:exp1', 'shape:sol1'),
		...arrow('shape:a6', 'shape:sol3', 'shape:orphan'),
	]
}

describe('opportunity solution tree from the links', () => {
	const data = buildBoardExport({ boardId: 'ost', title: 'OST', records: treeBoard(), now: 0, template: 'ost' })

	it('reads outcome → opportunities → solutions → experiments; unrooted branches hang under no outcome', () => {
		expect(opportunityTree(data)).toEqual([
			{
				id: 'shape:outcome',
				opportunities: [
					{ id: 'shape:opp1', solutions: [{ id: 'shape:sol1', experimentIds: ['shape:exp1'] }] },
					{ id: 'shape:opp2', solutions: [{ id: 'shape:sol2', experimentIds: [] }] },
				],
			},
			{ id: null, opportunities: [{ id: 'shape:orphan', solutions: [{ id: 'shape:sol3', experimentIds: [] }] }] },
		])
	})

	it('shows the tree in the Markdown summary', () => {
		const md = boardExportToMarkdown(data)
		const section = md.slice(md.indexOf('## Opportunity solution tree'), md.indexOf('## Experiments'))
		expect(section.trim().split('\n')).toEqual([
			'## Opportunity solution tree',
			'',
			'- **Outcome:** Weekly active teams +20%',
			'  - Opportunity: Setting up a board takes too long',
			'    - Solution: Templates gallery',
			'      - Experiment: Fake-door test of the gallery — **validated** (metric clicks, threshold 30%)',
			'  - Opportunity: When I run a retro, I want to reuse last time’s board, so I can start fast',
			'    - Solution: Duplicate board',
			'- **Outcome:** _(not linked to an outcome yet)_',
			'  - Opportunity: Exports are hard to find',
			'    - Solution: Export button in the header',
		])
	})

	it('ignores links that do not form a branch, on random boards', () => {
		const random = seededRandom(11)
		const kinds = ['kpi', 'problem', 'jtbd', 'idea', 'feature', 'experiment', 'insight', 'question'] as const
		for (let round = 0; round < 20; round++) {
			const records: RecordLike[] = [page('page:main', 'a1')]
			for (let i = 0; i < 12; i++) records.push(note(`shape:n${i}`, i * 250, 0, `n${i}`, { kind: random.pick(kinds) }))
			for (let i = 0; i < 15; i++) records.push(...arrow(`shape:l${i}`, `shape:n${random.int(12)}`, `shape:n${random.int(12)}`))
			const exported = buildBoardExport({ boardId: 'r', title: 'r', records, now: 0 })
			const kindOf = new Map(exported.items.map((item) => [item.id, item.kind]))
			for (const outcome of opportunityTree(exported)) {
				if (outcome.id !== null) expect(kindOf.get(outcome.id)).toBe('kpi')
				for (const opportunity of outcome.opportunities) {
					expect(['problem', 'jtbd']).toContain(kindOf.get(opportunity.id))
					for (const solution of opportunity.solutions) {
						expect(exported.relations.some((r) => r.type === 'solves' && r.from === solution.id && r.to === opportunity.id)).toBe(true)
						for (const id of solution.experimentIds) expect(exported.relations.some((r) => r.type === 'tests' && r.from === id && r.to === solution.id)).toBe(true)
					}
				}
			}
		}
	})
})
