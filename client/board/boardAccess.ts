/**
 * The role token a board was opened with. It arrives once in the link
 * (`/b/<id>?token=…`), is kept per board on this device so the board can be
 * reopened from "Recent boards", and is removed from the address bar so it is
 * not shown on a projected screen or copied by accident.
 */
import { TOKEN_QUERY_PARAM } from '../../shared/session/roles'

const storageKey = (boardId: string) => `workshop-board:token:${boardId}`

export function takeTokenFromLocation(boardId: string): string | null {
	const url = new URL(window.location.href)
	const fromLink = url.searchParams.get(TOKEN_QUERY_PARAM)
	if (fromLink) {
		try {
			window.localStorage.setItem(storageKey(boardId), fromLink)
		} catch {
			// Storage unavailable: the token lives for this page only.
		}
		url.searchParams.delete(TOKEN_QUERY_PARAM)
		window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`)
		return fromLink
	}
	try {
		return window.localStorage.getItem(storageKey(boardId))
	} catch {
		return null
	}
}

export function storeToken(boardId: string, token: string) {
	try {
		window.localStorage.setItem(storageKey(boardId), token)
	} catch {
		// Storage unavailable: the token lives for this page only.
	}
}

export function forgetToken(boardId: string) {
	try {
		window.localStorage.removeItem(storageKey(boardId))
	} catch {
		// ignore
	}
}

/** Query string for API calls about this board. */
export function tokenQuery(token: string | null): string {
	return token ? `?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}` : ''
}
