/**
 * The facilitator sees a contributor's note arrive (#13 item 6): the server
 * sends facilitators a `contribution` event when it adds one to the Inbox
 * frame; this shows a notice for a few seconds with *Show*, which selects the
 * new sticky and brings it into view.
 */
import { useEffect, useState } from 'react'
import { useEditor, type TLShapeId } from 'tldraw'
import type { SessionClient } from '../session/sessionClient'

interface Arrival {
	noteId: string
	kind: 'insight' | 'idea'
	name: string
	at: number
}

const SHOW_MS = 10_000

export function ContributionNotice({ client }: { client: SessionClient }) {
	const editor = useEditor()
	const [arrivals, setArrivals] = useState<Arrival[]>([])
	useEffect(
		() =>
			client.onEvent((event) => {
				if (event.type !== 'contribution') return
				setArrivals((list) => [...list, { noteId: event.noteId, kind: event.kind, name: event.name, at: Date.now() }].slice(-3))
			}),
		[client],
	)
	useEffect(() => {
		if (arrivals.length === 0) return
		const timer = setTimeout(() => setArrivals((list) => list.filter((a) => Date.now() - a.at < SHOW_MS)), SHOW_MS)
		return () => clearTimeout(timer)
	}, [arrivals])
	if (arrivals.length === 0) return null
	const latest = arrivals[arrivals.length - 1]
	const show = () => {
		const id = latest.noteId as TLShapeId
		if (!editor.getShape(id)) return
		editor.select(id)
		editor.zoomToSelection({ animation: { duration: 300 } })
		setArrivals([])
	}
	return (
		<div className="wb-contribution-notice" role="status" data-testid="contribution-notice">
			<span>
				New {latest.kind} from {latest.name || 'a contributor'} in the Inbox{arrivals.length > 1 ? ` (+${arrivals.length - 1})` : ''}
			</span>
			<button type="button" className="button" data-testid="contribution-show" onClick={show}>
				Show
			</button>
		</div>
	)
}
