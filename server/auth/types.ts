/** Types and small helpers of authentication, shared by the gateway, the API and the token hook. */
import type { IncomingMessage } from 'node:http'
import type { BoardId } from '../../shared/boardId'
import { ROLE_CAPABILITIES, type BoardRole } from '../../shared/session/roles'

export type { BoardRole } from '../../shared/session/roles'

export interface AuthResult {
	role: BoardRole
	/**
	 * What the caller authenticated with, e.g. `token:<boardId>:<role>:<hash prefix>`
	 * or `open`. Rotation closes the connections holding the rotated credential.
	 * Never the token itself.
	 */
	credentialId?: string
}

/**
 * Resolves to null to refuse with 401. Throw `AuthRefusedError` for another
 * status (403: a valid token of another board).
 */
export type Authenticate = (request: IncomingMessage, boardId: BoardId) => Promise<AuthResult | null>

/** A refusal with an HTTP status. The message is generic: it never contains the token. */
export class AuthRefusedError extends Error {
	override name = 'AuthRefusedError'
	constructor(readonly status: 401 | 403) {
		super(status === 401 ? 'unauthorized' : 'forbidden')
	}
}

/** Everyone may edit (tests and embedding without tokens). */
export const allowEveryoneAsParticipant: Authenticate = async () => ({ role: 'participant', credentialId: 'open' })

/** Viewers may watch and show presence but their document updates are never applied. */
export function canEditDocument(role: BoardRole): boolean {
	return ROLE_CAPABILITIES[role].editDocument
}
