/**
 * Dot voting, server side: one `VotingSession` per session of a board.
 *
 * Every change is check-and-set: the budget and the per-item cap are checked
 * against the in-memory ballots, the new count is written through the async
 * `VotingPersistence` port, and only once the write resolved is memory
 * updated. The store is async, so exactness rests on the caller running the
 * changes of one board ONE AT A TIME: BoardSession keeps one ordered request
 * queue per board (server/session/boardSession.ts), so 100 voters clicking at
 * the same instant are serialised and none can overspend or be lost; a failed
 * write leaves memory unchanged and the voter gets an error.
 *
 * Identity: the budget is per participant id (bound to the connection at
 * `join`). For anonymous sessions the id is never stored: ballots are keyed
 * by HMAC(voterSalt, participant id), and ballots and salt are erased on
 * close, leaving only the aggregated results.
 *
 * "Max votes per item" caps one voter's dots on one item (as in Miro/Mural).
 */
import { createHmac } from 'node:crypto'
import { personKey } from '../../shared/session/personKey'
import type { Ballot, VoteResults, VotingConfig, VotingSessionPublic } from '../../shared/session/messages'

export interface VotingSessionRecord {
	id: string
	boardId: string
	config: VotingConfig
	status: 'open' | 'closed'
	createdAt: number
	closedAt: number | null
	results: VoteResults | null
	/** Secret of an open anonymous session; null for named sessions and after close. */
	voterSalt: Buffer | null
}

export interface BallotRow {
	voterKey: string
	itemId: string
	count: number
	voterName: string | null
}

/** Write-through of voting changes. Each call is atomic; a rejection means nothing changed. */
export interface VotingPersistence {
	insertVotingSession(record: VotingSessionRecord): Promise<void>
	/** count 0 deletes the row. */
	setBallotCount(sessionId: string, row: BallotRow): Promise<void>
	/** Stores the results; `eraseBallots` (anonymous) deletes ballots and salt in the same transaction. */
	closeVotingSession(sessionId: string, closedAt: number, results: VoteResults, eraseBallots: boolean): Promise<void>
}

export type VoteOutcome =
	| { ok: true; ballot: Ballot }
	| { ok: false; code: 'session-closed' | 'not-eligible' | 'budget-exhausted' | 'item-cap-reached' | 'no-dot' | 'internal'; message: string }

interface VoterBallot {
	name: string | null
	dots: Map<string, number>
	total: number
}

export class VotingSession {
	private readonly voters = new Map<string, VoterBallot>()
	private readonly itemTotals = new Map<string, number>()
	private dotsCast = 0

	private constructor(private readonly record: VotingSessionRecord) {}

	/** A new open session, persisted. `salt` (≥ 16 random bytes) is used only when anonymous. */
	static async start(persistence: VotingPersistence, boardId: string, id: string, config: VotingConfig, now: number, salt: Buffer): Promise<VotingSession> {
		const record: VotingSessionRecord = {
			id,
			boardId,
			config,
			status: 'open',
			createdAt: now,
			closedAt: null,
			results: null,
			voterSalt: config.anonymous ? salt : null,
		}
		await persistence.insertVotingSession(record)
		return new VotingSession(record)
	}

	/** Rebuilds a session from storage. */
	static restore(record: VotingSessionRecord, ballots: readonly BallotRow[]): VotingSession {
		const session = new VotingSession({ ...record })
		if (record.status === 'open') {
			for (const row of ballots) session.applyCount(row.voterKey, row.voterName, row.itemId, row.count)
		}
		return session
	}

	get id(): string {
		return this.record.id
	}

	get config(): VotingConfig {
		return this.record.config
	}

	get isOpen(): boolean {
		return this.record.status === 'open'
	}

	get results(): VoteResults | null {
		return this.record.results
	}

	get closedAt(): number | null {
		return this.record.closedAt
	}

	/** The key a participant's ballot is stored under. */
	voterKey(participantId: string): string {
		if (!this.record.config.anonymous) return participantId
		if (!this.record.voterSalt) throw new Error('anonymous session without salt')
		return createHmac('sha256', this.record.voterSalt).update(participantId).digest('base64url')
	}

	ballotOf(participantId: string): Ballot {
		const voter = this.isOpen ? this.voters.get(this.voterKey(participantId)) : undefined
		return this.ballotFrom(voter)
	}

	async place(
		persistence: VotingPersistence,
		participantId: string,
		name: string,
		itemId: string,
		isEligible: (itemId: string) => boolean,
	): Promise<VoteOutcome> {
		if (!this.isOpen) return { ok: false, code: 'session-closed', message: 'this voting session is closed' }
		const key = this.voterKey(participantId)
		const voter = this.voters.get(key)
		const onItem = voter?.dots.get(itemId) ?? 0
		if ((voter?.total ?? 0) >= this.config.votesPerParticipant) {
			return { ok: false, code: 'budget-exhausted', message: `all ${this.config.votesPerParticipant} dots are placed` }
		}
		if (onItem >= this.config.maxVotesPerItem) {
			return { ok: false, code: 'item-cap-reached', message: `at most ${this.config.maxVotesPerItem} dots per item` }
		}
		if (!isEligible(itemId)) return { ok: false, code: 'not-eligible', message: 'this item is not part of the vote' }
		const voterName = this.config.anonymous ? null : name
		try {
			await persistence.setBallotCount(this.id, { voterKey: key, itemId, count: onItem + 1, voterName })
		} catch {
			return { ok: false, code: 'internal', message: 'the vote could not be stored' }
		}
		this.applyCount(key, voterName, itemId, onItem + 1)
		return { ok: true, ballot: this.ballotFrom(this.voters.get(key)) }
	}

	async remove(persistence: VotingPersistence, participantId: string, itemId: string): Promise<VoteOutcome> {
		if (!this.isOpen) return { ok: false, code: 'session-closed', message: 'this voting session is closed' }
		const key = this.voterKey(participantId)
		const voter = this.voters.get(key)
		const onItem = voter?.dots.get(itemId) ?? 0
		if (!voter || onItem === 0) return { ok: false, code: 'no-dot', message: 'no dot of yours on this item' }
		try {
			await persistence.setBallotCount(this.id, { voterKey: key, itemId, count: onItem - 1, voterName: voter.name })
		} catch {
			return { ok: false, code: 'internal', message: 'the vote could not be stored' }
		}
		this.applyCount(key, voter.name, itemId, onItem - 1)
		return { ok: true, ballot: this.ballotFrom(this.voters.get(key)) }
	}

	/**
	 * A named session follows a voter's rename: their ballot rows are rewritten
	 * with the new name, so results (and a restart) show who they are now.
	 * Anonymous sessions keep no names; nothing to do there.
	 */
	async renameVoter(persistence: VotingPersistence, participantId: string, name: string): Promise<void> {
		if (!this.isOpen || this.config.anonymous) return
		const key = this.voterKey(participantId)
		const voter = this.voters.get(key)
		if (!voter || voter.name === name) return
		for (const [itemId, count] of voter.dots) await persistence.setBallotCount(this.id, { voterKey: key, itemId, count, voterName: name })
		voter.name = name
	}

	/** Closes the session: aggregates, stores the results and (anonymous) erases ballots. Idempotent. */
	async close(persistence: VotingPersistence, now: number): Promise<VoteResults> {
		if (!this.isOpen && this.record.results) return this.record.results
		const results = this.computeResults()
		await persistence.closeVotingSession(this.id, now, results, this.config.anonymous)
		this.record.status = 'closed'
		this.record.closedAt = now
		this.record.results = results
		this.record.voterSalt = null
		this.voters.clear()
		this.itemTotals.clear()
		return results
	}

	/** What every client may see: never a ballot; per-item counts only when allowed. */
	publicView(): VotingSessionPublic {
		const liveResults = this.isOpen && !this.config.hideResults ? this.computeResults() : null
		return {
			id: this.id,
			title: this.config.title,
			status: this.record.status,
			config: this.config,
			createdAt: this.record.createdAt,
			closedAt: this.record.closedAt,
			progress: this.isOpen
				? { voters: this.voterCount(), dotsCast: this.dotsCast }
				: { voters: this.record.results?.voterCount ?? 0, dotsCast: this.record.results?.totalDots ?? 0 },
			results: this.isOpen ? liveResults : this.record.results,
			// Anonymous ballots are keyed by an HMAC of the id, so there is nothing to list — and nothing must be.
			votedPersonKeys: this.isOpen && !this.config.anonymous ? this.votedPersonKeys() : null,
			// Filled in from the board's session state by BoardSession (voteClosing.ts).
			closesAt: null,
			closeTimeZone: null,
			closedBy: null,
			turnout: null,
		}
	}

	/** Named sessions (whose voter keys are participant ids): the person keys of those with at least one dot. */
	private votedPersonKeys(): string[] {
		const keys: string[] = []
		for (const [voterKey, voter] of this.voters) if (voter.total > 0) keys.push(personKey(voterKey))
		return keys.sort()
	}

	/** Per-item totals (tests and invariants). */
	itemCount(itemId: string): number {
		return this.itemTotals.get(itemId) ?? 0
	}

	private voterCount(): number {
		let n = 0
		for (const voter of this.voters.values()) if (voter.total > 0) n += 1
		return n
	}

	private applyCount(key: string, name: string | null, itemId: string, count: number): void {
		let voter = this.voters.get(key)
		if (!voter) {
			voter = { name, dots: new Map(), total: 0 }
			this.voters.set(key, voter)
		}
		if (name !== null) voter.name = name
		const before = voter.dots.get(itemId) ?? 0
		const delta = count - before
		if (count === 0) voter.dots.delete(itemId)
		else voter.dots.set(itemId, count)
		voter.total += delta
		this.dotsCast += delta
		const itemTotal = (this.itemTotals.get(itemId) ?? 0) + delta
		if (itemTotal === 0) this.itemTotals.delete(itemId)
		else this.itemTotals.set(itemId, itemTotal)
	}

	private ballotFrom(voter: VoterBallot | undefined): Ballot {
		const dots: Record<string, number> = {}
		if (voter) for (const [itemId, count] of [...voter.dots].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) dots[itemId] = count
		return { sessionId: this.id, dots, remaining: this.config.votesPerParticipant - (voter?.total ?? 0) }
	}

	private computeResults(): VoteResults {
		return rankResults(this.itemTotals, this.config.anonymous ? null : this.votersByItem(), this.dotsCast, this.voterCount())
	}

	private votersByItem(): Map<string, { participantId: string; name: string; count: number }[]> {
		const byItem = new Map<string, { participantId: string; name: string; count: number }[]>()
		for (const [participantId, voter] of this.voters) {
			for (const [itemId, count] of voter.dots) {
				const list = byItem.get(itemId) ?? []
				list.push({ participantId, name: voter.name ?? '', count })
				byItem.set(itemId, list)
			}
		}
		for (const list of byItem.values()) {
			list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.participantId < b.participantId ? -1 : 1))
		}
		return byItem
	}
}

/**
 * Ranked results: most dots first, ties by item id; competition ranking
 * (1, 2, 2, 4). `voters` is null for anonymous sessions.
 */
export function rankResults(
	itemTotals: ReadonlyMap<string, number>,
	voters: ReadonlyMap<string, { participantId: string; name: string; count: number }[]> | null,
	totalDots: number,
	voterCount: number,
): VoteResults {
	const entries = [...itemTotals].filter(([, count]) => count > 0)
	entries.sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
	let rank = 0
	let previous = -1
	const items = entries.map(([itemId, count], index) => {
		if (count !== previous) rank = index + 1
		previous = count
		return { itemId, count, rank, voters: voters ? (voters.get(itemId) ?? []) : null }
	})
	return { items, totalDots, voterCount }
}
