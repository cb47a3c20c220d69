/**
 * Roles of a board link and what each may do. The server enforces these; the
 * client only uses them to hide controls.
 */
import { z } from 'zod'

export const BOARD_ROLES = ['facilitator', 'participant', 'viewer'] as const
export const BoardRoleSchema = z.enum(BOARD_ROLES)
export type BoardRole = z.infer<typeof BoardRoleSchema>

export interface RoleCapabilities {
	/** Document updates are applied (viewers' are dropped, never stored or relayed). */
	editDocument: boolean
	/** Place and remove dots in open voting sessions. */
	vote: boolean
	/** Voting sessions, timer, agenda, summon, follow-me, lock, private mode, link rotation. */
	facilitate: boolean
	/** Publish awareness (cursor, selection). Viewers may: a cursor is how a room sees who watches. */
	publishAwareness: boolean
}

export const ROLE_CAPABILITIES: Readonly<Record<BoardRole, RoleCapabilities>> = {
	facilitator: { editDocument: true, vote: true, facilitate: true, publishAwareness: true },
	participant: { editDocument: true, vote: true, facilitate: false, publishAwareness: true },
	viewer: { editDocument: false, vote: false, facilitate: false, publishAwareness: true },
}

/** Query parameter carrying a role token on board URLs, `/sync/<id>` and the API. */
export const TOKEN_QUERY_PARAM = 'token'
