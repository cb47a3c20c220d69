/** Boards this browser opened, newest first, so the landing page can reopen them. */
export interface RecentBoard {
	id: string
	title: string
	openedAt: number
}

const STORAGE_KEY = 'workshop-board:recent-boards'
const MAX_RECENT = 20

export function listRecentBoards(): RecentBoard[] {
	try {
		const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]')
		if (!Array.isArray(parsed)) return []
		return parsed
			.filter(
				(b): b is RecentBoard =>
					typeof b === 'object' && b !== null && typeof b.id === 'string' && typeof b.openedAt === 'number',
			)
			.map((b) => ({ id: b.id, title: typeof b.title === 'string' ? b.title : '', openedAt: b.openedAt }))
	} catch {
		return []
	}
}

export function rememberBoard(id: string, title = '') {
	const others = listRecentBoards().filter((b) => b.id !== id)
	const previous = listRecentBoards().find((b) => b.id === id)
	const next = [{ id, title: title || previous?.title || '', openedAt: Date.now() }, ...others].slice(0, MAX_RECENT)
	try {
		window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next))
	} catch {
		// Storage unavailable: the list is a convenience only.
	}
}

export function forgetBoard(id: string) {
	try {
		window.localStorage.setItem(STORAGE_KEY, JSON.stringify(listRecentBoards().filter((b) => b.id !== id)))
	} catch {
		// ignore
	}
}
