/**
 * In-memory role tokens and facilitated sessions (unit tests, throwaway
 * servers). Same contracts as the SQLite and PostgreSQL adapters
 * (test/unit/appStores.contract.ts); values are copied in and out.
 */
import type { BoardId } from '../../shared/boardId'
import { BOARD_ROLES, type BoardRole } from '../../shared/session/roles'
import type { VoteResults } from '../../shared/session/messages'
import {
	BoardAlreadyClaimedError,
	credentialIdOf,
	OPEN_CREDENTIAL_ID,
	roleOfCredential,
	type BoardTokenStore,
	type RoleTokens,
	type RotatedToken,
	type TokenLookup,
} from '../auth/tokenStore'
import { generateToken, hashToken } from '../auth/tokens'
import type { SessionStore, StoredClosedResults, StoredSessionState, StoredVotingSession } from '../session/sessionStore'
import type { BallotRow, VotingSessionRecord } from '../session/votingEngine'

export class MemoryBoardTokenStore implements BoardTokenStore {
	/** boardId → role → SHA-256 of the token (hex). */
	private readonly hashes = new Map<BoardId, Map<BoardRole, string>>()

	async isClaimed(boardId: BoardId): Promise<boolean> {
		return this.claimedNow(boardId)
	}

	private claimedNow(boardId: BoardId): boolean {
		return (this.hashes.get(boardId)?.size ?? 0) > 0
	}

	async lookup(token: string): Promise<TokenLookup | null> {
		const hash = hashToken(token).toString('hex')
		for (const [boardId, roles] of this.hashes) {
			for (const [role, stored] of roles) {
				if (stored === hash) return { boardId, role, credentialId: credentialIdOf(boardId, role, Buffer.from(stored, 'hex')) }
			}
		}
		return null
	}

	async claim(boardId: BoardId): Promise<RoleTokens> {
		// Checked and set without an await in between: two overlapping claims cannot both win.
		if (this.claimedNow(boardId)) throw new BoardAlreadyClaimedError(boardId)
		const tokens = {} as RoleTokens
		const roles = new Map<BoardRole, string>()
		for (const role of BOARD_ROLES) {
			tokens[role] = generateToken()
			roles.set(role, hashToken(tokens[role]).toString('hex'))
		}
		this.hashes.set(boardId, roles)
		return tokens
	}

	async rotate(boardId: BoardId, role: BoardRole): Promise<RotatedToken> {
		const roles = this.hashes.get(boardId) ?? new Map<BoardRole, string>()
		const old = roles.get(role)
		const token = generateToken()
		roles.set(role, hashToken(token).toString('hex'))
		this.hashes.set(boardId, roles)
		return { token, revokedCredentialId: old ? credentialIdOf(boardId, role, Buffer.from(old, 'hex')) : null }
	}

	async isCredentialCurrent(boardId: BoardId, credentialId: string): Promise<boolean> {
		if (credentialId === OPEN_CREDENTIAL_ID) return !this.claimedNow(boardId)
		const role = roleOfCredential(boardId, credentialId)
		const current = role && this.hashes.get(boardId)?.get(role)
		return !!role && !!current && credentialIdOf(boardId, role, Buffer.from(current, 'hex')) === credentialId
	}
}

interface MemoryVotingSession {
	record: VotingSessionRecord
	ballots: Map<string, BallotRow>
}

export class MemorySessionStore implements SessionStore {
	private readonly sessions = new Map<string, MemoryVotingSession>()
	private readonly states = new Map<BoardId, string>()

	async loadVotingSessions(boardId: BoardId): Promise<StoredVotingSession[]> {
		return [...this.sessions.values()]
			.filter(({ record }) => record.boardId === boardId)
			.sort((a, b) => a.record.createdAt - b.record.createdAt || a.record.id.localeCompare(b.record.id))
			.map(({ record, ballots }) => ({
				record: copyRecord(record),
				ballots: record.status === 'open' ? [...ballots.values()].map((row) => ({ ...row })) : [],
			}))
	}

	async loadState(boardId: BoardId): Promise<unknown> {
		const json = this.states.get(boardId)
		return json === undefined ? null : (JSON.parse(json) as unknown)
	}

	async saveState(boardId: BoardId, state: StoredSessionState): Promise<void> {
		this.states.set(boardId, JSON.stringify(state))
	}

	async loadClosedResults(boardId: BoardId): Promise<StoredClosedResults[]> {
		return [...this.sessions.values()]
			.map(({ record }) => record)
			.filter((record) => record.boardId === boardId && record.status === 'closed' && record.results && record.closedAt !== null)
			.sort((a, b) => (a.closedAt ?? 0) - (b.closedAt ?? 0) || a.id.localeCompare(b.id))
			.map((record) => ({
				id: record.id,
				title: record.config.title,
				anonymous: record.config.anonymous,
				closedAt: record.closedAt ?? 0,
				results: structuredClone(record.results as VoteResults),
			}))
	}

	async insertVotingSession(record: VotingSessionRecord): Promise<void> {
		if (this.sessions.has(record.id)) throw new Error(`voting session ${record.id} exists`)
		this.sessions.set(record.id, { record: copyRecord(record), ballots: new Map() })
	}

	async setBallotCount(sessionId: string, row: BallotRow): Promise<void> {
		const session = this.sessions.get(sessionId)
		if (!session) throw new Error(`no voting session ${sessionId}`)
		const key = `${row.voterKey}\n${row.itemId}`
		if (row.count <= 0) session.ballots.delete(key)
		else session.ballots.set(key, { ...row })
	}

	async closeVotingSession(sessionId: string, closedAt: number, results: VoteResults, eraseBallots: boolean): Promise<void> {
		const session = this.sessions.get(sessionId)
		if (!session || session.record.status !== 'open') return
		session.record = { ...session.record, status: 'closed', closedAt, results: structuredClone(results), voterSalt: null }
		if (eraseBallots) session.ballots.clear()
	}
}

function copyRecord(record: VotingSessionRecord): VotingSessionRecord {
	return {
		...record,
		config: structuredClone(record.config),
		results: record.results && structuredClone(record.results),
		voterSalt: record.voterSalt && Buffer.from(record.voterSalt),
	}
}
