/**
 * The role links this browser created or rotated, kept in localStorage per
 * board so the facilitator can show them again (Share) without rotating.
 *
 * Why here and not on the server: the server stores only SHA-256 hashes of the
 * tokens (server/auth), so a leaked database or backup grants no access and a
 * token cannot be read back by anyone, the operator included. Re-showing a link
 * therefore needs a copy held by whoever received it at creation or rotation:
 * the facilitator's own browser. Another browser (or after clearing storage)
 * has no copy; rotating issues new links there, which disconnects the old ones.
 */
import type { BoardRole } from '../../shared/session/roles'

const KEY_PREFIX = 'workshop-board:links:'

export type RoleLinks = Partial<Record<BoardRole, string>>

export function loadRoleLinks(boardId: string): RoleLinks {
	try {
		const parsed: unknown = JSON.parse(window.localStorage.getItem(KEY_PREFIX + boardId) ?? '{}')
		if (typeof parsed !== 'object' || parsed === null) return {}
		const links: RoleLinks = {}
		for (const role of ['facilitator', 'participant', 'viewer'] as const) {
			const value = (parsed as Record<string, unknown>)[role]
			if (typeof value === 'string' && value.startsWith('http')) links[role] = value
		}
		return links
	} catch {
		return {}
	}
}

export function saveRoleLinks(boardId: string, links: RoleLinks) {
	try {
		window.localStorage.setItem(KEY_PREFIX + boardId, JSON.stringify({ ...loadRoleLinks(boardId), ...links }))
	} catch {
		// Storage unavailable: the links can still be rotated.
	}
}
