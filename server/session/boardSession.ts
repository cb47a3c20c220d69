/**
 * The facilitated session of one loaded board: the RoomExtension that
 * answers session-channel requests (MessageType.session), broadcasts the
 * public state, and refuses participant updates that touch locked shapes.
 *
 * Visibility rules (docs/sessions.md):
 * - Nothing is sent to a connection before it `join`ed.
 * - The state broadcast is the same for every role and never contains a
 *   ballot; per-item counts appear only when a session is closed or was
 *   started with `hideResults: false`; voter names only for named sessions.
 * - A voter's own ballot goes only to the connections bound to the same
 *   participant id.
 *
 * Exactness with an async store: requests of one board run through ONE
 * ordered queue (`enqueue`), each to completion — check in memory, await the
 * store, apply to memory — before the next starts. A ballot check and its
 * write are therefore one atomic step per board, whatever the backend. (The
 * alternative, a SERIALIZABLE transaction per vote, would re-read ballots on
 * every click and retry on conflicts; the queue needs neither because the
 * board's ballots live in the memory of the one process that holds the room.)
 */
import type * as decoding from 'lib0/decoding'
import type { BoardId } from '../../shared/boardId'
import { MessageType } from '../../shared/protocol'
import { encodeSessionFrame, parseSessionRequest, readSessionPayload } from '../../shared/session/codec'
import {
	MAX_LOCKED_SHAPES,
	MAX_OPEN_VOTING_SESSIONS,
	MAX_RAISED_HANDS,
	MAX_VOTING_SESSIONS_PER_BOARD,
	SESSION_STATE_TICK_MS,
} from '../../shared/session/limits'
import {
	FACILITATOR_REQUESTS,
	type Ballot,
	type JoinResult,
	type Person,
	type SessionErrorCode,
	type SessionEvent,
	type SessionRequest,
	type SessionState,
	type VotingConfig,
} from '../../shared/session/messages'
import { personKey } from '../../shared/session/personKey'
import { ROLE_CAPABILITIES, type BoardRole } from '../../shared/session/roles'
import { getRecordsMap } from '../../shared/recordCodec'
import { describeError, type Logger } from '../logger'
import type { ClientConnection } from '../sync/clientConnection'
import type { Room } from '../sync/room'
import type { RoomExtension, UpdateVerdict } from '../sync/roomExtension'
import { EligibilityIndex } from './eligibility'
import type { SessionStore } from './sessionStore'
import {
	doneForPhase,
	parseStoredSessionState,
	settleTimer,
	timerPause,
	timerReset,
	timerSet,
	timerStart,
	toStoredSessionState,
	type BoardSessionState,
} from './sessionState'
import { MAX_ESTIMATION_ROUNDS_PER_BOARD, type EstimationConfig } from '../../shared/session/estimation'
import { myEstimates, newRound, publicRound, revealed, withAccepted, withEstimate } from './estimationRounds'
import { timingSafeEqual } from 'node:crypto'
import type { Contribution } from '../../shared/contributor/contribution'
import { addContributionToDoc } from './contributions'
import { answerReceipts, createReceipt, receiptKeyFrom } from './contributorReceipts'
import type { ReceiptAnswer } from '../../shared/contributor/receipt'
import { inspectUpdate } from './updateInspector'
import {
	closedEntry,
	closingTimeProblem,
	dueSessionIds,
	newClosingEntry,
	nextClosingAt,
	rescheduled,
	systemTimers,
	VoteClosingTimer,
	withClosingView,
	withJoined,
	type TimerPort,
	type VoteClosingEntries,
} from './voteClosing'
import { VotingSession } from './votingEngine'

export interface BoardSessionDeps {
	store: SessionStore
	/** Whether the board has role tokens (else nobody can facilitate). */
	isClaimed(boardId: BoardId): Promise<boolean>
	logger: Logger
	now(): number
	/** A new random base64url id (≥ 72 bits). */
	newId(): string
	/** 32 random bytes (anonymous voter salt). */
	newSalt(): Buffer
	/** Called once when the session is disposed (its room unloaded). */
	onDispose?(session: BoardSession): void
	/** Timers of the vote closing (voteClosing.ts); tests pass a fake clock's. */
	timers?: TimerPort
	/** Awaited before loading: a close of due votes on the board while it had no room must finish first. */
	beforeLoad?(boardId: BoardId): Promise<void>
}

interface Member {
	participantId: string
	name: string
}

type Outcome = { ok: true; result: unknown } | { ok: false; code: SessionErrorCode; message: string }

const ok = (result: unknown = {}): Outcome => ({ ok: true, result })
const fail = (code: SessionErrorCode, message: string): Outcome => ({ ok: false, code, message })

/** Restores every voting session of a board from the store. */
export async function restoreVotingSessions(store: SessionStore, boardId: BoardId): Promise<Map<string, VotingSession>> {
	const sessions = new Map<string, VotingSession>()
	for (const { record, ballots } of await store.loadVotingSessions(boardId)) sessions.set(record.id, VotingSession.restore(record, ballots))
	return sessions
}

const ROLE_ORDER: Record<BoardRole, number> = { facilitator: 0, participant: 1, viewer: 2 }

/** Joined members as people: one entry per participant id (several tabs are one person; the highest role wins). */
export function listPeople(members: Iterable<{ participantId: string; name: string; role: BoardRole }>, state: BoardSessionState): Person[] {
	const byId = new Map<string, Person>()
	const done = new Set(state.done.participantIds)
	for (const member of members) {
		const known = byId.get(member.participantId)
		if (known && ROLE_ORDER[known.role] <= ROLE_ORDER[member.role]) continue
		byId.set(member.participantId, {
			key: personKey(member.participantId),
			name: member.name,
			role: member.role,
			handRaisedAt: state.hands[member.participantId] ?? null,
			done: done.has(member.participantId),
		})
	}
	return [...byId.values()].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
}

export function buildPublicState(
	claimed: boolean,
	sessions: Iterable<VotingSession>,
	state: BoardSessionState,
	now: number,
	people: Person[] = [],
): SessionState {
	return {
		claimed,
		votingSessions: [...sessions].map((session) => withClosingView(session.publicView(), state.voteClosing[session.id])),
		timer: settleTimer(state.timer, now),
		agenda: state.agenda,
		followMe: state.followMe,
		lock: state.lock,
		privateMode: state.privateMode,
		people,
		estimationRounds: state.estimation.map(publicRound),
		contributorOpen: state.contributor.token !== null,
	}
}

export class BoardSession implements RoomExtension {
	readonly messageTypes: ReadonlySet<number> = new Set([MessageType.session])
	private readonly members = new Map<ClientConnection, Member>()
	private votingSessions = new Map<string, VotingSession>()
	private state: BoardSessionState
	/** The per-board request queue: each request runs to completion before the next starts. */
	private queue: Promise<void> = Promise.resolve()
	private readonly eligibility: EligibilityIndex
	private stateTimer: NodeJS.Timeout | null = null
	private timerEndTimer: NodeJS.Timeout | null = null
	private disposed = false
	/** Closes the next voting session whose closing time comes (remote voting over days). */
	private readonly closingTimer: VoteClosingTimer

	constructor(
		private readonly room: Room,
		private readonly deps: BoardSessionDeps,
	) {
		this.closingTimer = new VoteClosingTimer(deps.timers ?? systemTimers, () => this.deps.now(), () => this.enqueue(() => this.closeDueSessions()))
		// Replaced by load(), which the room awaits before any connection is attached.
		this.state = parseStoredSessionState(null, deps.now())
		this.eligibility = new EligibilityIndex(room.doc)
	}

	/** Restores voting sessions and state from the store (RoomExtension.load). */
	async load(): Promise<void> {
		await this.deps.beforeLoad?.(this.boardId)
		const [votingSessions, stored] = await Promise.all([
			restoreVotingSessions(this.deps.store, this.boardId),
			this.deps.store.loadState(this.boardId),
		])
		this.votingSessions = votingSessions
		this.state = parseStoredSessionState(stored, this.deps.now())
		this.scheduleTimerEnd()
		// A closing time that passed while the server was down closes the session now, before anyone can vote.
		await this.closeDueSessions()
	}

	get boardId(): BoardId {
		return this.room.boardId
	}

	async publicState(): Promise<SessionState> {
		const claimed = await this.deps.isClaimed(this.boardId)
		const members = [...this.members].map(([conn, member]) => ({ ...member, role: conn.role }))
		return buildPublicState(claimed, this.votingSessions.values(), this.state, this.deps.now(), listPeople(members, this.state))
	}

	// ------------------------------------------------------------ RoomExtension

	receive(conn: ClientConnection, _messageType: number, decoder: decoding.Decoder): void {
		let payload: unknown
		try {
			payload = readSessionPayload(decoder)
		} catch {
			this.respond(conn, null, fail('bad-request', 'malformed session message'))
			return
		}
		const parsed = parseSessionRequest(payload)
		if (!parsed.ok) {
			this.respond(conn, parsed.id, fail('bad-request', parsed.message))
			return
		}
		const { request } = parsed
		this.enqueue(async () => {
			let outcome: Outcome
			try {
				outcome = await this.handle(conn, request)
			} catch (error) {
				this.deps.logger.error('session.request_failed', { board: this.boardId, type: request.type, error: describeError(error) })
				outcome = fail('internal', 'the request failed')
			}
			if (conn.isOpen) this.respond(conn, request.id, outcome)
		})
	}

	/** Runs `work` after every earlier request of this board finished (see the file comment). */
	private enqueue(work: () => Promise<void>): void {
		this.queue = this.queue.then(async () => {
			if (this.disposed) return
			try {
				await work()
			} catch (error) {
				this.deps.logger.error('session.queue_failed', { board: this.boardId, error: describeError(error) })
			}
		})
	}

	checkUpdate(conn: ClientConnection, update: Uint8Array): UpdateVerdict {
		const { lock } = this.state
		if (conn.role === 'facilitator' || (!lock.board && lock.shapeIds.length === 0)) return { accept: true }
		const effects = inspectUpdate(this.room.doc, update)
		if (!effects.changesDocument) return { accept: true }
		let refused: string[] | null = null
		if (lock.board || effects.untraceable) {
			refused = [...effects.recordIds]
		} else {
			const locked = new Set(lock.shapeIds)
			// Comments and reactions on a locked shape (or inside a locked frame) are refused like edits of it.
			const hits = [...new Set([...effects.recordIds, ...effects.conversationTargets])].filter((id) => this.isLocked(id, locked))
			for (const [id, parentId] of effects.newParentIds) if (this.isLocked(parentId, locked) && !hits.includes(id)) hits.push(id)
			if (hits.length > 0) refused = hits
		}
		if (refused === null) return { accept: true }
		if (this.members.has(conn)) this.send(conn, { type: 'refused', serverNow: this.deps.now(), reason: 'locked', recordIds: refused.slice(0, 100) })
		return { accept: false, reason: 'locked', recordIds: refused }
	}

	connectionAdded(): void {
		// Opt-in channel: nothing is sent before `join`.
	}

	connectionRemoved(conn: ClientConnection): void {
		// The people list changes when someone leaves.
		if (this.members.delete(conn)) this.scheduleState()
	}

	dispose(): void {
		this.disposed = true
		if (this.stateTimer !== null) clearTimeout(this.stateTimer)
		if (this.timerEndTimer !== null) clearTimeout(this.timerEndTimer)
		this.closingTimer.disarm()
		this.stateTimer = null
		this.timerEndTimer = null
		this.eligibility.dispose()
		this.members.clear()
		this.deps.onDispose?.(this)
	}

	// ------------------------------------------------------------ requests

	private async handle(conn: ClientConnection, request: SessionRequest): Promise<Outcome> {
		if (request.type === 'join') return this.join(conn, request.participantId, request.name)
		const member = this.members.get(conn)
		if (!member) return fail('not-joined', 'send join first')
		if (FACILITATOR_REQUESTS.has(request.type) && !ROLE_CAPABILITIES[conn.role].facilitate) {
			return fail('forbidden', 'only the facilitator can do this')
		}
		const now = this.deps.now()
		switch (request.type) {
			case 'state.get':
				return ok(await this.publicState())
			case 'voting.start':
				return await this.startVoting(request.config, now, request.closesAt ?? null, request.timeZone ?? null)
			case 'voting.schedule':
				return await this.scheduleVoting(request.sessionId, request.closesAt, request.timeZone ?? null, now)
			case 'voting.close': {
				const session = this.votingSessions.get(request.sessionId)
				if (!session) return fail('not-found', 'no such voting session')
				if (!session.isOpen) return fail('session-closed', 'this voting session is closed')
				const results = await session.close(this.deps.store, now)
				this.deps.logger.info('session.voting_closed', { board: this.boardId, session: session.id, dots: results.totalDots })
				await this.recordClosed({ [session.id]: now }, 'facilitator')
				this.armVoteClosing()
				this.scheduleState()
				return ok({ sessionId: session.id, results })
			}
			case 'vote.place':
			case 'vote.remove':
				return await this.vote(conn, member, request)
			case 'ballot.get': {
				const session = this.votingSessions.get(request.sessionId)
				if (!session) return fail('not-found', 'no such voting session')
				return ok(session.ballotOf(member.participantId))
			}
			case 'timer.set':
				return await this.setTimer(timerSet(request.durationMs))
			case 'timer.start': {
				const started = timerStart(settleTimer(this.state.timer, now), now)
				return started ? await this.setTimer(started) : fail('bad-request', 'set a duration first')
			}
			case 'timer.pause':
				return await this.setTimer(timerPause(settleTimer(this.state.timer, now), now))
			case 'timer.reset':
				return await this.setTimer(timerReset(this.state.timer))
			case 'agenda.set': {
				const ids = new Set(request.phases.map((phase) => phase.id))
				if (ids.size !== request.phases.length) return fail('bad-request', 'phase ids must be unique')
				const current = this.state.agenda.currentPhaseId
				const currentPhaseId = current !== null && ids.has(current) ? current : null
				return await this.update({ agenda: { phases: request.phases, currentPhaseId }, done: doneForPhase(this.state.done, currentPhaseId) })
			}
			case 'agenda.goto': {
				const phase = request.phaseId === null ? null : this.state.agenda.phases.find((p) => p.id === request.phaseId)
				if (phase === undefined) return fail('not-found', 'no such phase')
				const currentPhaseId = phase?.id ?? null
				const outcome = await this.update({ agenda: { ...this.state.agenda, currentPhaseId }, done: doneForPhase(this.state.done, currentPhaseId) })
				if (phase && request.focus && phase.frameId) {
					this.broadcast({ type: 'focus', serverNow: now, phaseId: phase.id, frameId: phase.frameId })
				}
				return outcome
			}
			case 'summon':
				this.broadcast({ type: 'summon', serverNow: now, pageId: request.pageId, bounds: request.bounds, by: member.name }, conn)
				return ok()
			case 'follow.set':
				return await this.update({ followMe: request.on ? { participantId: member.participantId, name: member.name } : null })
			case 'lock.board':
				return await this.update({ lock: { ...this.state.lock, board: request.locked } })
			case 'lock.shapes': {
				const ids = new Set(this.state.lock.shapeIds)
				for (const id of request.shapeIds) {
					if (request.locked) ids.add(id)
					else ids.delete(id)
				}
				if (ids.size > MAX_LOCKED_SHAPES) return fail('limit', `at most ${MAX_LOCKED_SHAPES} locked shapes`)
				return await this.update({ lock: { ...this.state.lock, shapeIds: [...ids].sort() } })
			}
			case 'private.set':
				return await this.update({ privateMode: { ...this.state.privateMode, on: request.on, changedAt: now } })
			case 'private.reveal': {
				const lastReveal = { revealId: this.deps.newId(), anonymous: request.anonymous, at: now }
				const outcome = await this.update({ privateMode: { on: false, changedAt: now, lastReveal } })
				this.broadcast({ type: 'reveal', serverNow: now, revealId: lastReveal.revealId, anonymous: lastReveal.anonymous })
				return outcome
			}
			case 'hand.set':
				return await this.setHand(conn, member, request.on, request.person, now)
			case 'done.set': {
				if (!ROLE_CAPABILITIES[conn.role].vote) return fail('forbidden', 'viewers do not take part in phases')
				const ids = new Set(this.state.done.participantIds)
				if (request.done) ids.add(member.participantId)
				else ids.delete(member.participantId)
				return await this.update({ done: { phaseId: this.state.agenda.currentPhaseId, participantIds: [...ids].sort() } })
			}
			case 'contributor.rotate': {
				const token = this.deps.newId() + this.deps.newId()
				// The receipt key stays: receipts of notes sent through the old link keep working.
				await this.update({ contributor: { ...this.state.contributor, token, changedAt: now } })
				this.deps.logger.info('session.contributor_link_rotated', { board: this.boardId })
				return ok({ token })
			}
			case 'contributor.close':
				return await this.update({ contributor: { ...this.state.contributor, token: null, changedAt: now } })
			case 'contributor.get':
				return ok({ token: this.state.contributor.token })
			case 'estimation.start':
				return await this.startEstimation(request.config, now)
			case 'estimation.reveal':
			case 'estimation.accept':
			case 'estimate.set':
			case 'estimate.get':
				return await this.estimation(conn, member, request, now)
		}
	}

	/** Whether `token` is the open contributor link (constant-time compare). */
	acceptsContributorToken(token: string): boolean {
		const current = this.state.contributor.token
		if (current === null) return false
		const a = Buffer.from(current)
		const b = Buffer.from(token)
		return a.length === b.length && timingSafeEqual(a, b)
	}

	/**
	 * A contributor's note, through the board's queue like every session
	 * change: the link is checked again inside it (a rotate or close that was
	 * queued first wins), then the sticky is written into the doc.
	 */
	contribute(token: string, contribution: Contribution): Promise<{ ok: true; noteId: string; receipt: string } | { ok: false }> {
		return new Promise((resolve, reject) => {
			this.enqueue(async () => {
				try {
					if (!this.acceptsContributorToken(token)) return resolve({ ok: false })
					// The board's receipt key, made (and stored) with its first receipt, before the note exists.
					let key = this.state.contributor.receiptKey
					if (key === null) {
						key = receiptKeyFrom(this.deps.newSalt())
						await this.update({ contributor: { ...this.state.contributor, receiptKey: key } })
					}
					const { noteId, createdInbox } = addContributionToDoc(this.room.doc, contribution, { note: `shape:${this.deps.newId()}`, frame: `shape:${this.deps.newId()}` }, this.deps.now())
					this.deps.logger.info('session.contribution_added', { board: this.boardId, kind: contribution.kind, createdInbox })
					// The facilitator sees it arrive even with the Inbox off screen.
					const event: SessionEvent = { type: 'contribution', serverNow: this.deps.now(), noteId: noteId, kind: contribution.kind, name: contribution.name ?? '' }
					for (const conn of this.members.keys()) if (conn.role === 'facilitator') this.send(conn, event)
					resolve({ ok: true, noteId, receipt: createReceipt(key, this.boardId, noteId) })
				} catch (error) {
					reject(error as Error)
				}
			})
			// A session disposed meanwhile (shutdown) skips queued work: the caller still gets an answer.
			void this.queue.then(() => resolve({ ok: false }))
		})
	}

	/** The contributor state a status request is checked against (in memory: the room's is the current one). */
	get contributorState(): { token: string | null; receiptKey: string | null } {
		return this.state.contributor
	}

	/** Answers receipts from the room's document as it is now (docs/sessions.md §11). */
	answerReceipts(receipts: readonly string[]): ReceiptAnswer[] {
		return answerReceipts(receipts, this.boardId, this.state.contributor, this.room.doc)
	}

	private async startEstimation(config: EstimationConfig, now: number): Promise<Outcome> {
		const rounds = this.state.estimation
		if (rounds.some((r) => r.status === 'open')) return fail('limit', 'reveal the open estimation round first')
		if (rounds.length >= MAX_ESTIMATION_ROUNDS_PER_BOARD) return fail('limit', 'too many estimation rounds on this board')
		const records = getRecordsMap(this.room.doc)
		const missing = config.itemIds.find((id) => records.get(id)?.get('type') !== 'note')
		if (missing) return fail('not-found', `no sticky ${missing}`)
		const round = newRound(this.deps.newId(), config, now, this.deps.newSalt())
		const outcome = await this.update({ estimation: [...rounds, round] })
		this.deps.logger.info('session.estimation_started', { board: this.boardId, round: round.id, items: config.itemIds.length })
		return outcome.ok ? ok({ roundId: round.id }) : outcome
	}

	/** Reveal, accept (facilitator; checked with FACILITATOR_REQUESTS) and one's own estimates (anyone who may vote). */
	private async estimation(
		conn: ClientConnection,
		member: Member,
		request: SessionRequest & { type: 'estimation.reveal' | 'estimation.accept' | 'estimate.set' | 'estimate.get' },
		now: number,
	): Promise<Outcome> {
		const index = this.state.estimation.findIndex((r) => r.id === request.roundId)
		if (index === -1) return fail('not-found', 'no such estimation round')
		const round = this.state.estimation[index]
		const replace = (next: typeof round) => this.update({ estimation: this.state.estimation.map((r, i) => (i === index ? next : r)) })
		switch (request.type) {
			case 'estimation.reveal':
				if (round.status !== 'open') return fail('session-closed', 'this round is already revealed')
				return await replace(revealed(round, now))
			case 'estimation.accept':
				if (round.status !== 'revealed') return fail('bad-request', 'reveal the round first')
				if (!round.config.itemIds.includes(request.itemId)) return fail('not-eligible', 'this item is not part of the round')
				return await replace(withAccepted(round, request.itemId, request.rice))
			case 'estimate.get':
				return ok(myEstimates(round, member.participantId))
			case 'estimate.set': {
				if (!ROLE_CAPABILITIES[conn.role].vote) return fail('forbidden', 'viewers do not estimate')
				if (round.status !== 'open') return fail('session-closed', 'this round is revealed')
				if (!round.config.itemIds.includes(request.itemId)) return fail('not-eligible', 'this item is not part of the round')
				const next = withEstimate(round, member.participantId, member.name, request.itemId, request.estimate)
				const outcome = await replace(next)
				return outcome.ok ? ok(myEstimates(next, member.participantId)) : outcome
			}
		}
	}

	/** Your own hand, either way; someone else's only down, and only by the facilitator. */
	private async setHand(conn: ClientConnection, member: Member, on: boolean, person: string | undefined, now: number): Promise<Outcome> {
		let participantId = member.participantId
		if (person !== undefined && person !== personKey(member.participantId)) {
			if (on || !ROLE_CAPABILITIES[conn.role].facilitate) return fail('forbidden', 'only the facilitator can lower someone else’s hand')
			const raised = Object.keys(this.state.hands).find((id) => personKey(id) === person)
			if (raised === undefined) return ok()
			participantId = raised
		}
		const hands = { ...this.state.hands }
		if (on && hands[participantId] === undefined && Object.keys(hands).length >= MAX_RAISED_HANDS) return fail('limit', `at most ${MAX_RAISED_HANDS} raised hands`)
		if (on) hands[participantId] = hands[participantId] ?? now
		else delete hands[participantId]
		return await this.update({ hands })
	}

	private async join(conn: ClientConnection, participantId: string, name: string): Promise<Outcome> {
		const existing = this.members.get(conn)
		if (existing && existing.participantId !== participantId) {
			return fail('already-joined', 'this connection is bound to another participant id')
		}
		this.members.set(conn, { participantId, name })
		// Joining again with another name is a rename (the name dialog answers after the first join).
		if (existing && existing.name !== name) await this.renameParticipant(participantId, name)
		// Everyone else's people list gains this person.
		if (!existing) this.scheduleState()
		// Turnout counts participants who joined while a vote was open (voteClosing.ts).
		if (!existing && conn.role === 'participant') await this.noteJoined(participantId)
		const ballots: Ballot[] = []
		if (ROLE_CAPABILITIES[conn.role].vote) {
			for (const session of this.votingSessions.values()) if (session.isOpen) ballots.push(session.ballotOf(participantId))
		}
		const result: JoinResult = { role: conn.role, participantId, state: await this.publicState(), ballots }
		return ok(result)
	}

	private async renameParticipant(participantId: string, name: string): Promise<void> {
		for (const [other, member] of this.members) if (member.participantId === participantId) this.members.set(other, { ...member, name })
		try {
			for (const session of this.votingSessions.values()) await session.renameVoter(this.deps.store, participantId, name)
			if (this.state.followMe?.participantId === participantId) await this.update({ followMe: { participantId, name } })
		} catch (error) {
			// Storage is down: dots stay counted under the old name; the next vote or rename stores the new one.
			this.deps.logger.warn('session.rename_not_stored', { board: this.boardId, error: (error as Error).message })
		}
		this.scheduleState()
	}

	private async startVoting(config: VotingConfig, now: number, closesAt: number | null, timeZone: string | null): Promise<Outcome> {
		const problem = closesAt === null ? null : closingTimeProblem(closesAt, now)
		if (problem) return fail('bad-request', problem)
		const open = [...this.votingSessions.values()].filter((session) => session.isOpen).length
		if (open >= MAX_OPEN_VOTING_SESSIONS) return fail('limit', 'close the open voting session first')
		if (this.votingSessions.size >= MAX_VOTING_SESSIONS_PER_BOARD) return fail('limit', 'too many voting sessions on this board')
		if (config.eligible.frameId) {
			const frame = getRecordsMap(this.room.doc).get(config.eligible.frameId)
			if (!frame || frame.get('type') !== 'frame') return fail('not-found', 'no such frame')
		}
		const session = await VotingSession.start(this.deps.store, this.boardId, this.deps.newId(), config, now, this.deps.newSalt())
		this.votingSessions.set(session.id, session)
		this.deps.logger.info('session.voting_started', { board: this.boardId, session: session.id })
		// Everyone connected with the participant role has joined this vote (turnout).
		const present = [...this.members].filter(([conn]) => conn.role === 'participant').map(([, member]) => session.voterKey(member.participantId))
		await this.update({ voteClosing: { ...this.state.voteClosing, [session.id]: newClosingEntry(closesAt, timeZone, now, present) } })
		this.armVoteClosing()
		return ok({ sessionId: session.id })
	}

	private async vote(conn: ClientConnection, member: Member, request: SessionRequest & { type: 'vote.place' | 'vote.remove' }): Promise<Outcome> {
		if (!ROLE_CAPABILITIES[conn.role].vote) return fail('forbidden', 'viewers cannot vote')
		const session = this.votingSessions.get(request.sessionId)
		if (!session) return fail('not-found', 'no such voting session')
		// Exactly at the closing time, whether or not the timer has fired yet: no vote after it.
		const closesAt = this.state.voteClosing[session.id]?.closesAt ?? null
		if (session.isOpen && closesAt !== null && closesAt <= this.deps.now()) {
			await this.closeDueSessions()
			return fail('session-closed', 'this voting session closed at its closing time')
		}
		const outcome =
			request.type === 'vote.place'
				? await session.place(this.deps.store, member.participantId, member.name, request.itemId, (itemId) =>
						this.eligibility.isEligible(session.config.eligible, itemId),
					)
				: await session.remove(this.deps.store, member.participantId, request.itemId)
		if (!outcome.ok) return fail(outcome.code, outcome.message)
		if (request.type === 'vote.place') await this.noteJoined(member.participantId, session.id)
		// The voter's other tabs learn their ballot; nobody else gets it.
		const event: SessionEvent = { type: 'ballot', serverNow: this.deps.now(), ballot: outcome.ballot }
		for (const [other, otherMember] of this.members) {
			if (other !== conn && otherMember.participantId === member.participantId) this.send(other, event)
		}
		this.scheduleState()
		return ok(outcome.ballot)
	}

	// ------------------------------------------------------------ remote voting over days (voteClosing.ts)

	private openSessionIds(): string[] {
		return [...this.votingSessions.values()].filter((session) => session.isOpen).map((session) => session.id)
	}

	private armVoteClosing(): void {
		if (!this.disposed) this.closingTimer.arm(nextClosingAt(this.state.voteClosing, this.openSessionIds()))
	}

	/** Sets, moves or removes the closing time of an open session; each change is logged in its entry. */
	private async scheduleVoting(sessionId: string, closesAt: number | null, timeZone: string | null, now: number): Promise<Outcome> {
		const session = this.votingSessions.get(sessionId)
		if (!session) return fail('not-found', 'no such voting session')
		if (!session.isOpen) return fail('session-closed', 'a closed vote is not reopened: start a new round')
		const problem = closesAt === null ? null : closingTimeProblem(closesAt, now)
		if (problem) return fail('bad-request', problem)
		const entry = this.state.voteClosing[sessionId] ?? newClosingEntry(null, null, now, [])
		await this.update({ voteClosing: { ...this.state.voteClosing, [sessionId]: rescheduled(entry, closesAt, timeZone, now) } })
		this.armVoteClosing()
		return ok({ sessionId, closesAt })
	}

	/**
	 * Closes every open session whose closing time has come — at its closing
	 * time (`closedAt = closesAt`), also when the server was down then: no vote
	 * can have arrived after it. Then arms the timer for the next one.
	 */
	private async closeDueSessions(): Promise<void> {
		if (this.disposed) return
		const closed: Record<string, number> = {}
		try {
			for (const id of dueSessionIds(this.state.voteClosing, this.openSessionIds(), this.deps.now())) {
				const session = this.votingSessions.get(id)
				const closesAt = this.state.voteClosing[id]?.closesAt
				if (!session || closesAt === null || closesAt === undefined) continue
				const results = await session.close(this.deps.store, closesAt)
				closed[id] = closesAt
				this.deps.logger.info('session.voting_closed_on_time', { board: this.boardId, session: id, dots: results.totalDots })
			}
			await this.recordClosed(closed, 'schedule')
		} catch (error) {
			// Storage is down: try again shortly; votes stay refused meanwhile (vote() checks the time itself).
			this.deps.logger.warn('session.voting_close_failed', { board: this.boardId, error: describeError(error) })
			this.closingTimer.arm(this.deps.now() + 5_000)
			return
		}
		this.scheduleState()
		this.armVoteClosing()
	}

	/** Stores who closed which sessions (and drops their turnout ids); also finishes entries a crash left half-closed. */
	private async recordClosed(closed: Record<string, number>, by: 'facilitator' | 'schedule'): Promise<void> {
		let entries: VoteClosingEntries = this.state.voteClosing
		for (const [id, entry] of Object.entries(entries)) {
			const session = this.votingSessions.get(id)
			if (entry.closedBy !== null || !session || session.isOpen) continue
			const at = closed[id] ?? session.closedAt ?? this.deps.now()
			const who = closed[id] !== undefined ? by : entry.closesAt !== null && at >= entry.closesAt ? 'schedule' : 'facilitator'
			entries = { ...entries, [id]: closedEntry(entry, who, at) }
		}
		if (entries !== this.state.voteClosing) await this.update({ voteClosing: entries })
	}

	/** Counts a person in the turnout of the open sessions (one session: `onlySessionId`). */
	private async noteJoined(participantId: string, onlySessionId?: string): Promise<void> {
		let entries: VoteClosingEntries = this.state.voteClosing
		for (const session of this.votingSessions.values()) {
			const entry = entries[session.id]
			if (!session.isOpen || !entry || (onlySessionId !== undefined && session.id !== onlySessionId)) continue
			const next = withJoined(entry, session.voterKey(participantId))
			if (next !== entry) entries = { ...entries, [session.id]: next }
		}
		if (entries !== this.state.voteClosing) await this.update({ voteClosing: entries })
	}

	private async setTimer(timer: BoardSessionState['timer']): Promise<Outcome> {
		const outcome = await this.update({ timer })
		this.scheduleTimerEnd()
		return outcome
	}

	/** Applies a change of the non-voting state: persisted first, then broadcast. */
	private async update(change: Partial<BoardSessionState>): Promise<Outcome> {
		const next = { ...this.state, ...change }
		await this.deps.store.saveState(this.boardId, toStoredSessionState(next))
		this.state = next
		this.scheduleState()
		return ok()
	}

	private isLocked(recordId: string, locked: ReadonlySet<string>): boolean {
		const records = getRecordsMap(this.room.doc)
		let current: string | undefined = recordId
		for (let depth = 0; current !== undefined && depth < 64; depth++) {
			if (locked.has(current)) return true
			const parent: unknown = records.get(current)?.get('parentId')
			current = typeof parent === 'string' ? parent : undefined
		}
		return false
	}

	// ------------------------------------------------------------ sending

	private scheduleTimerEnd(): void {
		if (this.timerEndTimer !== null) clearTimeout(this.timerEndTimer)
		this.timerEndTimer = null
		const { timer } = this.state
		if (!timer.running || timer.endsAt === null || this.disposed) return
		const delay = Math.max(0, timer.endsAt - this.deps.now())
		this.timerEndTimer = setTimeout(() => {
			this.timerEndTimer = null
			if (this.disposed) return
			// Through the queue, like a request: it writes the state.
			this.enqueue(async () => {
				const settled = settleTimer(this.state.timer, this.deps.now())
				if (settled !== this.state.timer) await this.update({ timer: settled })
				else this.scheduleTimerEnd()
			})
		}, delay + 5)
		this.timerEndTimer.unref()
	}

	/** Coalesces state broadcasts: a burst of votes sends one state per tick. */
	private scheduleState(): void {
		if (this.stateTimer !== null || this.disposed) return
		this.stateTimer = setTimeout(() => {
			this.stateTimer = null
			if (this.disposed || this.members.size === 0) return
			this.publicState()
				.then((state) => {
					if (!this.disposed) this.broadcast({ type: 'state', serverNow: this.deps.now(), state })
				})
				.catch((error: unknown) => this.deps.logger.warn('session.state_failed', { board: this.boardId, error: describeError(error) }))
		}, SESSION_STATE_TICK_MS)
	}

	private broadcast(event: SessionEvent, except?: ClientConnection): void {
		const frame = encodeSessionFrame(event)
		for (const conn of this.members.keys()) if (conn !== except) conn.send(frame)
	}

	private send(conn: ClientConnection, event: SessionEvent): void {
		conn.send(encodeSessionFrame(event))
	}

	private respond(conn: ClientConnection, id: number | null, outcome: Outcome): void {
		const serverNow = this.deps.now()
		const message = outcome.ok
			? { type: 'response', id, serverNow, ok: true, result: outcome.result }
			: { type: 'response', id, serverNow, ok: false, error: { code: outcome.code, message: outcome.message } }
		conn.send(encodeSessionFrame(message))
	}
}
