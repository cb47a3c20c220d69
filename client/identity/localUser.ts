/**
 * The participant's identity on this browser: a stable id, a display name
 * (asked once, remembered) and a cursor colour. Kept in localStorage so it
 * survives reloads and is shared by every board.
 */
import { randomBase64Url } from '../../shared/boardIdFormat'

export interface LocalUser {
	id: string
	name: string
	color: string
}

const STORAGE_KEY = 'workshop-board:user'

/** Distinct, readable cursor colours (tldraw's collaborator palette style). */
export const USER_COLORS = [
	'#e03131', '#c2255c', '#9c36b5', '#6741d9', '#3b5bdb', '#1971c2',
	'#0c8599', '#099268', '#2f9e44', '#e8590c', '#f08c00', '#5c940d',
]

function readStored(): Partial<LocalUser> {
	try {
		const raw = window.localStorage.getItem(STORAGE_KEY)
		return raw ? (JSON.parse(raw) as Partial<LocalUser>) : {}
	} catch {
		return {}
	}
}

export function loadLocalUser(): LocalUser {
	const stored = readStored()
	const user: LocalUser = {
		id: typeof stored.id === 'string' && stored.id ? stored.id : randomBase64Url(12),
		name: typeof stored.name === 'string' ? stored.name : '',
		color:
			typeof stored.color === 'string' && /^#[0-9a-f]{6}$/i.test(stored.color)
				? stored.color
				: USER_COLORS[Math.floor(Math.random() * USER_COLORS.length)],
	}
	saveLocalUser(user)
	return user
}

export function saveLocalUser(user: LocalUser) {
	try {
		window.localStorage.setItem(STORAGE_KEY, JSON.stringify(user))
	} catch {
		// Private mode or full storage: identity lasts for this page only.
	}
}

export const MAX_NAME_LENGTH = 40

export function normalizeName(raw: string): string {
	return raw.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH)
}
