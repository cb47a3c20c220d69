/**
 * Persistence of facilitated sessions: voting sessions, ballots and the
 * board's session state (timer, agenda, lock, private mode, follow-me) — the
 * async port (SessionStore) and its SQLite adapter. Each method is atomic;
 * a vote's check-and-write is made exact by BoardSession's per-board queue.
 */
import type Database from 'better-sqlite3'
import type { BoardId } from '../../shared/boardId'
import { VoteResultsSchema, VotingConfigSchema, type VoteResults } from '../../shared/session/messages'
import type { BallotRow, VotingPersistence, VotingSessionRecord } from './votingEngine'

/** The non-voting part of a board's session, stored as one JSON document with a version. */
export type StoredSessionState = { version: number } & object

export interface StoredVotingSession {
	record: VotingSessionRecord
	ballots: BallotRow[]
}

export interface SessionStore extends VotingPersistence {
	loadVotingSessions(boardId: BoardId): Promise<StoredVotingSession[]>
	/** The stored state document (unparsed JSON value), or null. */
	loadState(boardId: BoardId): Promise<unknown>
	saveState(boardId: BoardId, state: StoredSessionState): Promise<void>
	/** Closed sessions with their results, oldest first (for exports; works without a loaded room). */
	loadClosedResults(boardId: BoardId): Promise<StoredClosedResults[]>
}

export interface StoredClosedResults {
	id: string
	title: string
	anonymous: boolean
	closedAt: number
	results: VoteResults
}

interface SessionRow {
	id: string
	board_id: string
	config: string
	status: 'open' | 'closed'
	created_at: number
	closed_at: number | null
	results: string | null
	voter_salt: Buffer | null
}

export class SqliteSessionStore implements SessionStore {
	private readonly statements

	constructor(private readonly db: Database.Database) {
		this.statements = {
			sessions: db.prepare('SELECT * FROM voting_sessions WHERE board_id = ? ORDER BY created_at, id'),
			closed: db.prepare("SELECT * FROM voting_sessions WHERE board_id = ? AND status = 'closed' ORDER BY closed_at, id"),
			ballots: db.prepare('SELECT voter_key AS voterKey, item_id AS itemId, count, voter_name AS voterName FROM vote_ballots WHERE session_id = ?'),
			insertSession: db.prepare(
				`INSERT INTO voting_sessions (id, board_id, config, status, created_at, closed_at, results, voter_salt)
				 VALUES (?, ?, ?, 'open', ?, NULL, NULL, ?)`,
			),
			upsertBallot: db.prepare(
				`INSERT INTO vote_ballots (session_id, voter_key, item_id, count, voter_name) VALUES (?, ?, ?, ?, ?)
				 ON CONFLICT (session_id, voter_key, item_id) DO UPDATE SET count = excluded.count, voter_name = excluded.voter_name`,
			),
			deleteBallot: db.prepare('DELETE FROM vote_ballots WHERE session_id = ? AND voter_key = ? AND item_id = ?'),
			closeSession: db.prepare(
				"UPDATE voting_sessions SET status = 'closed', closed_at = ?, results = ?, voter_salt = NULL WHERE id = ? AND status = 'open'",
			),
			eraseBallots: db.prepare('DELETE FROM vote_ballots WHERE session_id = ?'),
			loadState: db.prepare('SELECT state FROM board_session_state WHERE board_id = ?'),
			saveState: db.prepare(
				`INSERT INTO board_session_state (board_id, state, updated_at) VALUES (?, ?, ?)
				 ON CONFLICT (board_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
			),
		}
	}

	async loadVotingSessions(boardId: BoardId): Promise<StoredVotingSession[]> {
		const rows = this.statements.sessions.all(boardId) as SessionRow[]
		const out: StoredVotingSession[] = []
		for (const row of rows) {
			const record = parseRow(row)
			if (!record) continue
			const ballots = row.status === 'open' ? (this.statements.ballots.all(row.id) as BallotRow[]) : []
			out.push({ record, ballots })
		}
		return out
	}

	async loadClosedResults(boardId: BoardId): Promise<StoredClosedResults[]> {
		const out: StoredClosedResults[] = []
		for (const row of this.statements.closed.all(boardId) as SessionRow[]) {
			const record = parseRow(row)
			if (!record?.results || record.closedAt === null) continue
			out.push({ id: record.id, title: record.config.title, anonymous: record.config.anonymous, closedAt: record.closedAt, results: record.results })
		}
		return out
	}

	async insertVotingSession(record: VotingSessionRecord): Promise<void> {
		this.statements.insertSession.run(record.id, record.boardId, JSON.stringify(record.config), record.createdAt, record.voterSalt)
	}

	async setBallotCount(sessionId: string, row: BallotRow): Promise<void> {
		if (row.count <= 0) this.statements.deleteBallot.run(sessionId, row.voterKey, row.itemId)
		else this.statements.upsertBallot.run(sessionId, row.voterKey, row.itemId, row.count, row.voterName)
	}

	async closeVotingSession(sessionId: string, closedAt: number, results: VoteResults, eraseBallots: boolean): Promise<void> {
		this.db.transaction(() => {
			this.statements.closeSession.run(closedAt, JSON.stringify(results), sessionId)
			if (eraseBallots) this.statements.eraseBallots.run(sessionId)
		})()
	}

	async loadState(boardId: BoardId): Promise<unknown> {
		const row = this.statements.loadState.get(boardId) as { state: string } | undefined
		if (!row) return null
		try {
			return JSON.parse(row.state) as unknown
		} catch {
			return null
		}
	}

	async saveState(boardId: BoardId, state: StoredSessionState): Promise<void> {
		this.statements.saveState.run(boardId, JSON.stringify(state), Date.now())
	}
}

function parseRow(row: SessionRow): VotingSessionRecord | null {
	try {
		const config = VotingConfigSchema.parse(JSON.parse(row.config))
		const results = row.results === null ? null : VoteResultsSchema.parse(JSON.parse(row.results))
		return {
			id: row.id,
			boardId: row.board_id,
			config,
			status: row.status,
			createdAt: row.created_at,
			closedAt: row.closed_at,
			results,
			voterSalt: row.voter_salt,
		}
	} catch {
		return null
	}
}
