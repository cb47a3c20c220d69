/**
 * Board-scoped HTTP API authorization over the same Authenticate hook as the
 * WebSocket: `Authorization: Bearer <token>` or `?token=`.
 */
import type { IncomingMessage } from 'node:http'
import type { BoardId } from '../../shared/boardId'
import type { BoardRole } from '../../shared/session/roles'
import { AuthRefusedError, type Authenticate, type AuthResult } from './types'

export type RequestAuthDecision = { ok: true; auth: AuthResult } | { ok: false; status: 401 | 403; error: 'unauthorized' | 'forbidden' }

export async function authorizeBoardRequest(
	authenticate: Authenticate,
	request: IncomingMessage,
	boardId: BoardId,
	allowedRoles: readonly BoardRole[],
): Promise<RequestAuthDecision> {
	let auth: AuthResult | null
	try {
		auth = await authenticate(request, boardId)
	} catch (error) {
		if (error instanceof AuthRefusedError) {
			return error.status === 403 ? { ok: false, status: 403, error: 'forbidden' } : { ok: false, status: 401, error: 'unauthorized' }
		}
		throw error
	}
	if (auth === null) return { ok: false, status: 401, error: 'unauthorized' }
	if (!allowedRoles.includes(auth.role)) return { ok: false, status: 403, error: 'forbidden' }
	return { ok: true, auth }
}
