/**
 * The one place HTTP API handlers ask "may this request do that?". Today it
 * delegates to the server's Authenticate hook (the same one the sync gateway
 * uses) for board-scoped actions and lets anyone create or import boards.
 * Token auth (a later issue) changes this file only.
 */
import type { IncomingMessage } from 'node:http'
import type { BoardId } from '../../shared/boardId'
import type { Authenticate, BoardRole } from '../auth'

export type ApiAction =
	/** POST /api/boards */
	| 'board:create'
	/** POST /api/boards/import */
	| 'board:import'
	/** GET /api/boards/<id>/export.* */
	| 'board:export'

export type AuthDecision = { ok: true; role: BoardRole | null } | { ok: false; status: 401 | 403; error: string }

export type Authorize = (request: IncomingMessage, boardId: BoardId | null, action: ApiAction) => Promise<AuthDecision>

/** Roles allowed to run each board-scoped action. Viewers may export what they can see. */
const ALLOWED_ROLES: Readonly<Record<ApiAction, readonly BoardRole[]>> = {
	'board:create': ['facilitator', 'participant', 'viewer'],
	'board:import': ['facilitator', 'participant', 'viewer'],
	'board:export': ['facilitator', 'participant', 'viewer'],
}

export function createApiAuthorizer(authenticate: Authenticate): Authorize {
	return async (request, boardId, action) => {
		// Creating a board is open to anyone who can reach the server (no board, no role yet).
		if (boardId === null) return { ok: true, role: null }
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
