/**
 * Closing times of votes as people read them (docs/sessions.md §3a): the
 * time in the viewer's own zone ("Fri 4 Dec, 17:00"), with the
 * facilitator's zone when it differs, and a relative "in 2 h 5 min".
 */

/** "Fri 4 Dec, 17:00" in this browser's time zone. */
export function formatClosingTime(closesAt: number): string {
	return new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(closesAt)
}

/** " (17:00 in Europe/Berlin)" when the facilitator's zone differs from this browser's, else "". */
export function facilitatorZoneNote(closesAt: number, timeZone: string | null): string {
	const own = Intl.DateTimeFormat().resolvedOptions().timeZone
	if (!timeZone || timeZone === own) return ''
	try {
		const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone }).format(closesAt)
		return ` (${time} ${timeZone.replace(/_/g, ' ')})`
	} catch {
		return ''
	}
}

/** "in 2 d 3 h", "in 2 h 5 min", "in 4 min", "in 12 s", "now". */
export function formatTimeLeft(ms: number): string {
	if (ms <= 0) return 'now'
	const seconds = Math.ceil(ms / 1000)
	if (seconds < 60) return `in ${seconds} s`
	const minutes = Math.ceil(seconds / 60)
	if (minutes < 60) return `in ${minutes} min`
	const hours = Math.floor(minutes / 60)
	if (hours < 24) return `in ${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`
	const days = Math.floor(hours / 24)
	return `in ${days} d${hours % 24 ? ` ${hours % 24} h` : ''}`
}

export type ClosingChoice = { mode: 'manual' } | { mode: 'in'; amount: number; unit: 'minutes' | 'hours' | 'days' } | { mode: 'at'; local: string }

const UNIT_MS = { minutes: 60_000, hours: 60 * 60_000, days: 24 * 60 * 60_000 } as const

/**
 * The closing time a choice means, in ms since epoch, or null (closed by
 * hand); `error` when the choice cannot be used. "At" is a datetime-local
 * value, read in this browser's (the facilitator's) time zone.
 */
export function closingTimeOf(choice: ClosingChoice, serverNow: number): { closesAt: number | null; error: string | null } {
	if (choice.mode === 'manual') return { closesAt: null, error: null }
	if (choice.mode === 'in') {
		if (!(choice.amount > 0)) return { closesAt: null, error: 'Enter how long the vote stays open.' }
		return { closesAt: Math.round(serverNow + choice.amount * UNIT_MS[choice.unit]), error: null }
	}
	const at = new Date(choice.local).getTime()
	if (!choice.local || Number.isNaN(at)) return { closesAt: null, error: 'Pick a date and time.' }
	if (at <= serverNow) return { closesAt: null, error: 'That time has passed.' }
	return { closesAt: at, error: null }
}

export function ownTimeZone(): string | undefined {
	return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined
}
