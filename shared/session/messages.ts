/**
 * The facilitated-session protocol (docs/sessions.md): every message on
 * y-websocket message type `MessageType.session` (100) is one JSON string.
 *
 * - Client → server: a request `{ id, type, ... }`. `id` is chosen by the
 *   client; the server answers each request exactly once with a `response`
 *   carrying the same id: `{ ok: true, result }` or `{ ok: false, error }`.
 * - Server → client: `response`, and events (`state`, `ballot`, `summon`,
 *   `reveal`, `refused`). Every server message has `serverNow` (server clock,
 *   ms since epoch) so clients can correct their clock offset.
 *
 * Nothing is sent to a connection before it sent `join` (stock y-websocket
 * clients would log an error for every unknown message).
 */
import { z } from 'zod'
import { ItemKindSchema } from '../items/kinds'
import {
	MAX_NAME_LENGTH,
	MAX_PHASES,
	MAX_SHAPE_IDS_PER_REQUEST,
	MAX_TIMER_MS,
	MAX_TITLE_LENGTH,
	MAX_VOTES_PER_ITEM_MAX,
	MAX_VOTES_PER_ITEM_MIN,
	VOTES_PER_PARTICIPANT_MAX,
	VOTES_PER_PARTICIPANT_MIN,
} from './limits'
import { AcceptedRiceSchema, EstimateSchema, EstimationConfigSchema, EstimationRoundPublicSchema } from './estimation'
import { BoardRoleSchema } from './roles'

// ---------------------------------------------------------------- building blocks

/** Stable participant id the client generates once and keeps (localStorage). */
export const ParticipantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'participant id must be 6-64 characters of A-Z a-z 0-9 _ -')
export type ParticipantId = z.infer<typeof ParticipantIdSchema>

/** Control characters (C0 and DEL) become spaces: names and titles are shown in UIs and logs. */
function withoutControlChars(text: string): string {
	let out = ''
	for (const ch of text) {
		const code = ch.charCodeAt(0)
		out += code < 0x20 || code === 0x7f ? ' ' : ch
	}
	return out.trim()
}

export const DisplayNameSchema = z.string().max(MAX_NAME_LENGTH).transform(withoutControlChars)

/** A tldraw shape id (`shape:…`). */
export const ShapeIdSchema = z.string().regex(/^shape:[^\s]{1,120}$/, 'expected a shape id (shape:…)')
/** A tldraw page id (`page:…`). */
export const PageIdSchema = z.string().regex(/^page:[^\s]{1,120}$/, 'expected a page id (page:…)')

/** Server-generated ids (voting sessions, reveals): base64url. */
export const SessionObjectIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/)

const TitleSchema = z
	.string()
	.max(MAX_TITLE_LENGTH)
	.transform(withoutControlChars)
	.pipe(z.string().min(1, 'title must not be empty'))

const finite = z.number().finite()

/** Page-space rectangle (a viewport). */
export const BoundsSchema = z.object({ x: finite, y: finite, w: finite.positive(), h: finite.positive() })
export type Bounds = z.infer<typeof BoundsSchema>

// ---------------------------------------------------------------- voting

export const EligibilitySchema = z
	.object({
		/** Only notes of these kinds (missing `meta.kind` counts as 'idea'). Omitted = every kind. */
		kinds: z.array(ItemKindSchema).min(1).max(16).optional(),
		/** Only notes inside this frame (child of it, or centre within its bounds). Omitted = anywhere. */
		frameId: ShapeIdSchema.optional(),
	})
	.strict()
export type Eligibility = z.infer<typeof EligibilitySchema>

export const VotingConfigSchema = z
	.object({
		title: TitleSchema,
		eligible: EligibilitySchema.default({}),
		votesPerParticipant: z.number().int().min(VOTES_PER_PARTICIPANT_MIN).max(VOTES_PER_PARTICIPANT_MAX),
		maxVotesPerItem: z.number().int().min(MAX_VOTES_PER_ITEM_MIN).max(MAX_VOTES_PER_ITEM_MAX),
		/** No one (facilitator and server API included) can learn who cast which dot, even after close. */
		anonymous: z.boolean(),
		/** Per-item counts stay secret until the session is closed. */
		hideResults: z.boolean(),
	})
	.strict()
export type VotingConfig = z.infer<typeof VotingConfigSchema>
export type VotingConfigInput = z.input<typeof VotingConfigSchema>

/** Public key of a person (shared/session/personKey.ts): never the participant id itself. */
export const PersonKeySchema = z.string().regex(/^[A-Za-z0-9_-]{16}$/)

export const VoteResultItemSchema = z.object({
	itemId: ShapeIdSchema,
	count: z.number().int().min(1),
	/** Competition rank: 1, 2, 2, 4 … (ties share a rank; ties are listed by item id). */
	rank: z.number().int().min(1),
	/** Named sessions only: who put dots here. Always null for anonymous sessions. */
	voters: z.array(z.object({ participantId: ParticipantIdSchema, name: z.string(), count: z.number().int().min(1) })).nullable(),
})
export type VoteResultItem = z.infer<typeof VoteResultItemSchema>

export const VoteResultsSchema = z.object({
	/** Items with at least one dot, best first. */
	items: z.array(VoteResultItemSchema),
	totalDots: z.number().int().min(0),
	voterCount: z.number().int().min(0),
})
export type VoteResults = z.infer<typeof VoteResultsSchema>

export const VotingStatusSchema = z.enum(['open', 'closed'])

/** Turnout of a voting session: aggregate counts only, never who. */
export const VoteTurnoutSchema = z.object({ voters: z.number().int().min(0), joined: z.number().int().min(0) })
export type VoteTurnout = z.infer<typeof VoteTurnoutSchema>

/** A closing time: server time (ms since epoch), plus the facilitator's IANA zone for display. */
export const TimeZoneSchema = z
	.string()
	.max(64)
	.refine((zone) => {
		try {
			new Intl.DateTimeFormat('en', { timeZone: zone })
			return true
		} catch {
			return false
		}
	}, 'unknown time zone')

export const VotingSessionPublicSchema = z.object({
	id: SessionObjectIdSchema,
	title: z.string(),
	status: VotingStatusSchema,
	config: VotingConfigSchema,
	createdAt: z.number(),
	closedAt: z.number().nullable(),
	/** Aggregate progress only (no per-item or per-voter data). */
	progress: z.object({ voters: z.number().int().min(0), dotsCast: z.number().int().min(0) }),
	/**
	 * Who has placed at least one dot, while open: person keys (`Person.key`)
	 * for a named session (whom they voted for, never), always null for an
	 * anonymous one (only the count in `progress`). Null once closed.
	 */
	votedPersonKeys: z.array(PersonKeySchema).nullable().default(null),
	/**
	 * Closed: the stored results. Open: live results when `config.hideResults`
	 * is false, else null.
	 */
	results: VoteResultsSchema.nullable(),
	/** Remote voting over days (docs/sessions.md §3a): server time at which the server closes it by itself; null = closed by hand. */
	closesAt: z.number().nullable().default(null),
	/** The facilitator's IANA time zone when the closing time was set (for display), or null. */
	closeTimeZone: z.string().nullable().default(null),
	/** Who closed it: the facilitator, or the server at `closesAt`; null while open (or closed before this field existed). */
	closedBy: z.enum(['facilitator', 'schedule']).nullable().default(null),
	/** Voters so far of the people who joined while it was open (§3a); null for sessions started before turnout was tracked. */
	turnout: VoteTurnoutSchema.nullable().default(null),
})
export type VotingSessionPublic = z.infer<typeof VotingSessionPublicSchema>

/** One voter's own dots in one session (sent only to that voter's connections). */
export const BallotSchema = z.object({
	sessionId: SessionObjectIdSchema,
	dots: z.record(ShapeIdSchema, z.number().int().min(1)),
	remaining: z.number().int().min(0),
})
export type Ballot = z.infer<typeof BallotSchema>

// ---------------------------------------------------------------- timer, agenda, lock, private mode

export const TimerStateSchema = z.object({
	durationMs: z.number().int().min(0).max(MAX_TIMER_MS),
	running: z.boolean(),
	/** Server time (ms since epoch) at which it reaches zero; set while running. */
	endsAt: z.number().nullable(),
	/** Remaining time when paused or stopped (equals durationMs after reset); while running use endsAt. */
	remainingMs: z.number().int().min(0),
})
export type TimerState = z.infer<typeof TimerStateSchema>

export const PhaseSchema = z
	.object({
		id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
		title: TitleSchema,
		/** Frame to show everyone when the facilitator moves to this phase with `focus`. */
		frameId: ShapeIdSchema.nullable().default(null),
	})
	.strict()
export type Phase = z.infer<typeof PhaseSchema>

export const AgendaStateSchema = z.object({
	phases: z.array(PhaseSchema),
	currentPhaseId: z.string().nullable(),
})
export type AgendaState = z.infer<typeof AgendaStateSchema>

export const LockStateSchema = z.object({
	/** Whole board locked: every participant document update is refused. */
	board: z.boolean(),
	/** Locked shapes (a locked frame locks its descendants too). */
	shapeIds: z.array(ShapeIdSchema),
})
export type LockState = z.infer<typeof LockStateSchema>

export const LastRevealSchema = z.object({ revealId: SessionObjectIdSchema, anonymous: z.boolean(), at: z.number() })
export type LastReveal = z.infer<typeof LastRevealSchema>

/** One person connected to the board's session channel (all of their tabs count as one). */
export const PersonSchema = z.object({
	key: PersonKeySchema,
	name: z.string(),
	role: BoardRoleSchema,
	/** Server time the hand went up; null when down. */
	handRaisedAt: z.number().nullable(),
	/** Marked "done" for the current agenda phase. */
	done: z.boolean(),
})
export type Person = z.infer<typeof PersonSchema>

export const SessionStateSchema = z.object({
	/** False for an "open" board created before role links (docs/sessions.md): nobody can facilitate. */
	claimed: z.boolean(),
	votingSessions: z.array(VotingSessionPublicSchema),
	timer: TimerStateSchema,
	agenda: AgendaStateSchema,
	/** "Follow me": participants follow this user's viewport until they break away. */
	followMe: z.object({ participantId: ParticipantIdSchema, name: z.string() }).nullable(),
	lock: LockStateSchema,
	privateMode: z.object({
		on: z.boolean(),
		changedAt: z.number().nullable(),
		/** The latest reveal, so a client that was offline when the `reveal` event went out still publishes its notes. */
		lastReveal: LastRevealSchema.nullable(),
	}),
	/** Everyone joined right now, facilitator first, then by name. Hands and "done" are stored, so they survive a reconnect. */
	people: z.array(PersonSchema).default([]),
	/** RICE estimation poker rounds (docs/sessions.md §10): estimates hidden until the reveal. */
	estimationRounds: z.array(EstimationRoundPublicSchema).default([]),
	/** Whether the board's contributor link is open (never the link itself: only the facilitator gets it, from `contributor.get`). */
	contributorOpen: z.boolean().default(false),
})
export type SessionState = z.infer<typeof SessionStateSchema>

// ---------------------------------------------------------------- requests (client → server)

const requestId = z.number().int().min(0).max(2 ** 31 - 1)
const req = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
	z.object({ id: requestId, type: z.literal(type), ...shape }).strict()

export const SessionRequestSchema = z.discriminatedUnion('type', [
	/** Opt in to the channel and bind this connection to one participant id for its lifetime. */
	req('join', { participantId: ParticipantIdSchema, name: DisplayNameSchema }),
	req('state.get', {}),
	/** `closesAt` (server time, ms): the server closes the session by itself then (remote voting over days). */
	req('voting.start', { config: VotingConfigSchema, closesAt: z.number().int().positive().optional(), timeZone: TimeZoneSchema.optional() }),
	/** Set, extend or remove (null) the closing time of an open session. Closing early is `voting.close`. */
	req('voting.schedule', { sessionId: SessionObjectIdSchema, closesAt: z.number().int().positive().nullable(), timeZone: TimeZoneSchema.optional() }),
	req('voting.close', { sessionId: SessionObjectIdSchema }),
	req('vote.place', { sessionId: SessionObjectIdSchema, itemId: ShapeIdSchema }),
	req('vote.remove', { sessionId: SessionObjectIdSchema, itemId: ShapeIdSchema }),
	req('ballot.get', { sessionId: SessionObjectIdSchema }),
	req('timer.set', { durationMs: z.number().int().min(0).max(MAX_TIMER_MS) }),
	req('timer.start', {}),
	req('timer.pause', {}),
	req('timer.reset', {}),
	req('agenda.set', { phases: z.array(PhaseSchema).max(MAX_PHASES) }),
	req('agenda.goto', { phaseId: z.string().nullable(), focus: z.boolean().default(true) }),
	req('summon', { pageId: PageIdSchema, bounds: BoundsSchema }),
	req('follow.set', { on: z.boolean() }),
	req('lock.board', { locked: z.boolean() }),
	req('lock.shapes', { shapeIds: z.array(ShapeIdSchema).min(1).max(MAX_SHAPE_IDS_PER_REQUEST), locked: z.boolean() }),
	req('private.set', { on: z.boolean() }),
	req('private.reveal', { anonymous: z.boolean() }),
	/** Raise or lower your own hand; the facilitator may lower anyone's (`person` = their `Person.key`, `on: false`). */
	req('hand.set', { on: z.boolean(), person: PersonKeySchema.optional() }),
	/** Mark yourself done (or not) for the current agenda phase; it resets when the phase changes. */
	req('done.set', { done: z.boolean() }),
	req('estimation.start', { config: EstimationConfigSchema }),
	req('estimation.reveal', { roundId: SessionObjectIdSchema }),
	/** The facilitator's decision: this RICE becomes the item's (the client writes meta.rice; the round records it). */
	req('estimation.accept', { roundId: SessionObjectIdSchema, itemId: ShapeIdSchema, rice: AcceptedRiceSchema }),
	/** Your own estimate of one item in an open round (replaces your previous one for that item). */
	req('estimate.set', { roundId: SessionObjectIdSchema, itemId: ShapeIdSchema, estimate: EstimateSchema }),
	req('estimate.get', { roundId: SessionObjectIdSchema }),
	/** Contributor link (docs/sessions.md §11): a new token (the old one stops working), close it, or read it. */
	req('contributor.rotate', {}),
	req('contributor.close', {}),
	req('contributor.get', {}),
])
export type SessionRequest = z.infer<typeof SessionRequestSchema>
export type SessionRequestInput = z.input<typeof SessionRequestSchema>
export type SessionRequestType = SessionRequest['type']

/** Requests only the facilitator may send. */
export const FACILITATOR_REQUESTS: ReadonlySet<SessionRequestType> = new Set<SessionRequestType>([
	'voting.start',
	'voting.close',
	'voting.schedule',
	'timer.set',
	'timer.start',
	'timer.pause',
	'timer.reset',
	'agenda.set',
	'agenda.goto',
	'summon',
	'follow.set',
	'lock.board',
	'lock.shapes',
	'private.set',
	'private.reveal',
	'estimation.start',
	'estimation.reveal',
	'estimation.accept',
	'contributor.rotate',
	'contributor.close',
	'contributor.get',
])

// ---------------------------------------------------------------- server → client

export const SESSION_ERROR_CODES = [
	'bad-request',
	'not-joined',
	'already-joined',
	'forbidden',
	'not-found',
	'session-closed',
	'not-eligible',
	'budget-exhausted',
	'item-cap-reached',
	'no-dot',
	'limit',
	'internal',
] as const
export const SessionErrorCodeSchema = z.enum(SESSION_ERROR_CODES)
export type SessionErrorCode = z.infer<typeof SessionErrorCodeSchema>

export const SessionErrorSchema = z.object({ code: SessionErrorCodeSchema, message: z.string() })
export type SessionError = z.infer<typeof SessionErrorSchema>

/** Result of `join`. */
export const JoinResultSchema = z.object({
	role: BoardRoleSchema,
	participantId: ParticipantIdSchema,
	state: SessionStateSchema,
	/** The caller's own ballots of open sessions. */
	ballots: z.array(BallotSchema),
})
export type JoinResult = z.infer<typeof JoinResultSchema>

const serverNow = z.number()

const ResponseSchema = z.discriminatedUnion('ok', [
	z.object({
		type: z.literal('response'),
		id: requestId.nullable(),
		serverNow,
		ok: z.literal(true),
		/** join: JoinResult; voting.start: { sessionId }; vote.*: Ballot; ballot.get: Ballot; state.get: SessionState; others: {}. */
		result: z.unknown(),
	}),
	z.object({ type: z.literal('response'), id: requestId.nullable(), serverNow, ok: z.literal(false), error: SessionErrorSchema }),
])

// Responses share type 'response' and are told apart by `ok`: a nested discriminated union.
export const SessionServerMessageSchema = z.discriminatedUnion('type', [
	ResponseSchema,
	/** The whole public state, after any change (coalesced per SESSION_STATE_TICK_MS). */
	z.object({ type: z.literal('state'), serverNow, state: SessionStateSchema }),
	/** The receiver's own ballot changed (e.g. from another tab with the same participant id). */
	z.object({ type: z.literal('ballot'), serverNow, ballot: BallotSchema }),
	/** "Bring everyone here": move the viewport to `bounds` on `pageId`. */
	z.object({ type: z.literal('summon'), serverNow, pageId: PageIdSchema, bounds: BoundsSchema, by: z.string() }),
	/** The facilitator moved to a phase and asked to focus its frame. */
	z.object({ type: z.literal('focus'), serverNow, phaseId: z.string(), frameId: ShapeIdSchema }),
	/** Private mode ended: push local-only notes to the board now (without author when anonymous). */
	z.object({ type: z.literal('reveal'), serverNow, revealId: SessionObjectIdSchema, anonymous: z.boolean() }),
	/** Facilitators only: a contributor's note just arrived in the Inbox frame (docs/sessions.md §11). */
	z.object({ type: z.literal('contribution'), serverNow, noteId: ShapeIdSchema, kind: z.enum(['insight', 'idea']), name: z.string().max(MAX_NAME_LENGTH) }),
	/** A document update of this connection was refused (just before the server closes it with CloseCode.locked). */
	z.object({ type: z.literal('refused'), serverNow, reason: z.enum(['locked']), recordIds: z.array(z.string()) }),
])
export type SessionServerMessage = z.infer<typeof SessionServerMessageSchema>
export type SessionEvent = Exclude<SessionServerMessage, { type: 'response' }>
