/** Small seeded PRNG (mulberry32) for replayable randomised tests. */
export interface Random {
	readonly seed: number
	/** Float in [0, 1). */
	next(): number
	/** Integer in [0, max). */
	int(max: number): number
	pick<T>(items: readonly T[]): T
	chance(probability: number): boolean
	shuffle<T>(items: T[]): T[]
}

export function seededRandom(seed: number): Random {
	let state = seed >>> 0
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0
		let t = state
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
	const int = (max: number) => Math.floor(next() * max)
	return {
		seed,
		next,
		int,
		pick: (items) => {
			if (items.length === 0) throw new Error('pick from empty list')
			return items[int(items.length)]!
		},
		chance: (probability) => next() < probability,
		shuffle: (items) => {
			for (let i = items.length - 1; i > 0; i--) {
				const j = int(i + 1)
				;[items[i], items[j]] = [items[j]!, items[i]!]
			}
			return items
		},
	}
}

/** Seeds to run: `BINDING_SEED=123` replays one seed, otherwise `count` seeds from `base`. */
export function testSeeds(count: number, base = 1): number[] {
	const fixed = process.env.BINDING_SEED
	if (fixed) return [Number(fixed)]
	return Array.from({ length: count }, (_, i) => base + i)
}
