/**
 * Applies the facilitated session to the editor: read-only for viewers and
 * during a board lock, locked shapes protected, dots and results published
 * to the canvas, summon / focus / follow-me / reveal events acted on.
 */
import { useEffect, useRef } from 'react'
import { react, type Editor, type TLPageId, type TLShape, type TLShapeId, type TLUserId } from 'tldraw'
import { computeContainment } from '../../shared/items'
import { isNoteEligible } from '../../shared/session/eligibility'
import type { SessionEvent } from '../../shared/session/messages'
import type { SessionClient, SessionSnapshot } from './sessionClient'
import { lockedShapesSignal, openVotingSignal, roleSignal, shownResultsSignal, voteActions } from './sessionView'

export interface SessionEffectHandlers {
	setReadonly(readonly: boolean): void
	onReveal?(event: Extract<SessionEvent, { type: 'reveal' }>): void
	onPrivateMode?(on: boolean): void
	onRefused?(recordIds: string[]): void
}

function pageRecords(editor: Editor) {
	const records = new Map<string, Record<string, unknown>>()
	for (const record of editor.store.allRecords()) {
		if (record.typeName === 'shape' || record.typeName === 'page') records.set(record.id, record as unknown as Record<string, unknown>)
	}
	return records
}

function isLockedFor(editor: Editor, locked: ReadonlySet<string>, shape: TLShape): boolean {
	if (locked.has(shape.id)) return true
	return editor.getShapeAncestors(shape).some((ancestor) => locked.has(ancestor.id))
}

export function useSessionEffects(editor: Editor | null, client: SessionClient | null, snapshot: SessionSnapshot, handlers: SessionEffectHandlers) {
	const handlersRef = useRef(handlers)
	handlersRef.current = handlers
	const role = snapshot.role
	const state = snapshot.state

	// Read-only: viewers always; participants while the whole board is locked.
	useEffect(() => {
		roleSignal.set(role)
		handlersRef.current.setReadonly(role === 'viewer' || (role === 'participant' && (state?.lock.board ?? false)))
	}, [role, state?.lock.board])

	// Only once the server's state is known: before join the saved mode must stand.
	const privateOn = state ? state.privateMode.on : null
	useEffect(() => {
		if (privateOn !== null) handlersRef.current.onPrivateMode?.(privateOn)
	}, [privateOn])

	// A reveal this device missed (it was offline): publish now, unless a new private round began.
	const lastReveal = state?.privateMode.lastReveal ?? null
	const lastRevealKey = lastReveal ? `${lastReveal.revealId}:${lastReveal.anonymous ? 1 : 0}:${lastReveal.at}` : null
	useEffect(() => {
		if (!lastRevealKey || privateOn !== false) return
		const [revealId, anonymous, at] = lastRevealKey.split(':')
		handlersRef.current.onReveal?.({ type: 'reveal', serverNow: Number(at), revealId, anonymous: anonymous === '1' })
	}, [lastRevealKey, privateOn])

	// Locked shapes: the server refuses participants' updates to them, so the UI does not offer them.
	const lockedKey = state?.lock.shapeIds.join(',') ?? ''
	useEffect(() => {
		lockedShapesSignal.set(new Set(lockedKey ? lockedKey.split(',') : []))
	}, [lockedKey])
	useEffect(() => {
		if (!editor || role !== 'participant') return
		const offChange = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
			if (source !== 'user') return next
			return isLockedFor(editor, lockedShapesSignal.get(), prev) ? prev : next
		})
		const offDelete = editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) => {
			if (source !== 'user') return undefined
			return isLockedFor(editor, lockedShapesSignal.get(), shape) ? false : undefined
		})
		return () => {
			offChange()
			offDelete()
		}
	}, [editor, role])

	// Voting: the open session, my ballot, where dots may go; results to draw.
	useEffect(() => {
		const open = state?.votingSessions.find((s) => s.status === 'open') ?? null
		if (!open || !editor) {
			openVotingSignal.set(null)
		} else {
			const containment = computeContainment(pageRecords(editor))
			const eligible = new Set(containment.notes.filter((note) => isNoteEligible(open.config.eligible, containment, note)).map((note) => note.id))
			openVotingSignal.set({ session: open, ballot: snapshot.ballots[open.id] ?? null, eligible })
		}
		const closed = [...(state?.votingSessions ?? [])].filter((s) => s.status === 'closed' && s.results).sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0))[0]
		if (open?.results) shownResultsSignal.set({ title: open.title, results: open.results, closed: false })
		else if (closed?.results) shownResultsSignal.set({ title: closed.title, results: closed.results, closed: true })
		else shownResultsSignal.set(null)
	}, [editor, state?.votingSessions, snapshot.ballots])

	useEffect(() => {
		if (!client) return
		const sessionId = () => openVotingSignal.get()?.session.id
		voteActions.place = async (itemId) => {
			const id = sessionId()
			if (id) await client.request({ type: 'vote.place', sessionId: id, itemId })
		}
		voteActions.remove = async (itemId) => {
			const id = sessionId()
			if (id) await client.request({ type: 'vote.remove', sessionId: id, itemId })
		}
		return () => {
			voteActions.place = async () => {}
			voteActions.remove = async () => {}
		}
	}, [client])

	// Events: bring everyone here, focus a phase's frame, reveal private notes, refusals.
	useEffect(() => {
		if (!client || !editor) return
		return client.onEvent((event) => {
			switch (event.type) {
				case 'summon':
					editor.stopFollowingUser()
					if (editor.getPage(event.pageId as TLPageId)) editor.setCurrentPage(event.pageId as TLPageId)
					editor.zoomToBounds(event.bounds, { animation: { duration: 400 } })
					return
				case 'focus': {
					const bounds = editor.getShapePageBounds(event.frameId as TLShapeId)
					if (bounds) editor.zoomToBounds(bounds, { inset: 64, animation: { duration: 400 } })
					return
				}
				case 'reveal':
					handlersRef.current.onReveal?.(event)
					return
				case 'refused':
					handlersRef.current.onRefused?.(event.recordIds)
					return
			}
		})
	}, [client, editor])

	// Follow me: participants follow the presenter until they break away (pan/zoom).
	const presenter = state?.followMe?.participantId ?? null
	useEffect(() => {
		if (!editor || !presenter || role === 'facilitator') return
		const presenterUser = `user:${presenter}` as TLUserId
		editor.startFollowingUser(presenterUser)
		// Viewers always follow (presentation mode, #14 item 3): a pan or zoom that broke away is undone at once.
		const stopRefollow =
			role === 'viewer'
				? react('viewers keep following', () => {
						if (editor.getInstanceState().followingUserId !== presenterUser) queueMicrotask(() => editor.startFollowingUser(presenterUser))
					})
				: () => {}
		return () => {
			stopRefollow()
			if (editor.getInstanceState().followingUserId === presenterUser) editor.stopFollowingUser()
		}
	}, [editor, presenter, role])
}
