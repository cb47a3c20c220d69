/**
 * Remote voting over days (issue #13 item 8, docs/sessions.md §3a): a voting
 * session's closing time and turnout, kept in the board's stored session
 * state (`BoardSessionState.voteClosing`, one entry per voting session), and
 * the one timer that closes the next due session.
 *
 * Why the session-state document and not the voting_sessions table: it is
 * already stored by every backend (SQLite, PostgreSQL, memory) as one JSON
 * value, so the closing time survives a restart without a schema migration
 * in three adapters; the per-board request queue orders its writes with the
 * votes.
 *
 * Turnout = voters so far of the people who JOINED: every participant id that
 * sent `join` with the participant role while the session was open (those
 * connected when it started included), plus anyone who placed a dot (so a
 * voting facilitator counts, a watching one does not). Ids are kept as the
 * session's voter keys — HMAC(salt, id) for anonymous sessions — and dropped
 * at close, leaving only the count.
 */
import { z } from 'zod'
import { MAX_SCHEDULE_LOG, MAX_TURNOUT_TRACKED, MAX_VOTE_OPEN_MS } from '../../shared/session/limits'
import type { VotingSessionPublic } from '../../shared/session/messages'

export const ScheduleActionSchema = z.enum(['scheduled', 'extended', 'shortened', 'unscheduled', 'closed', 'closed-on-time'])
export type ScheduleAction = z.infer<typeof ScheduleActionSchema>

export const VoteClosingEntrySchema = z.object({
	/** Server time at which the server closes the session; null = no closing time. */
	closesAt: z.number().nullable(),
	timeZone: z.string().max(64).nullable(),
	/** Voter keys of the people who joined while open (see the file comment); emptied at close. */
	joinedKeys: z.array(z.string().max(128)).max(MAX_TURNOUT_TRACKED),
	/** The number of people who joined; the only turnout figure kept after close. */
	joinedCount: z.number().int().min(0),
	closedBy: z.enum(['facilitator', 'schedule']).nullable(),
	/** Every change of the closing time and the close itself: a closed vote is never reopened (a new round is). */
	log: z.array(z.object({ at: z.number(), action: ScheduleActionSchema, closesAt: z.number().nullable() })).max(MAX_SCHEDULE_LOG),
})
export type VoteClosingEntry = z.infer<typeof VoteClosingEntrySchema>
export type VoteClosingEntries = Record<string, VoteClosingEntry>

export const VoteClosingEntriesSchema = z.record(z.string(), VoteClosingEntrySchema)

/** Why a closing time is refused, or null when it is acceptable. */
export function closingTimeProblem(closesAt: number, now: number): string | null {
	if (closesAt <= now) return 'the closing time is in the past'
	if (closesAt - now > MAX_VOTE_OPEN_MS) return 'the closing time is more than 31 days ahead'
	return null
}

function appendLog(entry: VoteClosingEntry, at: number, action: ScheduleAction): VoteClosingEntry['log'] {
	return [...entry.log, { at, action, closesAt: entry.closesAt }].slice(-MAX_SCHEDULE_LOG)
}

export function newClosingEntry(closesAt: number | null, timeZone: string | null, now: number, joinedKeys: Iterable<string>): VoteClosingEntry {
	const keys = [...new Set(joinedKeys)].slice(0, MAX_TURNOUT_TRACKED)
	const entry: VoteClosingEntry = { closesAt, timeZone, joinedKeys: keys, joinedCount: keys.length, closedBy: null, log: [] }
	return closesAt === null ? entry : { ...entry, log: appendLog(entry, now, 'scheduled') }
}

/** The same entry when the key is known (or the cap is reached), else one with the key added. */
export function withJoined(entry: VoteClosingEntry, key: string): VoteClosingEntry {
	if (entry.closedBy !== null || entry.joinedKeys.includes(key) || entry.joinedKeys.length >= MAX_TURNOUT_TRACKED) return entry
	const joinedKeys = [...entry.joinedKeys, key]
	return { ...entry, joinedKeys, joinedCount: joinedKeys.length }
}

export function rescheduled(entry: VoteClosingEntry, closesAt: number | null, timeZone: string | null, now: number): VoteClosingEntry {
	const action: ScheduleAction =
		closesAt === null ? 'unscheduled' : entry.closesAt === null ? 'scheduled' : closesAt >= entry.closesAt ? 'extended' : 'shortened'
	const next = { ...entry, closesAt, timeZone: timeZone ?? entry.timeZone }
	return { ...next, log: appendLog(next, now, action) }
}

/** At close: who closed it is recorded, the ids are dropped, the count stays. */
export function closedEntry(entry: VoteClosingEntry, by: 'facilitator' | 'schedule', at: number): VoteClosingEntry {
	const next: VoteClosingEntry = { ...entry, closedBy: by, joinedKeys: [], joinedCount: entry.joinedCount }
	return { ...next, log: appendLog(next, at, by === 'schedule' ? 'closed-on-time' : 'closed') }
}

/** Open sessions whose closing time has come, earliest first. */
export function dueSessionIds(entries: VoteClosingEntries, openIds: Iterable<string>, now: number): string[] {
	return [...openIds]
		.filter((id) => {
			const closesAt = entries[id]?.closesAt ?? null
			return closesAt !== null && closesAt <= now
		})
		.sort((a, b) => (entries[a].closesAt ?? 0) - (entries[b].closesAt ?? 0))
}

/** The earliest closing time of an open session, or null. */
export function nextClosingAt(entries: VoteClosingEntries, openIds: Iterable<string>): number | null {
	let next: number | null = null
	for (const id of openIds) {
		const closesAt = entries[id]?.closesAt ?? null
		if (closesAt !== null && (next === null || closesAt < next)) next = closesAt
	}
	return next
}

/** The public fields of §3a on a session's view (aggregates only). */
export function withClosingView(view: VotingSessionPublic, entry: VoteClosingEntry | undefined): VotingSessionPublic {
	if (!entry) return view
	const joined = Math.max(entry.closedBy === null ? entry.joinedKeys.length : entry.joinedCount, view.progress.voters)
	return {
		...view,
		closesAt: entry.closesAt,
		closeTimeZone: entry.timeZone,
		closedBy: view.status === 'closed' ? (entry.closedBy ?? 'facilitator') : null,
		turnout: { voters: view.progress.voters, joined },
	}
}

/** setTimeout/clearTimeout, injectable so tests run on a fake clock instead of sleeping. */
export interface TimerPort {
	setTimeout(callback: () => void, ms: number): unknown
	clearTimeout(handle: unknown): void
}

export const systemTimers: TimerPort = {
	setTimeout(callback, ms) {
		const handle = setTimeout(callback, ms)
		handle.unref()
		return handle
	},
	clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

/**
 * Node caps a timeout at 2³¹−1 ms (~24.8 days) and a clock may jump, so a far
 * closing time is reached in steps of at most an hour, re-checked each time.
 */
export const MAX_ARM_MS = 60 * 60 * 1000

/** One timer for the next closing time of a board: `arm(at)` replaces it; `onDue` runs at (or after) `at`. */
export class VoteClosingTimer {
	private handle: unknown = null

	constructor(
		private readonly timers: TimerPort,
		private readonly now: () => number,
		private readonly onDue: () => void,
	) {}

	arm(at: number | null): void {
		this.disarm()
		if (at === null) return
		const delay = Math.max(0, at - this.now())
		this.handle = this.timers.setTimeout(
			() => {
				this.handle = null
				if (this.now() >= at) this.onDue()
				else this.arm(at)
			},
			Math.min(delay, MAX_ARM_MS),
		)
	}

	disarm(): void {
		if (this.handle !== null) this.timers.clearTimeout(this.handle)
		this.handle = null
	}
}
