import { useValue } from 'tldraw'
import type { BoardRole } from '../../shared/session/roles'
import { useSessionContext } from '../session/SessionContext'
import { roleSignal } from '../session/sessionView'

/** The reason for a role and board lock (null if this person can change the board). */
export function editBlockedReasonFor(role: BoardRole | null, boardLocked: boolean): string | null {
	if (role === 'viewer') return 'Viewers can look but not change the board'
	if (role === 'participant' && boardLocked) return 'The facilitator has locked the board'
	return null
}

/**
 * Why this person cannot change the board right now (null if they can). The store is read-only
 * for viewers and, for participants, during a board lock; controls show this reason disabled
 * instead of looking live and silently doing nothing.
 */
export function useEditBlockedReason(): string | null {
	const role = useValue(roleSignal)
	const boardLocked = useSessionContext()?.snapshot.state?.lock.board ?? false
	return editBlockedReasonFor(role, boardLocked)
}
