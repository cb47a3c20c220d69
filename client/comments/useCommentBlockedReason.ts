import { useEditor, useValue } from 'tldraw'
import { useEditBlockedReason } from '../items/editBlockedReason'
import { roleSignal } from '../session/sessionView'
import { docWritableSignal, isShapeLocked } from './conversationStore'

/**
 * Why this person cannot comment on or react to `targetId` right now (null if they can): the
 * board's role and lock rules (viewers read only, a board lock stops participants), a
 * facilitator's lock on the shape or its frame, or an app too old for the board's layout.
 */
export function useCommentBlockedReason(targetId: string | null): string | null {
	const editor = useEditor()
	const blocked = useEditBlockedReason()
	const locked = useValue('comment target locked', () => (targetId ? isShapeLocked(editor, targetId) : false), [editor, targetId])
	const writable = useValue(docWritableSignal)
	const role = useValue(roleSignal)
	if (blocked) return blocked
	// The facilitator is never held by their own locks (the server lets them through too).
	if (locked && role !== 'facilitator') return 'The facilitator has locked this'
	if (!writable) return 'This board was saved by a newer version: reload to comment'
	return null
}
