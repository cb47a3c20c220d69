/**
 * What a sticky shows of its conversation: a badge with its open-thread count
 * (opens the Comments panel on it) and its reactions — counts per emoji, who
 * reacted on hover, a toggle of one's own. Drawn outside the sticky's text: the
 * badge ends the badge row at the top, the reactions hang under the sticky.
 */
import { useEditor, useValue, type TLNoteShape } from 'tldraw'
import { STICKY_REACTIONS, type ReactionSummary, type StickyReaction } from '../../shared/comments'
import { openPanel } from '../items/boardUi'
import { conversationActions, conversationSignal, currentPersonSignal, openThreadCountsSignal } from './conversationStore'
import { useCommentBlockedReason } from './useCommentBlockedReason'

const stop = (e: { stopPropagation(): void }) => e.stopPropagation()
/** One empty list, so a sticky without reactions does not re-render on every conversation change. */
const NO_REACTIONS: readonly ReactionSummary[] = []

export function CommentBadge({ shapeId }: { shapeId: string }) {
	const editor = useEditor()
	const open = useValue('open threads', () => openThreadCountsSignal.get().get(shapeId) ?? 0, [shapeId])
	if (open === 0) return null
	return (
		<button
			type="button"
			className="wb-comment-badge"
			data-testid="comment-badge"
			title={`${open} open comment thread${open === 1 ? '' : 's'}: show`}
			aria-label={`${open} open comment threads`}
			onPointerDown={stop}
			onPointerUp={stop}
			onClick={(e) => {
				e.stopPropagation()
				editor.select(shapeId as TLNoteShape['id'])
				openPanel.set('comments')
			}}
		>
			💬 {open}
		</button>
	)
}

export function StickyReactions({ shapeId }: { shapeId: string }) {
	const editor = useEditor()
	const summaries = useValue('reactions', () => conversationSignal.get().reactions.get(shapeId) ?? NO_REACTIONS, [shapeId])
	const me = useValue(currentPersonSignal)
	const selected = useValue('only selected', () => editor.getOnlySelectedShapeId() === shapeId, [editor, shapeId])
	const blocked = useCommentBlockedReason(shapeId)
	if (summaries.length === 0 && (!selected || blocked)) return null
	const toggle = (emoji: StickyReaction) => {
		try {
			conversationActions.toggleReaction(shapeId, emoji)
		} catch (error) {
			console.warn(error)
		}
	}
	const shown = new Set(summaries.map((s) => s.emoji))
	return (
		<div className="wb-reactions" data-testid="sticky-reactions" onPointerDown={stop} onPointerUp={stop} onClick={stop}>
			{summaries.map((s) => {
				const mine = me !== null && s.people.includes(me.key)
				return (
					<button
						key={s.emoji}
						type="button"
						className={`wb-reaction${mine ? ' wb-reaction--mine' : ''}`}
						data-testid="sticky-reaction"
						data-emoji={s.emoji}
						aria-pressed={mine}
						disabled={blocked !== null}
						title={`${s.names.join(', ')}${blocked ? ` — ${blocked}` : mine ? ' — click to take yours back' : ''}`}
						onClick={() => toggle(s.emoji)}
					>
						{s.emoji} {s.count}
					</button>
				)
			})}
			{/* The other emoji are offered on the selected sticky only, so the board stays calm. */}
			{selected &&
				!blocked &&
				STICKY_REACTIONS.filter((emoji) => !shown.has(emoji)).map((emoji) => (
					<button key={emoji} type="button" className="wb-reaction wb-reaction--add" data-testid="add-reaction" data-emoji={emoji} title={`React with ${emoji}`} onClick={() => toggle(emoji)}>
						{emoji}
					</button>
				))}
		</div>
	)
}
