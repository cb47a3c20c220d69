/**
 * Re-checks the credentials of open connections every few seconds and closes
 * the ones that no longer hold: a token rotated or a board claimed by another
 * process on the same database (`npm run board-admin`), or a restored backup.
 * Rotation through the API closes its holders at once; this catches the rest.
 */
import type { BoardId } from '../../shared/boardId'
import { CloseCode } from '../../shared/protocol'
import type { Logger } from '../logger'
import { OPEN_CREDENTIAL_ID, type BoardTokenStore } from './tokenStore'

export const CREDENTIAL_RECHECK_MS = 2_000

export interface CheckedConnection {
	readonly boardId: BoardId
	readonly credentialId: string | undefined
	readonly isOpen: boolean
	close(code: number, reason: string): void
}

/** One pass: closes every open connection whose credential is no longer current. Returns how many. */
export async function closeRevokedConnections(
	tokens: Pick<BoardTokenStore, 'isCredentialCurrent'>,
	connections: Iterable<CheckedConnection>,
	logger: Logger,
): Promise<number> {
	// Many connections share a credential: ask the database once per (board, credential) per pass.
	const verdicts = new Map<string, boolean>()
	let closed = 0
	// A snapshot: connections may come and go while the store answers.
	for (const conn of [...connections]) {
		if (!conn.isOpen || conn.credentialId === undefined) continue
		const key = `${conn.boardId}\n${conn.credentialId}`
		let current = verdicts.get(key)
		if (current === undefined) {
			current = await tokens.isCredentialCurrent(conn.boardId, conn.credentialId)
			verdicts.set(key, current)
		}
		if (current || !conn.isOpen) continue
		const claimed = conn.credentialId === OPEN_CREDENTIAL_ID
		conn.close(CloseCode.unauthorized, claimed ? 'board now requires a link' : 'link rotated')
		logger.info('auth.credential_revoked', { board: conn.boardId, reason: claimed ? 'claimed' : 'rotated' })
		closed++
	}
	return closed
}

/** Runs closeRevokedConnections every `intervalMs` until the returned function is called. */
export function startCredentialRecheck(
	tokens: Pick<BoardTokenStore, 'isCredentialCurrent'>,
	connections: () => Iterable<CheckedConnection>,
	logger: Logger,
	intervalMs = CREDENTIAL_RECHECK_MS,
): () => void {
	// One pass at a time: a slow store must not pile up overlapping passes.
	let running = false
	const timer = setInterval(() => {
		if (running) return
		running = true
		closeRevokedConnections(tokens, connections(), logger)
			.catch((error: unknown) => {
				// A locked or failing database must not take the server down; the next pass retries.
				logger.warn('auth.recheck_failed', { error: error instanceof Error ? error.message : String(error) })
			})
			.finally(() => {
				running = false
			})
	}, intervalMs)
	timer.unref()
	return () => clearInterval(timer)
}
