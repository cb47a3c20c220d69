/** One clock for every process of the bench (same machine): ms since the Unix epoch with sub-ms resolution. */
export function nowMs(): number {
	return performance.timeOrigin + performance.now()
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms))
}
