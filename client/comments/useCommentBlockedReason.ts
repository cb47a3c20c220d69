import { useEditor, useValue } from 'tldraw'
import { editBlockedReasonFor } from '../items/editBlockedReason'
import { roleSignal } from '../session/sessionView'
import { boardLockedSignal, docWritableSignal, isShapeLocked } from './conversationStore'

/**
 * Why this person cannot comment on or react to `targetId` right now (null if they can): the
 * board's role and lock rules (viewers read only, a board lock stops participants), a
 * facilitator's lock on the shape or its frame, or an app too old for the board's layout.
 * Signals only (no session context), so the reactions of thousands of stickies do not
 * re-render on every session message.
 */
export function useCommentBlockedReason(targetId: string | null): string | null {
	const editor = useEditor()
	const role = useValue(roleSignal)
	const boardLocked = useValue(boardLockedSignal)
	const locked = useValue('comment target locked', () => (targetId ? isShapeLocked(editor, targetId) : false), [editor, targetId])
	const writable = useValue(docWritableSignal)
	const blocked = editBlockedReasonFor(role, boardLocked)
	if (blocked) return blocked
	// The facilitator is never held by their own locks (the server lets them through too).
	if (locked && role !== 'facilitator') return 'The facilitator has locked this'
	if (!writable) return 'This board was saved by a newer version: reload to comment'
	return null
}
