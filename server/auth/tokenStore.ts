/**
 * Where role tokens live: the async port (BoardTokenStore) and its SQLite
 * adapter. Every method is one atomic step of the store (one transaction),
 * so a rotation is never half done whatever the backend.
 */
import type Database from 'better-sqlite3'
import type { BoardId } from '../../shared/boardId'
import { BOARD_ROLES, type BoardRole } from '../../shared/session/roles'
import { generateToken, hashToken, tokenHashesEqual } from './tokens'

export interface TokenLookup {
	boardId: BoardId
	role: BoardRole
	/** Short, non-reversible id of the credential (for closing its holders on rotation). */
	credentialId: string
}

export type RoleTokens = Record<BoardRole, string>

export interface BoardTokenStore {
	/** True when the board has role tokens; false for an "open" (unclaimed) board. */
	isClaimed(boardId: BoardId): Promise<boolean>
	/** The board and role of a presented token, or null when it is unknown. */
	lookup(token: string): Promise<TokenLookup | null>
	/** Issues all three tokens of an unclaimed board. Rejects with BoardAlreadyClaimedError if the board is already claimed. */
	claim(boardId: BoardId): Promise<RoleTokens>
	/** Replaces one role's token; the old one stops working at once. Resolves with the new token and the old credential. */
	rotate(boardId: BoardId, role: BoardRole): Promise<RotatedToken>
	/**
	 * Whether a connection that authenticated with `credentialId` may stay: `open` while the board
	 * is unclaimed, a token credential while it is still its role's current token.
	 */
	isCredentialCurrent(boardId: BoardId, credentialId: string): Promise<boolean>
}

export interface RotatedToken {
	token: string
	revokedCredentialId: string | null
}

/** The role of a credential id of `boardId`, or null when it names no role of that board. */
export function roleOfCredential(boardId: BoardId, credentialId: string): BoardRole | null {
	return BOARD_ROLES.find((candidate) => credentialId.startsWith(`token:${boardId}:${candidate}:`)) ?? null
}

export class BoardAlreadyClaimedError extends Error {
	override name = 'BoardAlreadyClaimedError'
	constructor(boardId: BoardId) {
		super(`board ${boardId} already has role links; rotate them instead`)
	}
}

/** The credential of everyone on an open (unclaimed) board. */
export const OPEN_CREDENTIAL_ID = 'open'

export function credentialIdOf(boardId: BoardId, role: BoardRole, hash: Uint8Array): string {
	return `token:${boardId}:${role}:${Buffer.from(hash).subarray(0, 8).toString('hex')}`
}

export class SqliteBoardTokenStore implements BoardTokenStore {
	private readonly statements

	constructor(private readonly db: Database.Database) {
		this.statements = {
			count: db.prepare('SELECT COUNT(*) AS n FROM board_tokens WHERE board_id = ?'),
			byHash: db.prepare('SELECT board_id AS boardId, role, token_hash AS hash FROM board_tokens WHERE token_hash = ?'),
			byRole: db.prepare('SELECT token_hash AS hash FROM board_tokens WHERE board_id = ? AND role = ?'),
			upsert: db.prepare(
				`INSERT INTO board_tokens (board_id, role, token_hash, created_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT (board_id, role) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
			),
		}
	}

	async isClaimed(boardId: BoardId): Promise<boolean> {
		return this.claimedNow(boardId)
	}

	private claimedNow(boardId: BoardId): boolean {
		return (this.statements.count.get(boardId) as { n: number }).n > 0
	}

	async lookup(token: string): Promise<TokenLookup | null> {
		const hash = hashToken(token)
		const row = this.statements.byHash.get(hash) as { boardId: string; role: BoardRole; hash: Buffer } | undefined
		if (!row || !tokenHashesEqual(row.hash, hash)) return null
		return { boardId: row.boardId, role: row.role, credentialId: credentialIdOf(row.boardId, row.role, row.hash) }
	}

	async claim(boardId: BoardId): Promise<RoleTokens> {
		return this.db.transaction((): RoleTokens => {
			if (this.claimedNow(boardId)) throw new BoardAlreadyClaimedError(boardId)
			const now = Date.now()
			const tokens = {} as RoleTokens
			for (const role of BOARD_ROLES) {
				tokens[role] = generateToken()
				this.statements.upsert.run(boardId, role, hashToken(tokens[role]), now)
			}
			return tokens
		})()
	}

	async isCredentialCurrent(boardId: BoardId, credentialId: string): Promise<boolean> {
		if (credentialId === OPEN_CREDENTIAL_ID) return !this.claimedNow(boardId)
		const role = roleOfCredential(boardId, credentialId)
		if (!role) return false
		const current = this.statements.byRole.get(boardId, role) as { hash: Buffer } | undefined
		return current !== undefined && credentialIdOf(boardId, role, current.hash) === credentialId
	}

	async rotate(boardId: BoardId, role: BoardRole): Promise<RotatedToken> {
		return this.db.transaction((): RotatedToken => {
			const old = this.statements.byRole.get(boardId, role) as { hash: Buffer } | undefined
			const token = generateToken()
			this.statements.upsert.run(boardId, role, hashToken(token), Date.now())
			return { token, revokedCredentialId: old ? credentialIdOf(boardId, role, old.hash) : null }
		})()
	}
}
