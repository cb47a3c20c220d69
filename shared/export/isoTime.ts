/**
 * `new Date(ms).toISOString()`, about 5× faster for timestamps that share a
 * UTC day with an earlier one: the date part is formatted once per day and
 * the time of day with integer arithmetic. An export of 10,000 items formats
 * 20,000 timestamps (created/updated), which took ~10 ms of its 100 ms budget.
 */
const DAY_MS = 86_400_000
/** ECMAScript's time value range (±100,000,000 days from the epoch). */
const MAX_TIME_MS = 8.64e15
const MAX_CACHED_DAYS = 4_096

const dayPrefixes = new Map<number, string>()

function pad(value: number, width: number): string {
	return String(value).padStart(width, '0')
}

/** ISO 8601 UTC text of a time value, or null when Date would be invalid. Same output as toISOString. */
export function isoUtc(ms: number): string | null {
	if (!Number.isFinite(ms)) return null
	const time = Math.trunc(ms) // Date's TimeClip truncates toward zero
	if (Math.abs(time) > MAX_TIME_MS) return null
	const day = Math.floor(time / DAY_MS)
	let prefix = dayPrefixes.get(day)
	if (prefix === undefined) {
		prefix = new Date(day * DAY_MS).toISOString().slice(0, -13) // "YYYY-MM-DDT" (or ±YYYYYY-MM-DDT)
		if (dayPrefixes.size >= MAX_CACHED_DAYS) dayPrefixes.clear()
		dayPrefixes.set(day, prefix)
	}
	const inDay = time - day * DAY_MS
	const hours = Math.floor(inDay / 3_600_000)
	const minutes = Math.floor(inDay / 60_000) % 60
	const seconds = Math.floor(inDay / 1_000) % 60
	return `${prefix}${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(inDay % 1_000, 3)}Z`
}
