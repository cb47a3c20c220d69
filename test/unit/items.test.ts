import { describe, expect, it } from 'vitest'
import { parseFrameMeta } from '../../shared/items/frameMeta'
import { parseItemMeta, ItemMetaSchema } from '../../shared/items/itemMeta'
import { ITEM_KIND_INFO, ITEM_KINDS, kindForShortcut, TLDRAW_COLORS } from '../../shared/items/kinds'
import { normalizeTag, normalizeTags, TAG_PALETTE, tagColor, TagSchema } from '../../shared/items/tags'
import { plainTextToRichText, richTextToPlainText } from '../../shared/text/richText'

describe('kinds', () => {
	it('has one row per kind with a tldraw colour and a unique shortcut 1-8', () => {
		const shortcuts = ITEM_KINDS.map((kind) => ITEM_KIND_INFO[kind].shortcut)
		expect(new Set(shortcuts).size).toBe(8)
		expect([...shortcuts].sort()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8'])
		for (const kind of ITEM_KINDS) {
			expect(ITEM_KIND_INFO[kind].kind).toBe(kind)
			expect(TLDRAW_COLORS).toContain(ITEM_KIND_INFO[kind].color)
		}
		expect(new Set(ITEM_KINDS.map((k) => ITEM_KIND_INFO[k].color)).size).toBe(8)
	})

	it('maps shortcut digits to kinds', () => {
		expect(kindForShortcut('1')).toBe('idea')
		expect(kindForShortcut('3')).toBe('jtbd')
		expect(kindForShortcut('7')).toBe('kpi')
		expect(kindForShortcut('8')).toBe('experiment')
		expect(kindForShortcut('9')).toBeNull()
		expect(kindForShortcut('x')).toBeNull()
	})
})

describe('tags', () => {
	it.each([
		['Onboarding', 'onboarding'],
		['  #Mobile   App ', 'mobile app'],
		['##', null],
		['   ', null],
		['x'.repeat(60), 'x'.repeat(40)],
		['ÉTÉ', 'été'],
	])('normalizeTag(%j) = %j', (input, expected) => {
		expect(normalizeTag(input)).toBe(expected)
	})

	it('de-duplicates after normalising, keeping first-seen order', () => {
		expect(normalizeTags(['B', 'a', '#b', ' A '])).toEqual(['b', 'a'])
	})

	it('TagSchema accepts only normalised tags', () => {
		expect(TagSchema.safeParse('mobile app').success).toBe(true)
		for (const bad of ['', ' x', 'x ', '#x', 'Upper', 'two  spaces', 'x'.repeat(41)]) {
			expect(TagSchema.safeParse(bad).success, bad).toBe(false)
		}
	})

	it('colours a tag stably from the palette, independent of spelling', () => {
		expect(tagColor('Onboarding')).toBe(tagColor('#onboarding'))
		expect(TAG_PALETTE).toContain(tagColor('pricing'))
		// A fixed expectation so a change of hash or palette is a deliberate, visible change.
		expect(['onboarding', 'pricing', 'performance', 'mobile'].map(tagColor)).toEqual(['blue', 'grey', 'grey', 'black'])
		const used = new Set(Array.from({ length: 200 }, (_, i) => tagColor(`tag ${i}`)))
		expect(used.size).toBe(TAG_PALETTE.length)
	})
})

describe('parseItemMeta', () => {
	it('reads a complete, valid meta', () => {
		const raw = {
			kind: 'feature',
			tags: ['Onboarding', 'mobile'],
			author: { id: 'u1', name: 'Ada' },
			createdAt: 1_700_000_000_000,
			updatedAt: 1_700_000_100_000,
			rice: { reach: 100, impact: 2, confidence: 50 },
			jtbd: { situation: 's', motivation: 'm' },
			votes: { anything: true },
			other: 'kept by others',
		}
		expect(parseItemMeta(raw)).toEqual({
			meta: {
				kind: 'feature',
				tags: ['onboarding', 'mobile'],
				author: { id: 'u1', name: 'Ada' },
				createdAt: 1_700_000_000_000,
				updatedAt: 1_700_000_100_000,
				rice: { reach: 100, impact: 2, confidence: 50 },
				jtbd: { situation: 's', motivation: 'm' },
				experiment: null,
				mvp: false,
				kpi: null,
			},
			issues: [],
		})
	})

	it('returns defaults for an absent meta', () => {
		expect(parseItemMeta(undefined).meta).toEqual({
			kind: 'idea',
			tags: [],
			author: null,
			createdAt: null,
			updatedAt: null,
			rice: {},
			jtbd: null,
			experiment: null,
			mvp: false,
			kpi: null,
		})
		expect(parseItemMeta({}).issues).toEqual([])
	})

	it.each([null, 42, 'meta', [1, 2], true])('never throws on garbage meta %j', (garbage) => {
		const { meta } = parseItemMeta(garbage)
		expect(meta.kind).toBe('idea')
	})

	it('keeps valid fields and reports each invalid one', () => {
		const { meta, issues } = parseItemMeta({
			kind: 'epic',
			tags: ['ok', 42, '  ', null],
			author: { id: '', name: 'x' },
			createdAt: Number.NaN,
			updatedAt: '2024-01-01',
			rice: { reach: 5, impact: 7, effort: -1 },
			jtbd: { situation: 'when it rains', outcome: 12 },
			experiment: { hypothesis: 'h', metric: 7, result: 'won' },
			mvp: 'yes',
		})
		expect(meta).toEqual({
			kind: 'idea',
			tags: ['ok'],
			author: null,
			createdAt: null,
			updatedAt: null,
			rice: { reach: 5 },
			jtbd: { situation: 'when it rains' },
			experiment: { hypothesis: 'h', metric: null, threshold: null, result: null },
			mvp: false,
			kpi: null,
		})
		expect(issues.map((i) => i.path)).toEqual([
			'kind',
			'tags.1',
			'tags.3',
			'author',
			'createdAt',
			'updatedAt',
			'rice.impact',
			'rice.effort',
			'jtbd.outcome',
			'experiment.metric',
			'experiment.result',
			'mvp',
		])
	})

	it('ignores inherited properties (prototype pollution)', () => {
		const raw = JSON.parse('{"__proto__": {"kind": "kpi"}}') as unknown
		expect(parseItemMeta(raw).meta.kind).toBe('idea')
	})

	it('ItemMetaSchema validates what clients write', () => {
		expect(ItemMetaSchema.safeParse({ kind: 'idea', tags: ['a'], rice: { impact: 3 } }).success).toBe(true)
		expect(ItemMetaSchema.safeParse({ kind: 'idea', rice: { impact: 4 } }).success).toBe(false)
		expect(ItemMetaSchema.safeParse({ tags: ['Upper'] }).success).toBe(false)
	})
})

describe('parseFrameMeta', () => {
	it('reads theme, lane, stage, defaultKind, matrix, visionPrompt and mvpScope', () => {
		const { meta, issues } = parseFrameMeta({
			theme: { title: 'Activation', description: 'Get teams going', goal: { metric: 'WAU', target: '+20%', northStar: true } },
			lane: 'next',
			stage: 4,
			defaultKind: 'problem',
			matrix: { xAxis: 'effort', yAxis: 'value' },
			visionPrompt: 'willingnessToPay',
			mvpScope: true,
		})
		expect(issues).toEqual([])
		expect(meta).toEqual({
			theme: { title: 'Activation', description: 'Get teams going', goal: { metric: 'WAU', target: '+20%', northStar: true } },
			lane: 'next',
			stage: 4,
			defaultKind: 'problem',
			matrix: { xAxis: 'effort', yAxis: 'value' },
			visionPrompt: 'willingnessToPay',
			mvpScope: true,
		})
	})

	it('treats a half-filled theme as a theme with defaults', () => {
		const { meta, issues } = parseFrameMeta({ theme: { title: 7 } })
		expect(meta.theme).toEqual({ title: '', description: '', goal: { metric: '', target: '', northStar: false } })
		expect(issues).toEqual([{ path: 'theme.title', message: 'not a string' }])
	})

	it('reports invalid keys and keeps going', () => {
		const { meta, issues } = parseFrameMeta({ lane: 'soon', stage: 9, defaultKind: 'x', matrix: { xAxis: 'cost' }, theme: 'yes', visionPrompt: 'price', mvpScope: 'yes' })
		expect(meta).toEqual({ theme: null, lane: null, stage: null, defaultKind: null, matrix: null, visionPrompt: null, mvpScope: false })
		expect(issues.map((i) => i.path).sort()).toEqual(['defaultKind', 'lane', 'matrix', 'mvpScope', 'stage', 'theme', 'visionPrompt'])
	})
})

describe('rich text', () => {
	it('flattens paragraphs, hard breaks, lists and marks', () => {
		const doc = {
			type: 'doc',
			content: [
				{ type: 'paragraph', content: [{ type: 'text', text: 'Hello ' }, { type: 'text', text: 'world', marks: [{ type: 'bold' }] }] },
				{ type: 'paragraph' },
				{ type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'hardBreak' }, { type: 'text', text: 'b' }] },
				{
					type: 'bulletList',
					content: [
						{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] },
						{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two' }] }] },
					],
				},
				{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Title' }] },
			],
		}
		expect(richTextToPlainText(doc)).toBe('Hello world\n\na\nb\none\ntwo\nTitle')
	})

	it.each([undefined, null, 3, [], { type: 'doc' }, { type: 'doc', content: 'x' }, { type: 'doc', content: [null, 5, { type: 'text', text: 9 }] }])(
		'returns text without throwing for malformed %j',
		(value) => {
			expect(typeof richTextToPlainText(value)).toBe('string')
		},
	)

	it('survives hostile nesting depth', () => {
		let node: Record<string, unknown> = { type: 'text', text: 'deep' }
		for (let i = 0; i < 10_000; i++) node = { type: 'blockquote', content: [node] }
		expect(richTextToPlainText({ type: 'doc', content: [node] })).toBe('')
	})

	it('round-trips plain text and matches tldraw toRichText', async () => {
		const { toRichText } = await import('@tldraw/tlschema')
		for (const text of ['', 'one line', 'two\nlines', 'gap\n\nbetween', ' spaced ']) {
			expect(plainTextToRichText(text)).toEqual(toRichText(text))
			expect(richTextToPlainText(plainTextToRichText(text))).toBe(text)
		}
	})
})

describe('fast meta checks', () => {
	it('agree with the zod schemas', async () => {
		const { isAuthor, isEpochMs, isItemKind, AuthorSchema, EpochMsSchema } = await import('../../shared/items/itemMeta')
		const { ItemKindSchema } = await import('../../shared/items/kinds')
		const samples: unknown[] = ['idea', 'kpi', 'Idea', '', 0, 1.5, -1, 1_700_000_000_000, 9e15, NaN, null, { id: 'u', name: '' }, { id: '', name: 'x' }, { id: 'x'.repeat(129), name: 'x' }, { id: 'u', name: 'x'.repeat(101) }, { id: 'u' }, []]
		for (const sample of samples) {
			expect(isItemKind(sample)).toBe(ItemKindSchema.safeParse(sample).success)
			expect(isAuthor(sample)).toBe(AuthorSchema.safeParse(sample).success)
			expect(isEpochMs(sample)).toBe(EpochMsSchema.safeParse(sample).success)
		}
	})
})
