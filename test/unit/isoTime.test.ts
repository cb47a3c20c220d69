import { describe, expect, it } from 'vitest'
import { isoUtc } from '../../shared/export/isoTime'
import { seededRandom } from './helpers/seededRandom'

/** What isoUtc must equal: Date's own formatting, null where Date is invalid. */
function reference(ms: number): string | null {
	const date = new Date(ms)
	return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

describe('isoUtc', () => {
	it('equals Date#toISOString for seeded random times, fractions, negatives and edges', () => {
		const random = seededRandom(20_261_126)
		const samples = [0, -1, 1, 0.5, -0.5, 999.9, -999.9, 86_399_999, 86_400_000, -86_400_000, -86_400_001, 8.64e15, -8.64e15, 8.64e15 + 1, -8.64e15 - 1, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001]
		for (let i = 0; i < 5_000; i++) samples.push((random.next() - 0.5) * 2 * 8.7e15)
		for (let i = 0; i < 5_000; i++) samples.push(1_795_000_000_000 + random.int(86_400_000 * 3) + (random.chance(0.2) ? random.next() : 0))
		for (const ms of samples) expect(isoUtc(ms), String(ms)).toBe(reference(ms))
	})

	it('refuses what Date refuses', () => {
		for (const ms of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) expect(isoUtc(ms)).toBeNull()
	})
})
