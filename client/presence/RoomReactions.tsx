/**
 * Room-wide reactions: a small bar to send one (bottom right) and the layer
 * where everyone's float up over the canvas for a moment, with the sender's
 * name. Nothing is stored (roomReactions.ts).
 */
import { react } from '@tldraw/state'
import { useEffect, useRef, useState } from 'react'
import { useEditor } from 'tldraw'
import { localReaction, ROOM_REACTIONS, sendRoomReaction, watchRoomReactions, type ReceivedReaction } from './roomReactions'
import { storeAwareness } from './storeAwareness'
import './roomReactions.css'

interface FloatingReaction {
	key: number
	emoji: string
	name: string
	color: string
	/** Horizontal start, % of the layer's width. */
	left: number
}

/** How long a reaction floats; also how long it stays in the DOM. */
const FLOAT_MS = 2600
/** At most this many float at once (a room of 200 clapping must not bury the board). */
const MAX_FLOATING = 40
/** Per sender, at most this many at once. */
const MAX_PER_SENDER = 3

let nextKey = 1

export function RoomReactionsLayer() {
	const editor = useEditor()
	const [floating, setFloating] = useState<FloatingReaction[]>([])
	const senders = useRef(new Map<number, number>())
	useEffect(() => {
		const awareness = storeAwareness(editor.store)
		if (!awareness) return
		const show = (reaction: Omit<ReceivedReaction, 'clientId'>, sender: number) => {
			const active = senders.current.get(sender) ?? 0
			if (active >= MAX_PER_SENDER) return
			senders.current.set(sender, active + 1)
			const item: FloatingReaction = { key: nextKey++, emoji: reaction.emoji, name: reaction.name, color: reaction.color, left: 55 + Math.random() * 35 }
			setFloating((current) => [...current.slice(-(MAX_FLOATING - 1)), item])
			setTimeout(() => {
				senders.current.set(sender, Math.max(0, (senders.current.get(sender) ?? 1) - 1))
				setFloating((current) => current.filter((f) => f.key !== item.key))
			}, FLOAT_MS)
		}
		const stopWatching = watchRoomReactions(awareness, (reaction) => show(reaction, reaction.clientId))
		// Your own reaction floats for you too (at once, not after a round trip).
		let lastOwn = localReaction.get()?.n ?? 0
		const stopOwn = react('own room reaction', () => {
			const own = localReaction.get()
			if (own && own.n > lastOwn) {
				lastOwn = own.n
				show({ emoji: own.emoji, name: 'You', color: editor.user.getColor() }, awareness.clientID)
			}
		})
		return () => {
			stopWatching()
			stopOwn()
		}
	}, [editor])
	return (
		<div className="room-reactions" data-testid="room-reactions" aria-live="polite">
			{floating.map((item) => (
				<div key={item.key} className="room-reaction" style={{ left: `${item.left}%` }} data-testid="room-reaction">
					<span className="room-reaction__emoji" aria-hidden="true">
						{item.emoji}
					</span>
					{item.name && (
						<span className="room-reaction__name" style={{ background: item.color }}>
							{item.name}
						</span>
					)}
					<span className="visually-hidden">{`${item.name || 'Someone'} reacted ${ROOM_REACTIONS.find((r) => r.emoji === item.emoji)?.label ?? item.emoji}`}</span>
				</div>
			))}
		</div>
	)
}

/** Everyone may react, viewers included: it is how an audience answers without editing the board. */
export function RoomReactionsBar() {
	const [open, setOpen] = useState(false)
	return (
		<div className={`room-reactions-bar${open ? ' room-reactions-bar--open' : ''}`} role="toolbar" aria-label="React to the room" onPointerDown={(event) => event.stopPropagation()}>
			<button type="button" className="room-reactions-bar__toggle" aria-expanded={open} aria-label={open ? 'Hide reactions' : 'React to the room'} title="React to the room" onClick={() => setOpen(!open)} data-testid="reactions-toggle">
				{open ? '×' : '👏'}
			</button>
			{open &&
				ROOM_REACTIONS.map((reaction) => (
					<button
						key={reaction.emoji}
						type="button"
						className="room-reactions-bar__button"
						aria-label={`React: ${reaction.label}`}
						title={reaction.label}
						onClick={() => sendRoomReaction(reaction.emoji)}
						data-testid={`react-${reaction.label}`}
					>
						{reaction.emoji}
					</button>
				))}
		</div>
	)
}
