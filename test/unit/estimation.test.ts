/**
 * RICE estimation poker, the pure parts (#13 item 7): spreads and outliers,
 * the median RICE, the server's round transitions (hidden until the reveal,
 * anonymous rounds keyed by HMAC and without names, estimates erased at the
 * reveal), and the export's `estimationRounds[]` (revealed rounds only,
 * aggregates only for anonymous rounds), with seeded random rounds.
 */
import { describe, expect, it } from 'vitest'
import { BoardExportSchema, boardExportToCsv, boardExportToMarkdown, buildBoardExport, exportEstimationRounds } from '../../shared/export'
import { IMPACT_VALUES } from '../../shared/items/rice'
import { medianRice, spreadOf } from '../../shared/session/estimation'
import { myEstimates, newRound, publicRound, revealed, withAccepted, withEstimate } from '../../server/session/estimationRounds'
import { note, page } from './exportFixtures'
import { seededRandom, testSeeds } from './helpers/seededRandom'

const salt = Buffer.alloc(32, 7)

describe('spreadOf', () => {
	it('gives min, median and max, and names the outliers of a named round only', () => {
		const entries = [
			{ name: 'Ana', value: 3 },
			{ name: 'Ben', value: 5 },
			{ name: 'Cho', value: 40 },
			{ name: 'Dee', value: 4 },
		]
		expect(spreadOf(entries, true)).toEqual({ count: 4, min: 3, median: 4.5, max: 40, outliers: [{ name: 'Cho', value: 40 }] })
		expect(spreadOf(entries, false)).toEqual({ count: 4, min: 3, median: 4.5, max: 40, outliers: null })
		// Everyone agrees but one: MAD 0, the one who differs is the outlier.
		expect(spreadOf([{ name: 'A', value: 2 }, { name: 'B', value: 2 }, { name: 'C', value: 1 }], true)?.outliers).toEqual([{ name: 'C', value: 1 }])
		// Two estimates: no outliers (who would be the odd one?).
		expect(spreadOf([{ name: 'A', value: 1 }, { name: 'B', value: 100 }], true)?.outliers).toEqual([])
		expect(spreadOf([], true)).toBeNull()
	})

	it('never flags anyone in a tight spread and always stays within min..max (seeded)', () => {
		for (const seed of testSeeds(30, 900)) {
			const random = seededRandom(seed)
			const entries = Array.from({ length: 3 + random.int(8) }, (_, i) => ({ name: `p${i}`, value: 100 + random.int(5) }))
			const spread = spreadOf(entries, true)!
			expect(spread.min).toBeLessThanOrEqual(spread.median)
			expect(spread.median).toBeLessThanOrEqual(spread.max)
			if (new Set(entries.map((e) => e.value)).size > 2) expect(spread.outliers!.length, `seed ${seed}`).toBeLessThan(entries.length / 2)
		}
	})
})

describe('medianRice', () => {
	it('snaps impact to the scale and rounds the others', () => {
		const s = (median: number) => ({ count: 3, min: median, median, max: median, outliers: null })
		expect(medianRice({ itemId: 'shape:a', estimators: 3, reach: s(1011.5), impact: s(1.5), confidence: s(72.5), effort: s(3.75), accepted: null })).toEqual({ reach: 1012, impact: 1, confidence: 73, effort: 3.8 })
		expect(medianRice({ itemId: 'shape:a', estimators: 1, reach: null, impact: s(1), confidence: s(50), effort: s(1), accepted: null })).toBeNull()
		for (const v of IMPACT_VALUES) expect(medianRice({ itemId: 'shape:a', estimators: 1, reach: s(1), impact: s(v), confidence: s(1), effort: s(1), accepted: null })?.impact).toBe(v)
	})
})

describe('server round transitions', () => {
	it('keeps estimates hidden until the reveal and then keeps only aggregates', () => {
		let round = newRound('round-1', { title: 'R', itemIds: ['shape:a', 'shape:b'], anonymous: false }, 1000, salt)
		round = withEstimate(round, 'pid-ana', 'Ana', 'shape:a', { reach: 10, effort: 2 })
		round = withEstimate(round, 'pid-ben', 'Ben', 'shape:a', { reach: 30 })
		round = withEstimate(round, 'pid-ben', 'Ben', 'shape:b', { impact: 2 })
		expect(publicRound(round)).toMatchObject({ status: 'open', estimators: 2, results: null })
		expect(JSON.stringify(publicRound(round))).not.toMatch(/"reach"|Ana|Ben/u)
		expect(myEstimates(round, 'pid-ben').estimates).toEqual({ 'shape:a': { reach: 30 }, 'shape:b': { impact: 2 } })
		// An empty estimate withdraws it.
		round = withEstimate(round, 'pid-ana', 'Ana', 'shape:a', {})
		expect(publicRound(round).estimators).toBe(1)
		round = withEstimate(round, 'pid-ana', 'Ana', 'shape:a', { reach: 20 })
		const shown = revealed(round, 2000)
		expect(shown.estimates).toEqual({})
		expect(publicRound(shown).results![0]).toMatchObject({ itemId: 'shape:a', estimators: 2, reach: { min: 20, median: 25, max: 30 }, effort: null })
		expect(revealed(shown, 3000)).toBe(shown)
		const accepted = withAccepted(shown, 'shape:a', { reach: 25, impact: 1, confidence: 50, effort: 2 })
		expect(publicRound(accepted).results![0].accepted).toEqual({ reach: 25, impact: 1, confidence: 50, effort: 2 })
	})

	it('keys an anonymous round by HMAC: no participant id, no name, salt erased at the reveal', () => {
		let round = newRound('round-2', { title: 'Blind', itemIds: ['shape:a'], anonymous: true }, 1000, salt)
		round = withEstimate(round, 'participant-secret-id', 'Secret Name', 'shape:a', { reach: 5 })
		expect(JSON.stringify(round)).not.toMatch(/participant-secret-id|Secret Name/u)
		expect(myEstimates(round, 'participant-secret-id').estimates).toEqual({ 'shape:a': { reach: 5 } })
		expect(publicRound(round).estimatedPersonKeys).toBeNull()
		const shown = revealed(round, 2000)
		expect(shown.salt).toBeNull()
		expect(shown.results![0].reach?.outliers).toBeNull()
	})
})

describe('export estimationRounds[]', () => {
	const records = [page('page:main', 'a1'), note('shape:a', 0, 0, 'Checklist', { kind: 'feature' })]
	it('exports revealed rounds oldest first, drops open ones and names in anonymous rounds; renders CSV and Markdown', () => {
		const spread = { count: 3, min: 1, median: 2, max: 9, outliers: [{ name: 'Cho', value: 9 }] }
		const result = { itemId: 'shape:a', estimators: 3, reach: spread, impact: null, confidence: null, effort: spread, accepted: { reach: 2, impact: 1 as const, confidence: 50, effort: 2 } }
		const rounds = [
			{ id: 'round-late', title: 'Late', status: 'revealed' as const, anonymous: false, createdAt: 5000, revealedAt: 9000, estimators: 3, results: [result] },
			{ id: 'round-open', title: 'Open', status: 'open' as const, anonymous: false, createdAt: 1000, revealedAt: null, estimators: 3, results: null },
			{ id: 'round-anon', title: 'Blind', status: 'revealed' as const, anonymous: true, createdAt: 1000, revealedAt: 2000, estimators: 3, results: [result] },
		]
		const data = buildBoardExport({ boardId: 'b', title: 'B', records, now: 10_000, estimationRounds: rounds })
		expect(data.estimationRounds.map((r) => r.id)).toEqual(['round-anon', 'round-late'])
		expect(data.estimationRounds[0].items[0].reach?.outliers).toBeNull()
		expect(data.estimationRounds[1].items[0].reach?.outliers).toEqual([{ name: 'Cho', value: 9 }])
		expect(BoardExportSchema.safeParse(data).success).toBe(true)
		const md = boardExportToMarkdown(data)
		expect(md).toContain('## Estimation\n\n### Blind\n')
		expect(md).toContain('| Checklist | 1 – **2** – 9 | — | — | 1 – **2** – 9 | 2 × 1 × 50% / 2 |')
		expect(md).toContain('- Checklist, reach: Cho (9)')
		expect(md.indexOf('Cho (9)')).toBeGreaterThan(md.indexOf('### Late'))
		const csv = boardExportToCsv(data).trimEnd().split('\r\n')
		expect(csv[1].includes(',"Blind: median R/I/C/E 2/?/?/2, accepted 2/1/50/2; Late: median R/I/C/E 2/?/?/2, accepted 2/1/50/2"')).toBe(true)
		expect(exportEstimationRounds([{ ...rounds[0], revealedAt: Number.NaN }])).toEqual([])
	})
})
