/**
 * The authentication hook. The sync gateway asks it once per WebSocket
 * upgrade; token auth plugs in here later without touching the room code.
 */
import type { IncomingMessage } from 'node:http'
import type { BoardId } from '../shared/boardId'

export type BoardRole = 'facilitator' | 'participant' | 'viewer'

export interface AuthResult {
	role: BoardRole
}

/** Resolves to null to refuse the connection (HTTP 401 on upgrade). */
export type Authenticate = (request: IncomingMessage, boardId: BoardId) => Promise<AuthResult | null>

/** Default until token auth lands: everyone may edit. */
export const allowEveryoneAsParticipant: Authenticate = async () => ({ role: 'participant' })

/** Viewers may watch and show presence but their document updates are never applied. */
export function canEditDocument(role: BoardRole): boolean {
	return role !== 'viewer'
}
