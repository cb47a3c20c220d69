/**
 * Role tokens and facilitated sessions on PostgreSQL: the same tables and
 * semantics as the SQLite adapters (server/auth/tokenStore.ts,
 * server/session/sessionStore.ts), checked by the same contract suite.
 */
import type pg from 'pg'
import type { BoardId } from '../../../shared/boardId'
import { VoteResultsSchema, VotingConfigSchema, type VoteResults } from '../../../shared/session/messages'
import { BOARD_ROLES, type BoardRole } from '../../../shared/session/roles'
import {
	BoardAlreadyClaimedError,
	credentialIdOf,
	OPEN_CREDENTIAL_ID,
	roleOfCredential,
	type BoardTokenStore,
	type RoleTokens,
	type RotatedToken,
	type TokenLookup,
} from '../../auth/tokenStore'
import { generateToken, hashToken, tokenHashesEqual } from '../../auth/tokens'
import type { SessionStore, StoredClosedResults, StoredSessionState, StoredVotingSession } from '../../session/sessionStore'
import type { BallotRow, VotingSessionRecord } from '../../session/votingEngine'
import { checkFence } from './pgFencing'
import { inPgTransaction } from './pgPool'

const UPSERT_TOKEN = `INSERT INTO board_tokens (board_id, role, token_hash, created_at) VALUES ($1, $2, $3, $4)
	ON CONFLICT (board_id, role) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at`

export class PgBoardTokenStore implements BoardTokenStore {
	constructor(private readonly pool: pg.Pool) {}

	async isClaimed(boardId: BoardId): Promise<boolean> {
		return claimedOn(this.pool, boardId)
	}

	async lookup(token: string): Promise<TokenLookup | null> {
		const hash = hashToken(token)
		const { rows } = await this.pool.query<{ board_id: string; role: BoardRole; token_hash: Buffer }>(
			'SELECT board_id, role, token_hash FROM board_tokens WHERE token_hash = $1',
			[hash],
		)
		const row = rows[0]
		if (!row || !tokenHashesEqual(row.token_hash, hash)) return null
		return { boardId: row.board_id, role: row.role, credentialId: credentialIdOf(row.board_id, row.role, row.token_hash) }
	}

	async claim(boardId: BoardId): Promise<RoleTokens> {
		return inPgTransaction(this.pool, async (client) => {
			// Two claims of one board at once (API and board-admin CLI): the lock lets exactly one win.
			await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`claim:${boardId}`])
			if (await claimedOn(client, boardId)) throw new BoardAlreadyClaimedError(boardId)
			const now = Date.now()
			const tokens = {} as RoleTokens
			for (const role of BOARD_ROLES) {
				tokens[role] = generateToken()
				await client.query(UPSERT_TOKEN, [boardId, role, hashToken(tokens[role]), now])
			}
			return tokens
		})
	}

	async rotate(boardId: BoardId, role: BoardRole): Promise<RotatedToken> {
		return inPgTransaction(this.pool, async (client) => {
			const old = await client.query<{ token_hash: Buffer }>('SELECT token_hash FROM board_tokens WHERE board_id = $1 AND role = $2 FOR UPDATE', [
				boardId,
				role,
			])
			const token = generateToken()
			await client.query(UPSERT_TOKEN, [boardId, role, hashToken(token), Date.now()])
			const previous = old.rows[0]
			return { token, revokedCredentialId: previous ? credentialIdOf(boardId, role, previous.token_hash) : null }
		})
	}

	async isCredentialCurrent(boardId: BoardId, credentialId: string): Promise<boolean> {
		if (credentialId === OPEN_CREDENTIAL_ID) return !(await this.isClaimed(boardId))
		const role = roleOfCredential(boardId, credentialId)
		if (!role) return false
		const { rows } = await this.pool.query<{ token_hash: Buffer }>('SELECT token_hash FROM board_tokens WHERE board_id = $1 AND role = $2', [
			boardId,
			role,
		])
		return rows[0] !== undefined && credentialIdOf(boardId, role, rows[0].token_hash) === credentialId
	}
}

async function claimedOn(db: pg.Pool | pg.PoolClient, boardId: BoardId): Promise<boolean> {
	const { rows } = await db.query('SELECT 1 FROM board_tokens WHERE board_id = $1 LIMIT 1', [boardId])
	return rows.length > 0
}

interface SessionRow {
	id: string
	board_id: string
	config: string
	status: 'open' | 'closed'
	created_at: string
	closed_at: string | null
	results: string | null
	voter_salt: Buffer | null
}

export class PgSessionStore implements SessionStore {
	constructor(private readonly pool: pg.Pool) {}

	async loadVotingSessions(boardId: BoardId): Promise<StoredVotingSession[]> {
		return inPgTransaction(
			this.pool,
			async (client) => {
				const sessions = await client.query<SessionRow>('SELECT * FROM voting_sessions WHERE board_id = $1 ORDER BY created_at, id', [boardId])
				const out: StoredVotingSession[] = []
				for (const row of sessions.rows) {
					const record = parseRow(row)
					if (!record) continue
					const ballots =
						row.status === 'open'
							? (
									await client.query<BallotRow>(
										'SELECT voter_key AS "voterKey", item_id AS "itemId", count, voter_name AS "voterName" FROM vote_ballots WHERE session_id = $1',
										[row.id],
									)
								).rows
							: []
					out.push({ record, ballots })
				}
				return out
			},
			'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
		)
	}

	async loadState(boardId: BoardId): Promise<unknown> {
		const { rows } = await this.pool.query<{ state: string }>('SELECT state FROM board_session_state WHERE board_id = $1', [boardId])
		if (!rows[0]) return null
		try {
			return JSON.parse(rows[0].state) as unknown
		} catch {
			return null
		}
	}

	async saveState(boardId: BoardId, state: StoredSessionState): Promise<void> {
		await saveStateOn(this.pool, boardId, state)
	}

	async loadClosedResults(boardId: BoardId): Promise<StoredClosedResults[]> {
		const { rows } = await this.pool.query<SessionRow>("SELECT * FROM voting_sessions WHERE board_id = $1 AND status = 'closed' ORDER BY closed_at, id", [
			boardId,
		])
		const out: StoredClosedResults[] = []
		for (const row of rows) {
			const record = parseRow(row)
			if (!record?.results || record.closedAt === null) continue
			out.push({ id: record.id, title: record.config.title, anonymous: record.config.anonymous, closedAt: record.closedAt, results: record.results })
		}
		return out
	}

	async insertVotingSession(record: VotingSessionRecord): Promise<void> {
		await insertVotingSessionOn(this.pool, record)
	}

	async setBallotCount(sessionId: string, row: BallotRow): Promise<void> {
		await setBallotCountOn(this.pool, sessionId, row)
	}

	async closeVotingSession(sessionId: string, closedAt: number, results: VoteResults, eraseBallots: boolean): Promise<void> {
		await inPgTransaction(this.pool, (client) => closeVotingSessionOn(client, sessionId, closedAt, results, eraseBallots))
	}

	/**
	 * The same writes for the owner process of a cluster: each runs in one
	 * transaction after `checkFence` (./pgFencing.ts), so a deposed owner can
	 * neither cast a ballot nor overwrite the timer, agenda or lock state.
	 */
	fencedWrites(boardId: BoardId, fence: number): FencedSessionWrites {
		const fenced = (work: (client: pg.PoolClient) => Promise<void>) =>
			inPgTransaction(this.pool, async (client) => {
				await checkFence(client, boardId, fence)
				await work(client)
			})
		return {
			insertVotingSession: (record) => fenced((client) => insertVotingSessionOn(client, record)),
			setBallotCount: (sessionId, row) => fenced((client) => setBallotCountOn(client, sessionId, row)),
			closeVotingSession: (sessionId, closedAt, results, eraseBallots) =>
				fenced((client) => closeVotingSessionOn(client, sessionId, closedAt, results, eraseBallots)),
			saveState: (stateBoardId, state) => fenced((client) => saveStateOn(client, stateBoardId, state)),
		}
	}
}

/** The write half of SessionStore, bound to one board and fencing token. */
export type FencedSessionWrites = Pick<SessionStore, 'insertVotingSession' | 'setBallotCount' | 'closeVotingSession' | 'saveState'>

type Queryable = Pick<pg.Pool, 'query'>

async function insertVotingSessionOn(db: Queryable, record: VotingSessionRecord): Promise<void> {
	await db.query(
		`INSERT INTO voting_sessions (id, board_id, config, status, created_at, closed_at, results, voter_salt)
		 VALUES ($1, $2, $3, 'open', $4, NULL, NULL, $5)`,
		[record.id, record.boardId, JSON.stringify(record.config), record.createdAt, record.voterSalt],
	)
}

async function setBallotCountOn(db: Queryable, sessionId: string, row: BallotRow): Promise<void> {
	if (row.count <= 0) {
		await db.query('DELETE FROM vote_ballots WHERE session_id = $1 AND voter_key = $2 AND item_id = $3', [sessionId, row.voterKey, row.itemId])
		return
	}
	await db.query(
		`INSERT INTO vote_ballots (session_id, voter_key, item_id, count, voter_name) VALUES ($1, $2, $3, $4, $5)
		 ON CONFLICT (session_id, voter_key, item_id) DO UPDATE SET count = EXCLUDED.count, voter_name = EXCLUDED.voter_name`,
		[sessionId, row.voterKey, row.itemId, row.count, row.voterName],
	)
}

async function closeVotingSessionOn(db: Queryable, sessionId: string, closedAt: number, results: VoteResults, eraseBallots: boolean): Promise<void> {
	await db.query("UPDATE voting_sessions SET status = 'closed', closed_at = $1, results = $2, voter_salt = NULL WHERE id = $3 AND status = 'open'", [
		closedAt,
		JSON.stringify(results),
		sessionId,
	])
	if (eraseBallots) await db.query('DELETE FROM vote_ballots WHERE session_id = $1', [sessionId])
}

async function saveStateOn(db: Queryable, boardId: BoardId, state: StoredSessionState): Promise<void> {
	await db.query(
		`INSERT INTO board_session_state (board_id, state, updated_at) VALUES ($1, $2, $3)
		 ON CONFLICT (board_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
		[boardId, JSON.stringify(state), Date.now()],
	)
}

function parseRow(row: SessionRow): VotingSessionRecord | null {
	try {
		return {
			id: row.id,
			boardId: row.board_id,
			config: VotingConfigSchema.parse(JSON.parse(row.config)),
			status: row.status,
			createdAt: Number(row.created_at),
			closedAt: row.closed_at === null ? null : Number(row.closed_at),
			results: row.results === null ? null : VoteResultsSchema.parse(JSON.parse(row.results)),
			voterSalt: row.voter_salt,
		}
	} catch {
		return null
	}
}
