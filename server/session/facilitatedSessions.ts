/**
 * Facilitated sessions of all boards: creates the BoardSession of each room,
 * and answers for boards whether or not they are loaded (API, export).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Contribution } from '../../shared/contributor/contribution'
import type { ReceiptAnswer } from '../../shared/contributor/receipt'
import { answerReceipts, anyGenuine } from './contributorReceipts'
import { BoardNotFoundError, type Room } from '../sync/room'
import { randomBase64Url, type BoardId } from '../../shared/boardId'
import type { EstimationRoundPublic } from '../../shared/session/estimation'
import type { SessionState, VoteResults, VoteTurnout } from '../../shared/session/messages'
import { publicRound } from './estimationRounds'
import type { Logger } from '../logger'
import type { RoomExtensionFactory } from '../sync/roomExtension'
import { BoardSession, buildPublicState, restoreVotingSessions, type BoardSessionDeps } from './boardSession'
import { parseStoredSessionState, toStoredSessionState } from './sessionState'
import { closedEntry, dueSessionIds, type TimerPort } from './voteClosing'
import type { SessionStore } from './sessionStore'

/** The room registry as contributor requests use it: hold a board's room for one read or write. */
/** How long a status check keeps the board's room loaded (longer than the contributor page's 30 s refresh). */
export const CONTRIBUTOR_STATUS_HOLD_MS = 40_000

export type RoomHolder = { acquire(boardId: BoardId): Promise<Room>; release(room: Room): void }

/** One closed voting session's stored results. */
export interface ClosedVotingSession {
	id: string
	title: string
	anonymous: boolean
	closedAt: number
	results: VoteResults
	/** Remote voting over days (voteClosing.ts); absent for sessions closed before it existed. */
	closesAt?: number | null
	closedBy?: 'facilitator' | 'schedule' | null
	turnout?: VoteTurnout | null
}

/** Votes of one item over every closed session of the board (for the export's `items[].votes`). */
export interface ItemVotes {
	total: number
	sessions: { sessionId: string; title: string; count: number; rank: number }[]
}

export interface BoardVoteResults {
	/** Closed sessions, oldest first. */
	sessions: ClosedVotingSession[]
	/** Item id → its dots. Items without dots are absent. */
	byItem: Map<string, ItemVotes>
}

export interface FacilitatedSessionsDeps {
	store: SessionStore
	isClaimed(boardId: BoardId): Promise<boolean>
	logger: Logger
	now?: () => number
	timers?: TimerPort
}

export class FacilitatedSessions {
	private readonly live = new Map<BoardId, BoardSession>()
	/** Boards without a room whose due votes are being closed (closeDueWithoutRoom); a room's load waits for it. */
	private readonly settling = new Map<BoardId, Promise<void>>()
	private readonly sessionDeps: BoardSessionDeps

	constructor(private readonly deps: FacilitatedSessionsDeps) {
		this.sessionDeps = {
			store: deps.store,
			isClaimed: deps.isClaimed,
			logger: deps.logger,
			now: deps.now ?? Date.now,
			newId: () => randomBase64Url(12),
			newSalt: () => randomBytes(32),
			onDispose: (session) => this.forget(session.boardId, session),
			timers: deps.timers,
			beforeLoad: (boardId) => this.settling.get(boardId) ?? Promise.resolve(),
		}
	}

	/** Pass to RoomRegistry's `roomExtension` option. */
	readonly roomExtension: RoomExtensionFactory = (room) => {
		const session = new BoardSession(room, this.sessionDeps)
		this.live.set(room.boardId, session)
		// A room that failed to load is never unloaded through dispose.
		room.ready.catch(() => this.forget(room.boardId, session))
		return session
	}

	/** The public session state (as the `state` event carries it), loaded room or not. */
	async publicState(boardId: BoardId): Promise<SessionState> {
		const live = this.live.get(boardId)
		if (live) return live.publicState()
		await this.closeDueWithoutRoom(boardId)
		const [sessions, stored, claimed] = await Promise.all([
			restoreVotingSessions(this.deps.store, boardId),
			this.deps.store.loadState(boardId),
			this.deps.isClaimed(boardId),
		])
		const now = this.sessionDeps.now()
		return buildPublicState(claimed, sessions.values(), parseStoredSessionState(stored, now), now)
	}

	/**
	 * Results of the board's closed voting sessions, for the export: merge
	 * `byItem.get(item.id)` into `items[].votes`. Aggregates only — anonymous
	 * sessions never had voter ids stored past their close.
	 */
	async getVoteResults(boardId: BoardId): Promise<BoardVoteResults> {
		if (!this.live.has(boardId)) await this.closeDueWithoutRoom(boardId)
		const [closed, stored] = await Promise.all([this.deps.store.loadClosedResults(boardId), this.deps.store.loadState(boardId)])
		const closing = parseStoredSessionState(stored, this.sessionDeps.now()).voteClosing
		const sessions: ClosedVotingSession[] = closed.map((session) => {
			const entry = closing[session.id]
			// Only votes that had a closing time (remote votes) carry these optional fields: the export of a live-workshop vote is unchanged.
			if (!entry || (entry.closesAt === null && !entry.log.some((change) => change.action === 'scheduled'))) return session
			const turnout = { voters: session.results.voterCount, joined: Math.max(entry.joinedCount, session.results.voterCount) }
			return { ...session, closesAt: entry.closesAt, closedBy: entry.closedBy ?? 'facilitator', turnout }
		})
		const byItem = new Map<string, ItemVotes>()
		for (const session of sessions) {
			for (const item of session.results.items) {
				const votes = byItem.get(item.itemId) ?? { total: 0, sessions: [] }
				votes.total += item.count
				votes.sessions.push({ sessionId: session.id, title: session.title, count: item.count, rank: item.rank })
				byItem.set(item.itemId, votes)
			}
		}
		return { sessions, byItem }
	}

	/** The board's estimation rounds as clients see them (revealed ones carry aggregates only), for the export. */
	async getEstimationRounds(boardId: BoardId): Promise<EstimationRoundPublic[]> {
		const live = this.live.get(boardId)
		if (live) return (await live.publicState()).estimationRounds
		return parseStoredSessionState(await this.deps.store.loadState(boardId), this.sessionDeps.now()).estimation.map(publicRound)
	}

	/**
	 * A contributor's submission (docs/sessions.md §11): loads the board's
	 * room (held only for the write), checks the link and adds the sticky.
	 * 'not-found' for an unknown board or a link that is not (or no longer) open.
	 */
	async contribute(rooms: RoomHolder, boardId: BoardId, token: string, contribution: Contribution): Promise<{ ok: true; noteId: string; receipt: string } | { ok: false }> {
		let room: Room
		try {
			room = await rooms.acquire(boardId)
		} catch (error) {
			if (error instanceof BoardNotFoundError) return { ok: false }
			throw error
		}
		try {
			const session = this.live.get(boardId)
			return session ? await session.contribute(token, contribution) : { ok: false }
		} finally {
			rooms.release(room)
		}
	}

	/**
	 * What became of the notes behind `receipts` (docs/sessions.md §11). The
	 * receipts are checked first against the board's key — the loaded room's
	 * state, else the stored one — so forged receipts, an unknown board or a
	 * closed link never load a room; genuine ones are read from the room's
	 * document (loaded for the read, like a submission).
	 */
	async contributionStatus(rooms: RoomHolder, boardId: BoardId, receipts: readonly string[]): Promise<ReceiptAnswer[]> {
		const contributor = this.live.get(boardId)?.contributorState ?? parseStoredSessionState(await this.deps.store.loadState(boardId), this.sessionDeps.now()).contributor
		if (contributor.token === null || !anyGenuine(receipts, boardId, contributor.receiptKey)) return answerReceipts(receipts, boardId, contributor, null)
		let room: Room
		try {
			room = await rooms.acquire(boardId)
		} catch (error) {
			// The board was deleted: its notes are gone.
			if (error instanceof BoardNotFoundError) return answerReceipts(receipts, boardId, contributor, null)
			throw error
		}
		try {
			const session = this.live.get(boardId)
			return session ? session.answerReceipts(receipts) : answerReceipts(receipts, boardId, contributor, null)
		} finally {
			// Phones re-check every 30 s: holding the room a little longer than that keeps a board
			// that only contributors watch in memory instead of loading it from storage on each check.
			const held = room
			setTimeout(() => rooms.release(held), CONTRIBUTOR_STATUS_HOLD_MS).unref()
		}
	}

	/** Whether `token` opens the board's contributor page (loaded room or stored state; no room is loaded for it). */
	async contributorLinkOpen(boardId: BoardId, token: string): Promise<boolean> {
		const live = this.live.get(boardId)
		if (live) return live.acceptsContributorToken(token)
		const stored = parseStoredSessionState(await this.deps.store.loadState(boardId), this.sessionDeps.now()).contributor.token
		if (stored === null || stored.length !== token.length) return false
		return timingSafeEqual(Buffer.from(stored), Buffer.from(token))
	}

	/**
	 * A board nobody has open is not left "open" past its closing time when it
	 * is read (session API, votes API, export): its due votes are closed here,
	 * as the room would at load (closedAt = closesAt). One at a time per board;
	 * a room that starts meanwhile waits for it (`beforeLoad`). A loaded room
	 * closes its own votes (BoardSession).
	 */
	private closeDueWithoutRoom(boardId: BoardId): Promise<void> {
		const running = this.settling.get(boardId)
		if (running) return running
		const work = (async () => {
			const [sessions, stored] = await Promise.all([restoreVotingSessions(this.deps.store, boardId), this.deps.store.loadState(boardId)])
			if (this.live.has(boardId)) return
			const state = parseStoredSessionState(stored, this.sessionDeps.now())
			const open = [...sessions.values()].filter((session) => session.isOpen).map((session) => session.id)
			let entries = state.voteClosing
			for (const id of dueSessionIds(entries, open, this.sessionDeps.now())) {
				const closesAt = entries[id].closesAt as number
				await sessions.get(id)?.close(this.deps.store, closesAt)
				entries = { ...entries, [id]: closedEntry(entries[id], 'schedule', closesAt) }
				this.deps.logger.info('session.voting_closed_on_time', { board: boardId, session: id, loaded: false })
			}
			if (entries !== state.voteClosing) await this.deps.store.saveState(boardId, toStoredSessionState({ ...state, voteClosing: entries }))
		})().finally(() => this.settling.delete(boardId))
		this.settling.set(boardId, work)
		return work
	}

	private forget(boardId: BoardId, session: BoardSession): void {
		if (this.live.get(boardId) === session) this.live.delete(boardId)
	}
}
