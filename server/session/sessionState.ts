/**
 * The non-voting part of a board's facilitated session (timer, agenda,
 * follow-me, lock, private mode): defaults, timer arithmetic, and tolerant
 * loading of what was stored.
 */
import { z } from 'zod'
import {
	AgendaStateSchema,
	LastRevealSchema,
	LockStateSchema,
	ParticipantIdSchema,
	TimerStateSchema,
	type AgendaState,
	type LastReveal,
	type LockState,
	type TimerState,
} from '../../shared/session/messages'
import { StoredEstimationRoundSchema, type StoredEstimationRound } from './estimationRounds'
import { VoteClosingEntriesSchema, type VoteClosingEntries } from './voteClosing'

export interface BoardSessionState {
	timer: TimerState
	agenda: AgendaState
	followMe: { participantId: string; name: string } | null
	lock: LockState
	privateMode: { on: boolean; changedAt: number | null; lastReveal: LastReveal | null }
	/** Raised hands: participant id → server time it went up. Stored, so a reconnect keeps the hand up. */
	hands: Record<string, number>
	/** Who marked themselves done for `phaseId` (the current agenda phase, or null without one). */
	done: { phaseId: string | null; participantIds: string[] }
	/** RICE estimation poker rounds, oldest first (estimationRounds.ts). */
	estimation: StoredEstimationRound[]
	/**
	 * The contributor link (#13 item 6): its token while open, null when closed (or never opened);
	 * `receiptKey` signs the receipts of its notes (contributorReceipts.ts), made with the first one and
	 * kept across rotate and close. Server-only.
	 */
	contributor: { token: string | null; changedAt: number | null; receiptKey: string | null }
	/** Closing time and turnout per voting session id (server/session/voteClosing.ts). */
	voteClosing: VoteClosingEntries
}

const StoredStateSchema = z.object({
	version: z.literal(1),
	timer: TimerStateSchema,
	agenda: AgendaStateSchema,
	followMe: z.object({ participantId: ParticipantIdSchema, name: z.string() }).nullable(),
	lock: LockStateSchema,
	// lastReveal was added later: states stored before it read as "no reveal yet".
	privateMode: z.object({ on: z.boolean(), changedAt: z.number().nullable(), lastReveal: LastRevealSchema.nullable().default(null) }),
	// hands and done were added later: states stored before them read as "no hands, nobody done".
	hands: z.record(ParticipantIdSchema, z.number()).default({}),
	done: z.object({ phaseId: z.string().nullable(), participantIds: z.array(ParticipantIdSchema) }).default({ phaseId: null, participantIds: [] }),
	// Estimation rounds were added later (#13 item 7): states stored before them have none.
	estimation: z.array(StoredEstimationRoundSchema).default([]),
	// receiptKey was added later (#13 item 10): states stored before it have issued no receipts.
	contributor: z
		.object({ token: z.string().nullable(), changedAt: z.number().nullable(), receiptKey: z.string().nullable().default(null) })
		.default({ token: null, changedAt: null, receiptKey: null }),
	// voteClosing was added later (remote voting over days): older states have no closing times.
	voteClosing: VoteClosingEntriesSchema.default({}),
})

export function defaultSessionState(): BoardSessionState {
	return {
		timer: { durationMs: 0, running: false, endsAt: null, remainingMs: 0 },
		agenda: { phases: [], currentPhaseId: null },
		followMe: null,
		lock: { board: false, shapeIds: [] },
		privateMode: { on: false, changedAt: null, lastReveal: null },
		hands: {},
		done: { phaseId: null, participantIds: [] },
		estimation: [],
		contributor: { token: null, changedAt: null, receiptKey: null },
		voteClosing: {},
	}
}

/** Stored JSON → state; anything unreadable falls back to the defaults. */
export function parseStoredSessionState(raw: unknown, now: number): BoardSessionState {
	const parsed = StoredStateSchema.safeParse(raw)
	if (!parsed.success) return defaultSessionState()
	const { version: _version, ...state } = parsed.data
	return { ...state, timer: settleTimer(state.timer, now), done: doneForPhase(state.done, state.agenda.currentPhaseId) }
}

/** "Done" marks belong to one phase: moving to another phase clears them. */
export function doneForPhase(done: BoardSessionState['done'], phaseId: string | null): BoardSessionState['done'] {
	return done.phaseId === phaseId ? done : { phaseId, participantIds: [] }
}

export function toStoredSessionState(state: BoardSessionState): { version: 1 } & BoardSessionState {
	return { version: 1, ...state }
}

/** A running timer whose end passed is stopped at zero. */
export function settleTimer(timer: TimerState, now: number): TimerState {
	if (timer.running && timer.endsAt !== null && timer.endsAt <= now) {
		return { durationMs: timer.durationMs, running: false, endsAt: null, remainingMs: 0 }
	}
	return timer
}

export function timerSet(durationMs: number): TimerState {
	return { durationMs, running: false, endsAt: null, remainingMs: durationMs }
}

export function timerStart(timer: TimerState, now: number): TimerState | null {
	if (timer.running) return timer
	const remaining = timer.remainingMs > 0 ? timer.remainingMs : timer.durationMs
	if (remaining <= 0) return null
	return { durationMs: timer.durationMs, running: true, endsAt: now + remaining, remainingMs: remaining }
}

export function timerPause(timer: TimerState, now: number): TimerState {
	if (!timer.running || timer.endsAt === null) return timer
	return { durationMs: timer.durationMs, running: false, endsAt: null, remainingMs: Math.max(0, Math.round(timer.endsAt - now)) }
}

export function timerReset(timer: TimerState): TimerState {
	return timerSet(timer.durationMs)
}
