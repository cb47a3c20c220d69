/** Board search: the query language, the index, and that incremental updates match a rebuild. */
import { describe, expect, it } from 'vitest'
import { BoardSearchIndex } from '../../shared/search/boardSearch'
import { parseSearchQuery } from '../../shared/search/searchQuery'
import { plainTextToRichText } from '../../shared/text/richText'
import { seededRandom, testSeeds } from './helpers/seededRandom'

type Rec = Record<string, unknown>

function note(id: string, text: string, meta: Rec = {}, parentId = 'page:page'): Rec {
	return { typeName: 'shape', type: 'note', id, parentId, x: 0, y: 0, props: { richText: plainTextToRichText(text) }, meta }
}
function frame(id: string, name: string, parentId = 'page:page'): Rec {
	return { typeName: 'shape', type: 'frame', id, parentId, x: 0, y: 0, props: { name, w: 100, h: 100 }, meta: {} }
}
const ids = (index: BoardSearchIndex, text: string) => index.search(parseSearchQuery(text)).hits.map((hit) => hit.entry.id)

describe('search query language', () => {
	it('reads words, phrases and filters; unknown kinds are reported, not dropped', () => {
		expect(parseSearchQuery('Onboarding "step 3" kind:feature,problem tag:#Pricing author:"Ana B" in:Now')).toEqual({
			terms: ['onboarding', 'step 3'],
			kinds: ['feature', 'problem'],
			tags: ['pricing'],
			authors: ['ana b'],
			frames: ['now'],
			unknownKinds: [],
			statuses: [],
			unknownStatuses: [],
		})
		expect(parseSearchQuery('kind:job').kinds).toEqual(['jtbd']) // by label prefix
		expect(parseSearchQuery('kind:banana').unknownKinds).toEqual(['banana'])
		expect(parseSearchQuery('http://x').terms).toEqual(['http://x'])
		expect(parseSearchQuery('"unclosed phrase').terms).toEqual(['unclosed phrase'])
		expect(parseSearchQuery('x'.repeat(10_000)).terms[0]).toHaveLength(500)
	})
})

describe('board search index', () => {
	const board = () =>
		new BoardSearchIndex([
			frame('shape:now', 'Now'),
			frame('shape:theme', 'Faster onboarding', 'shape:now'),
			note('shape:a', 'Users abandon onboarding at step 3', { kind: 'problem', tags: ['onboarding'], author: { id: 'u1', name: 'Ana Bell' } }, 'shape:theme'),
			note('shape:b', 'Guided tour for new users', { kind: 'feature', tags: ['onboarding', 'pricing'], author: { id: 'u2', name: 'Bo' } }),
			note('shape:c', 'Pricing page is confusing', { kind: 'insight', tags: ['pricing'] }),
			note('shape:d', 'Untyped idea about Onboarding'),
			{ typeName: 'shape', type: 'geo', id: 'shape:geo', parentId: 'page:page', props: {}, meta: {} },
			{ typeName: 'instance', id: 'instance:instance' },
		])

	it('matches text, kind, tags and author; filters combine with AND', () => {
		const index = board()
		expect(index.size).toBe(6) // notes and frames only
		expect(ids(index, 'onboarding')).toEqual(['shape:a', 'shape:b', 'shape:d', 'shape:theme']) // stickies before frames
		expect(ids(index, 'kind:feature tag:onboarding')).toEqual(['shape:b'])
		expect(ids(index, 'tag:pricing')).toEqual(['shape:b', 'shape:c'])
		expect(ids(index, 'tag:pricing tag:onboarding')).toEqual(['shape:b'])
		expect(ids(index, 'author:ana')).toEqual(['shape:a'])
		expect(ids(index, 'insight')).toEqual(['shape:c']) // the kind's label is searchable
		expect(ids(index, '#pricing')).toEqual(['shape:b', 'shape:c'])
		expect(ids(index, 'kind:idea')).toEqual(['shape:d']) // an untyped sticky is an idea
		expect(ids(index, 'in:now')).toEqual(['shape:a', 'shape:theme']) // nested frames count
		expect(ids(index, 'in:onboarding step')).toEqual(['shape:a'])
		expect(ids(index, '"step 3" kind:feature')).toEqual([])
		expect(ids(index, 'kind:banana')).toEqual([])
		expect(ids(index, '')).toEqual([])
		const [hit] = index.search(parseSearchQuery('step')).hits
		expect(hit!.frameNames).toEqual(['Faster onboarding', 'Now'])
		expect(hit!.matchAt).toBe('Users abandon onboarding at '.length)
		expect(index.allTags()).toEqual(['onboarding', 'pricing'])
	})

	it('counts every match but returns at most the limit', () => {
		const index = new BoardSearchIndex(Array.from({ length: 300 }, (_, i) => note(`shape:n${i}`, `sticky ${i}`)))
		const result = index.search(parseSearchQuery('sticky'), 50)
		expect(result.total).toBe(300)
		expect(result.hits).toHaveLength(50)
	})

	it('never trusts meta or text: garbage is searched as what it safely is', () => {
		const index = new BoardSearchIndex([
			note('shape:x', 'ok', { kind: 'nonsense', tags: 'not-an-array', author: { name: 42 } }),
			{ typeName: 'shape', type: 'note', id: 'shape:y', parentId: 'shape:y', props: { richText: { type: 'doc', content: 'bad' } }, meta: null },
			{ typeName: 'shape', type: 'frame', id: 'shape:loop1', parentId: 'shape:loop2', props: { name: 'A' } },
			{ typeName: 'shape', type: 'frame', id: 'shape:loop2', parentId: 'shape:loop1', props: { name: 7 } },
		])
		expect(ids(index, 'ok')).toEqual(['shape:x'])
		expect(ids(index, 'kind:idea')).toEqual(['shape:x', 'shape:y'])
		expect(ids(index, 'in:a')).toEqual(['shape:loop2']) // a parent cycle ends the walk
	})

	it('kept up to date change by change, it answers like one built from scratch (seeded edits)', () => {
		const words = ['onboarding', 'pricing', 'churn', 'step', 'tour', 'export', 'slow', 'mobile']
		const kinds = ['idea', 'problem', 'feature', 'insight', 'kpi']
		for (const seed of testSeeds(10)) {
			const random = seededRandom(seed)
			const records = new Map<string, Rec>()
			const live = new BoardSearchIndex()
			const randomNote = (id: string) =>
				note(
					id,
					Array.from({ length: 1 + random.int(5) }, () => random.pick(words)).join(' '),
					{ kind: random.pick(kinds), tags: random.chance(0.5) ? [random.pick(words)] : [], author: { id: 'a', name: random.pick(['Ana', 'Bo', 'Cy']) } },
					random.chance(0.3) ? 'shape:f1' : 'page:page',
				)
			records.set('shape:f1', frame('shape:f1', 'Later'))
			live.put(records.get('shape:f1')!)
			for (let step = 0; step < 200; step++) {
				const id = `shape:n${random.int(40)}`
				if (random.chance(0.2) && records.has(id)) {
					records.delete(id)
					live.remove(id)
				} else {
					const record = randomNote(id)
					records.set(id, record)
					live.put(record)
				}
			}
			const rebuilt = new BoardSearchIndex(records.values())
			for (let q = 0; q < 20; q++) {
				const query = [random.pick(words), random.chance(0.4) ? `kind:${random.pick(kinds)}` : '', random.chance(0.3) ? `tag:${random.pick(words)}` : '', random.chance(0.2) ? 'in:later' : '']
					.filter(Boolean)
					.join(' ')
				const sorted = (index: BoardSearchIndex) => ids(index, query).sort()
				expect(sorted(live), `seed ${seed}, query "${query}"`).toEqual(sorted(rebuilt))
			}
		}
	})
})
