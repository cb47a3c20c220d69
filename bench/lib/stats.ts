/** Small statistics helpers: percentiles of latency samples and medians of repeated runs. */

export interface LatencySummary {
	count: number
	p50: number | null
	p99: number | null
	max: number | null
}

/** Nearest-rank percentile of already sorted values (q in 0..1). */
export function percentileSorted(sorted: readonly number[], q: number): number | null {
	if (sorted.length === 0) return null
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
	return sorted[rank]
}

export function summarizeLatencies(samples: readonly number[]): LatencySummary {
	const sorted = Float64Array.from(samples).sort()
	const values = Array.from(sorted)
	return {
		count: values.length,
		p50: round(percentileSorted(values, 0.5)),
		p99: round(percentileSorted(values, 0.99)),
		max: round(values.length ? values[values.length - 1] : null),
	}
}

export function median(values: readonly number[]): number {
	if (values.length === 0) return Number.NaN
	const sorted = [...values].sort((a, b) => a - b)
	const mid = Math.floor(sorted.length / 2)
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function round(value: number | null, digits = 2): number | null {
	if (value === null || !Number.isFinite(value)) return value
	const f = 10 ** digits
	return Math.round(value * f) / f
}

/** Runs `fn` `runs` times (after `warmup` unmeasured runs) and returns each duration in ms. */
export async function timeRuns(runs: number, warmup: number, fn: () => unknown): Promise<number[]> {
	for (let i = 0; i < warmup; i++) await fn()
	const times: number[] = []
	for (let i = 0; i < runs; i++) {
		const started = performance.now()
		await fn()
		times.push(performance.now() - started)
	}
	return times
}
