/**
 * The default Authenticate hook: role tokens.
 *
 * - The token comes from `?token=` (WebSocket upgrade, links) or
 *   `Authorization: Bearer <token>` (API).
 * - Claimed board (has tokens): no token or an unknown one → 401; a valid
 *   token of another board → 403; else its role.
 * - Open board (created before role links, never claimed): everyone is a
 *   participant and nobody a facilitator until `board-admin claim`.
 */
import type { IncomingMessage } from 'node:http'
import { TOKEN_QUERY_PARAM } from '../../shared/session/roles'
import { AuthRefusedError, type Authenticate } from './types'
import { OPEN_CREDENTIAL_ID, type BoardTokenStore } from './tokenStore'
import { TokenPattern } from './tokens'

/** The presented token, or null. Malformed values count as absent-but-present (''), i.e. unknown. */
export function tokenFromRequest(request: IncomingMessage): string | null {
	const header = request.headers.authorization
	if (typeof header === 'string') {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
		if (match) return match[1]
	}
	let url: URL
	try {
		url = new URL(request.url ?? '/', 'http://localhost')
	} catch {
		return null
	}
	return url.searchParams.get(TOKEN_QUERY_PARAM)
}

export function createTokenAuthenticator(store: BoardTokenStore): Authenticate {
	return async (request, boardId) => {
		const token = tokenFromRequest(request)
		if (!(await store.isClaimed(boardId))) return { role: 'participant', credentialId: OPEN_CREDENTIAL_ID }
		if (token === null || !TokenPattern.test(token)) return null
		const found = await store.lookup(token)
		if (found === null) return null
		if (found.boardId !== boardId) throw new AuthRefusedError(403)
		return { role: found.role, credentialId: found.credentialId }
	}
}
