/** Wires the board page to the comment layer: the doc, who this is, who is connected, what they read. */
import { useEffect } from 'react'
import type * as Y from 'yjs'
import type { Person } from '../../shared/session/messages'
import { personKey } from '../../shared/session/personKey'
import { bindConversation, boardLockedSignal, connectedPeopleSignal, currentPersonSignal, docWritableSignal } from './conversationStore'
import { loadMentionsSeen } from './mentionsSeen'

export function useConversation(options: {
	doc: Y.Doc | null
	boardId: string
	user: { id: string; name: string }
	people: readonly Person[] | undefined
	boardLocked: boolean
	clientTooOld: boolean
}): void {
	const { doc, boardId, user, people, boardLocked, clientTooOld } = options
	useEffect(() => (doc ? bindConversation(doc) : undefined), [doc])
	const key = personKey(user.id)
	useEffect(() => {
		currentPersonSignal.set({ key, name: user.name })
	}, [key, user.name])
	useEffect(() => loadMentionsSeen(boardId, key), [boardId, key])
	useEffect(() => {
		connectedPeopleSignal.set((people ?? []).map((p) => ({ key: p.key, name: p.name })))
	}, [people])
	useEffect(() => {
		docWritableSignal.set(!clientTooOld)
	}, [clientTooOld])
	useEffect(() => {
		boardLockedSignal.set(boardLocked)
	}, [boardLocked])
}
