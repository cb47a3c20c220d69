/**
 * The admin token a server with BOARD_CREATION=admin wants for creating and
 * importing boards (docs/deployment.md). Asked for once, then kept in this
 * tab's sessionStorage — not localStorage: it is an administrator's secret,
 * so it goes when the tab closes and is never written to disk for good.
 */
const KEY = 'workshop-board:admin-token'

export function loadAdminToken(): string | null {
	try {
		return sessionStorage.getItem(KEY)
	} catch {
		return null // storage disabled: the prompt simply asks again
	}
}

export function saveAdminToken(token: string): void {
	try {
		sessionStorage.setItem(KEY, token)
	} catch {
		// storage disabled: works for this action, asked again next time
	}
}

export function forgetAdminToken(): void {
	try {
		sessionStorage.removeItem(KEY)
	} catch {
		// nothing stored
	}
}
