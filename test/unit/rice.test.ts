import { describe, expect, it } from 'vitest'
import { computeRice, formatRiceScore, rankByRice, readRiceInput, type RiceResult } from '../../shared/items/rice'

describe('computeRice', () => {
	it.each([
		[{ reach: 1000, impact: 2, confidence: 80, effort: 4 }, 400],
		[{ reach: 500, impact: 0.25, confidence: 100, effort: 0.5 }, 250],
		[{ reach: 0, impact: 3, confidence: 50, effort: 1 }, 0],
		[{ reach: 10, impact: 1, confidence: 0, effort: 2 }, 0],
		[{ reach: 120, impact: 0.5, confidence: 50, effort: 3 }, 10],
	])('scores %o as %d', (input, score) => {
		const result = computeRice(input)
		expect(result.status).toBe('complete')
		if (result.status === 'complete') expect(result.score).toBeCloseTo(score, 10)
	})

	it.each([
		[{}, ['reach', 'impact', 'confidence', 'effort'], []],
		[{ reach: 100, impact: 2 }, ['confidence', 'effort'], []],
		[{ reach: 100, impact: 2, confidence: 50 }, ['effort'], []],
		[{ reach: 100, impact: 0.7, confidence: 50, effort: 1 }, ['impact'], ['impact']],
		[{ reach: 100, impact: 1, confidence: 50, effort: 0 }, ['effort'], ['effort']],
		[{ reach: -1, impact: 1, confidence: 50, effort: 1 }, ['reach'], ['reach']],
		[{ reach: 1, impact: 1, confidence: 101, effort: 1 }, ['confidence'], ['confidence']],
		[{ reach: '100', impact: 1, confidence: 50, effort: 1 }, ['reach'], ['reach']],
		[{ reach: Number.NaN, impact: 1, confidence: 50, effort: Number.POSITIVE_INFINITY }, ['reach', 'effort'], ['reach', 'effort']],
		[{ reach: 5, impact: null, confidence: 50, effort: 1 }, ['impact'], []],
	])('%o is incomplete, missing %o (invalid %o) — never 0', (input, missing, invalid) => {
		const result = computeRice(input)
		expect(result).toMatchObject({ status: 'incomplete', missing, invalid })
		expect(result).not.toHaveProperty('score')
	})

	it('treats garbage as incomplete without throwing', () => {
		for (const garbage of [undefined, null, 42, 'rice', [1, 2, 3, 4], { __proto__: { reach: 1 } }]) {
			expect(computeRice(garbage).status).toBe('incomplete')
		}
		expect(readRiceInput('x').invalid).toEqual(['reach', 'impact', 'confidence', 'effort'])
		expect(readRiceInput(undefined).invalid).toEqual([])
	})

	it('keeps the valid fields of an incomplete estimate', () => {
		expect(computeRice({ reach: 100, impact: 9 })).toEqual({
			status: 'incomplete',
			missing: ['impact', 'confidence', 'effort'],
			invalid: ['impact'],
			values: { reach: 100 },
		})
	})
})

describe('rankByRice', () => {
	const items = [
		{ id: 'a', rice: { reach: 100, impact: 1, confidence: 100, effort: 1 } }, // 100
		{ id: 'b', rice: { reach: 100 } }, // incomplete
		{ id: 'c', rice: { reach: 1000, impact: 1, confidence: 100, effort: 1 } }, // 1000
		{ id: 'd', rice: { reach: 0, impact: 1, confidence: 100, effort: 1 } }, // 0 — complete, ranks last of complete
		{ id: 'e', rice: {} }, // incomplete
		{ id: 'f', rice: { reach: 50, impact: 2, confidence: 100, effort: 1 } }, // 100, tie with a
	]

	it('puts complete items first by score, ties in input order, then incomplete ones', () => {
		const ranked = rankByRice(items, (item) => computeRice(item.rice))
		expect(ranked.map((r) => r.item.id)).toEqual(['c', 'a', 'f', 'd', 'b', 'e'])
		expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, null, null])
	})

	it('returns the rice result with each item', () => {
		const ranked = rankByRice(items, (item) => computeRice(item.rice))
		const statuses = ranked.map((r) => (r.rice as RiceResult).status)
		expect(statuses).toEqual(['complete', 'complete', 'complete', 'complete', 'incomplete', 'incomplete'])
	})
})

describe('formatRiceScore', () => {
	it.each([
		[400, '400'],
		[12.345, '12.3'],
		[0.25, '0.3'],
		[1234.5, '1235'],
		[Number.NaN, '–'],
	])('%d → %s', (score, text) => {
		expect(formatRiceScore(score)).toBe(text)
	})
})

describe('fast field checks', () => {
	it('agree with the zod field schemas', async () => {
		const { RICE_FIELD_CHECKS, ReachSchema, ImpactSchema, ConfidenceSchema, EffortSchema } = await import('../../shared/items/rice')
		const schemas = { reach: ReachSchema, impact: ImpactSchema, confidence: ConfidenceSchema, effort: EffortSchema }
		const samples: unknown[] = [0, -0, 0.25, 0.5, 0.7, 1, 2, 3, 4, 50, 100, 100.5, -1, 1e308, Infinity, -Infinity, NaN, '1', null, undefined, true, {}, []]
		for (const field of ['reach', 'impact', 'confidence', 'effort'] as const) {
			for (const sample of samples) {
				expect(RICE_FIELD_CHECKS[field](sample), `${field} ${String(sample)}`).toBe(schemas[field].safeParse(sample).success)
			}
		}
	})
})
