/**
 * The one place HTTP API handlers ask "may this request do that?". Today it
 * delegates to the server's Authenticate hook (the same one the sync gateway
 * uses) for board-scoped actions. Creating and importing boards is open to
 * anyone who reaches the server (BOARD_CREATION=open), or needs
 * `Authorization: Bearer <ADMIN_TOKEN>` (BOARD_CREATION=admin).
 */
import type { IncomingMessage } from 'node:http'
import { tokenHashesEqual, hashToken } from '../auth/tokens'
import type { BoardId } from '../../shared/boardId'
import type { Authenticate, BoardRole } from '../auth'

export type ApiAction =
	/** POST /api/boards */
	| 'board:create'
	/** POST /api/boards/import */
	| 'board:import'
	/** GET /api/boards/<id>/export.* */
	| 'board:export'
	/** GET /api/boards/<id>/versions…, …/compare (server/versions) */
	| 'versions:read'
	/** POST/DELETE /api/boards/<id>/versions…, restoring a version as a copy */
	| 'versions:write'

export type AuthDecision = { ok: true; role: BoardRole | null } | { ok: false; status: 401 | 403; error: string }

export type Authorize = (request: IncomingMessage, boardId: BoardId | null, action: ApiAction) => Promise<AuthDecision>

/** Roles allowed to run each board-scoped action. Viewers may export what they can see. */
const ALLOWED_ROLES: Readonly<Record<ApiAction, readonly BoardRole[]>> = {
	'board:create': ['facilitator', 'participant', 'viewer'],
	'board:import': ['facilitator', 'participant', 'viewer'],
	'board:export': ['facilitator', 'participant', 'viewer'],
	'versions:read': ['facilitator', 'participant', 'viewer'],
	'versions:write': ['facilitator'],
}

export interface BoardCreationPolicy {
	/** null: anyone may create boards; else the bearer token creating needs. */
	adminToken: string | null
}

export function createApiAuthorizer(authenticate: Authenticate, creation: BoardCreationPolicy = { adminToken: null }): Authorize {
	const adminHash = creation.adminToken === null ? null : hashToken(creation.adminToken)
	return async (request, boardId, action) => {
		// Creating a board (no board, no role yet): open, or the admin token (compared as hashes, in constant time).
		if (boardId === null) {
			if (adminHash === null) return { ok: true, role: null }
			const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]
			if (presented === undefined) return { ok: false, status: 401, error: 'creating boards needs the admin token' }
			if (!tokenHashesEqual(hashToken(presented), adminHash)) return { ok: false, status: 403, error: 'wrong admin token' }
			return { ok: true, role: null }
		}
		let result
		try {
			result = await authenticate(request, boardId)
		} catch (error) {
			// A hook may refuse with a status (e.g. 403 for a token of another board); anything else is a server error.
			const status = (error as { status?: unknown } | null)?.status
			if (status === 401 || status === 403) return { ok: false, status, error: status === 401 ? 'unauthorized' : 'forbidden' }
			throw error
		}
		if (!result) return { ok: false, status: 401, error: 'unauthorized' }
		if (!ALLOWED_ROLES[action].includes(result.role)) return { ok: false, status: 403, error: 'forbidden' }
		return { ok: true, role: result.role }
	}
}
