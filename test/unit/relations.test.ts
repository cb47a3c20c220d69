import { describe, expect, it } from 'vitest'
import { computeImportance, inferRelationType, readRelations, relationsOf, RELATION_SIGNATURES, type RelationEndKind } from '../../shared/items/relations'
import { ITEM_KINDS } from '../../shared/items/kinds'
import { arrow, frame, note, page, theme } from './exportFixtures'

describe('inferRelationType', () => {
	it.each([
		['idea', 'problem', 'solves'],
		['feature', 'jtbd', 'solves'],
		['insight', 'feature', 'supports'],
		['insight', 'idea', 'supports'],
		['experiment', 'idea', 'tests'],
		['experiment', 'feature', 'tests'],
		['kpi', 'theme', 'measures'],
		['kpi', 'feature', 'measures'],
		['idea', 'idea', 'relates'],
		['kpi', 'idea', 'relates'],
		['question', 'feature', 'relates'],
		['frame', 'idea', 'relates'],
	] as const)('%s → %s is %s', (from, to, type) => {
		expect(inferRelationType(from, to)).toEqual({ type, swap: false })
		// Drawn the other way round it is the same relation, read in the type's direction.
		expect(inferRelationType(to, from)).toEqual({ type, swap: type !== 'relates' })
	})

	it('gives every pair of ends exactly one type', () => {
		const ends: RelationEndKind[] = [...ITEM_KINDS, 'theme', 'frame']
		for (const a of ends) {
			for (const b of ends) {
				const { type, swap } = inferRelationType(a, b)
				if (type === 'relates') continue
				const [from, to] = swap ? [b, a] : [a, b]
				expect(RELATION_SIGNATURES[type].from).toContain(from)
				expect(RELATION_SIGNATURES[type].to).toContain(to)
			}
		}
	})
})

function board() {
	return [
		page('page:main', 'a1'),
		frame('shape:theme', 2000, 0, 800, 800, theme('Activation')),
		frame('shape:plain', 4000, 0, 800, 800, {}),
		note('shape:insight', 0, 0, 'users ask for it', { kind: 'insight' }),
		note('shape:insight2', 0, 300, 'support tickets', { kind: 'insight' }),
		note('shape:feature', 300, 0, 'checklist', { kind: 'feature' }),
		note('shape:idea', 600, 0, 'tutorial', { kind: 'idea' }),
		note('shape:problem', 900, 0, 'teams stall', { kind: 'problem' }),
		note('shape:kpi', 1200, 0, 'WAU', { kind: 'kpi' }),
		note('shape:experiment', 1500, 0, 'fake door', { kind: 'experiment' }),
		{ id: 'shape:geo', typeName: 'shape', type: 'geo', x: 0, y: 900, rotation: 0, parentId: 'page:main', index: 'a2', props: { w: 100, h: 100 }, meta: {} },
	]
}

describe('readRelations', () => {
	it('reads bound arrows as typed relations, in the type direction, with weights', () => {
		const records = [
			...board(),
			...arrow('shape:a1', 'shape:insight', 'shape:feature', { weight: 3 }),
			...arrow('shape:a2', 'shape:feature', 'shape:insight2'), // drawn backwards
			...arrow('shape:a3', 'shape:idea', 'shape:problem'),
			...arrow('shape:a4', 'shape:experiment', 'shape:idea'),
			...arrow('shape:a5', 'shape:kpi', 'shape:theme'),
			...arrow('shape:a6', 'shape:idea', 'shape:plain'),
		]
		const { relations, issues } = readRelations(records)
		expect(issues).toEqual([])
		expect(relations.map(({ id, from, to, type, weight, swapped }) => ({ id, from, to, type, weight, swapped }))).toEqual([
			{ id: 'shape:a1', from: 'shape:insight', to: 'shape:feature', type: 'supports', weight: 3, swapped: false },
			{ id: 'shape:a2', from: 'shape:insight2', to: 'shape:feature', type: 'supports', weight: 1, swapped: true },
			{ id: 'shape:a3', from: 'shape:idea', to: 'shape:problem', type: 'solves', weight: null, swapped: false },
			{ id: 'shape:a4', from: 'shape:experiment', to: 'shape:idea', type: 'tests', weight: null, swapped: false },
			{ id: 'shape:a5', from: 'shape:kpi', to: 'shape:theme', type: 'measures', weight: null, swapped: false },
			{ id: 'shape:a6', from: 'shape:idea', to: 'shape:plain', type: 'relates', weight: null, swapped: false },
		])
		expect(computeImportance(relations)).toEqual(new Map([['shape:feature', 4]]))
		const feature = relationsOf('shape:feature', relations)
		expect(feature.outgoing).toEqual([])
		expect(feature.incoming.map((r) => r.id)).toEqual(['shape:a1', 'shape:a2'])
		expect(relationsOf('shape:idea', relations).outgoing.map((r) => r.id)).toEqual(['shape:a3', 'shape:a6'])
	})

	it('lets an explicit type override inference, and then reads the ends as drawn unless they fit only reversed', () => {
		const records = [
			...board(),
			...arrow('shape:x1', 'shape:insight', 'shape:feature', { relationType: 'relates', weight: 2 }),
			...arrow('shape:x2', 'shape:idea', 'shape:feature', { relationType: 'supports', weight: 2 }),
			...arrow('shape:x3', 'shape:problem', 'shape:feature', { relationType: 'solves' }),
		]
		const { relations, issues } = readRelations(records)
		expect(issues).toEqual([])
		expect(relations.map(({ id, from, to, type, weight, explicit }) => ({ id, from, to, type, weight, explicit }))).toEqual([
			// A weight left over from an earlier type is not read.
			{ id: 'shape:x1', from: 'shape:insight', to: 'shape:feature', type: 'relates', weight: null, explicit: true },
			{ id: 'shape:x2', from: 'shape:idea', to: 'shape:feature', type: 'supports', weight: 2, explicit: true },
			{ id: 'shape:x3', from: 'shape:feature', to: 'shape:problem', type: 'solves', weight: null, explicit: true },
		])
		// Only supports links count, whatever the ends' kinds.
		expect(computeImportance(relations)).toEqual(new Map([['shape:feature', 2]]))
	})

	it('reports malformed meta and falls back to the inferred type and weight 1', () => {
		const records = [
			...board(),
			...arrow('shape:m1', 'shape:insight', 'shape:feature', { relationType: 'blocks', weight: 7 }),
			...arrow('shape:m2', 'shape:insight', 'shape:idea', { weight: 1.5 }),
			...arrow('shape:m3', 'shape:idea', 'shape:problem', { relationType: { type: 'solves' } }),
		]
		const { relations, issues } = readRelations(records)
		expect(relations.map((r) => [r.id, r.type, r.weight, r.explicit])).toEqual([
			['shape:m1', 'supports', 1, false],
			['shape:m2', 'supports', 1, false],
			['shape:m3', 'solves', null, false],
		])
		expect(issues.map((i) => [i.arrowId, i.path])).toEqual([
			['shape:m1', 'relationType'],
			['shape:m1', 'weight'],
			['shape:m2', 'weight'],
			['shape:m3', 'relationType'],
		])
		const garbage = readRelations([...board(), ...arrow('shape:g', 'shape:insight', 'shape:feature', 'meta' as unknown as Record<string, unknown>)])
		expect(garbage.relations.map((r) => r.type)).toEqual(['supports'])
		expect(garbage.issues).toEqual([{ arrowId: 'shape:g', path: '', message: 'meta is not an object' }])
	})

	it('skips arrows that are not links: a free end, one shape at both ends, a non-item end, missing shapes, doubled bindings', () => {
		const doubled = arrow('shape:d', 'shape:insight', 'shape:feature')
		const records = [
			...board(),
			...arrow('shape:free', 'shape:insight', null),
			...arrow('shape:self', 'shape:feature', 'shape:feature'),
			...arrow('shape:geoEnd', 'shape:geo', 'shape:feature'),
			...arrow('shape:gone', 'shape:deleted', 'shape:feature'),
			...doubled,
			{ ...doubled[1], id: 'binding:d-start-2', toId: 'shape:idea' },
			// A binding whose arrow is not an arrow shape, and bindings of another type.
			{ id: 'binding:stray', typeName: 'binding', type: 'arrow', fromId: 'shape:idea', toId: 'shape:problem', props: { terminal: 'start' }, meta: {} },
			{ id: 'binding:other', typeName: 'binding', type: 'sticker', fromId: 'shape:free', toId: 'shape:feature', props: { terminal: 'end' }, meta: {} },
		]
		const { relations, issues } = readRelations(records)
		expect(relations).toEqual([])
		expect(issues).toEqual([{ arrowId: 'shape:d', path: 'bindings', message: 'more than one binding for one end of the arrow' }])
	})

	it('never throws on garbage records', () => {
		const garbage = [null, 7, { id: 'binding:x', typeName: 'binding', type: 'arrow', fromId: 5, toId: null, props: null }, { id: 'binding:y', typeName: 'binding', type: 'arrow', fromId: 'shape:a', toId: 'shape:b', props: 'x' }]
		expect(() => readRelations(garbage as never)).not.toThrow()
	})
})
