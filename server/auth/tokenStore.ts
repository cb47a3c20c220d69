/**
 * Where role tokens live. Synchronous on purpose (better-sqlite3): a token
 * check and a rotation each run in one step of the event loop.
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
	isClaimed(boardId: BoardId): boolean
	/** The board and role of a presented token, or null when it is unknown. */
	lookup(token: string): TokenLookup | null
	/** Issues all three tokens of an unclaimed board. Throws if the board is already claimed. */
	claim(boardId: BoardId): RoleTokens
	/** Replaces one role's token; the old one stops working at once. Returns the new token and the old credential. */
	rotate(boardId: BoardId, role: BoardRole): { token: string; revokedCredentialId: string | null }
	/**
	 * Whether a connection that authenticated with `credentialId` may stay: `open` while the board
	 * is unclaimed, a token credential while it is still its role's current token.
	 */
	isCredentialCurrent(boardId: BoardId, credentialId: string): boolean
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

	isClaimed(boardId: BoardId): boolean {
		return (this.statements.count.get(boardId) as { n: number }).n > 0
	}

	lookup(token: string): TokenLookup | null {
		const hash = hashToken(token)
		const row = this.statements.byHash.get(hash) as { boardId: string; role: BoardRole; hash: Buffer } | undefined
		if (!row || !tokenHashesEqual(row.hash, hash)) return null
		return { boardId: row.boardId, role: row.role, credentialId: credentialIdOf(row.boardId, row.role, row.hash) }
	}

	claim(boardId: BoardId): RoleTokens {
		return this.db.transaction((): RoleTokens => {
			if (this.isClaimed(boardId)) throw new BoardAlreadyClaimedError(boardId)
			const now = Date.now()
			const tokens = {} as RoleTokens
			for (const role of BOARD_ROLES) {
				tokens[role] = generateToken()
				this.statements.upsert.run(boardId, role, hashToken(tokens[role]), now)
			}
			return tokens
		})()
	}

	isCredentialCurrent(boardId: BoardId, credentialId: string): boolean {
		if (credentialId === OPEN_CREDENTIAL_ID) return !this.isClaimed(boardId)
		const role = BOARD_ROLES.find((candidate) => credentialId.startsWith(`token:${boardId}:${candidate}:`))
		if (!role) return false
		const current = this.statements.byRole.get(boardId, role) as { hash: Buffer } | undefined
		return current !== undefined && credentialIdOf(boardId, role, current.hash) === credentialId
	}

	rotate(boardId: BoardId, role: BoardRole): { token: string; revokedCredentialId: string | null } {
		return this.db.transaction(() => {
			const old = this.statements.byRole.get(boardId, role) as { hash: Buffer } | undefined
			const token = generateToken()
			this.statements.upsert.run(boardId, role, hashToken(token), Date.now())
			return { token, revokedCredentialId: old ? credentialIdOf(boardId, role, old.hash) : null }
		})()
	}
}
