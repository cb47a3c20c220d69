/**
 * The Comments panel: the threads of the selected sticky or frame (add, reply,
 * edit one's own, resolve/reopen), new mentions of this person, and every open
 * thread on the board grouped by the frame it is in.
 */
import { useEffect, useState } from 'react'
import { useEditor, useValue, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import { segmentMentions, unseenMentions, type CommentMessage, type CommentThread } from '../../shared/comments'
import { richTextToPlainText } from '../../shared/text/richText'
import { CommentComposer } from './CommentComposer'
import { conversationActions, conversationSignal, currentPersonSignal, setMentionEditor } from './conversationStore'
import { markMentionsSeen, mentionsSeenAtSignal } from './mentionsSeen'
import { useCommentBlockedReason } from './useCommentBlockedReason'
import './comments.css'

function shapeLabel(shape: TLShape | undefined): string {
	if (!shape) return 'A deleted item'
	if (shape.type === 'frame') return `Frame “${(shape.props as { name?: string }).name || 'Frame'}”`
	const text = richTextToPlainText((shape.props as { richText?: unknown }).richText).replace(/\s+/g, ' ').trim()
	return text ? (text.length > 60 ? `${text.slice(0, 59)}…` : text) : '(empty sticky)'
}

function focus(editor: Editor, id: string) {
	if (!editor.getShape(id as TLShapeId)) return
	editor.select(id as TLShapeId)
	editor.zoomToSelection({ animation: { duration: 300 } })
}

const timeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })

function MessageText({ message, myKey }: { message: CommentMessage; myKey: string | null }) {
	return (
		<p className="wb-message__text">
			{segmentMentions(message.text, message.mentions).map((segment, i) =>
				segment.mention ? (
					<mark key={i} className={`wb-mention${segment.mention.key === myKey ? ' wb-mention--me' : ''}`} data-testid="mention" title={segment.mention.key === myKey ? 'You are mentioned' : undefined}>
						{segment.text}
					</mark>
				) : (
					<span key={i}>{segment.text}</span>
				),
			)}
		</p>
	)
}

function Message({ thread, message, blocked }: { thread: CommentThread; message: CommentMessage; blocked: string | null }) {
	const me = useValue(currentPersonSignal)
	const [editing, setEditing] = useState(false)
	const mine = me !== null && message.authorKey === me.key
	return (
		<li className="wb-message" data-testid="thread-message">
			<div className="wb-message__meta">
				<strong>{message.authorName || 'Anonymous'}</strong>
				<time dateTime={new Date(message.createdAt).toISOString()}>{timeFormat.format(message.createdAt)}</time>
				{message.editedAt !== null && <span className="muted">(edited)</span>}
				{mine && !editing && (
					<button type="button" className="button button--link wb-message__edit" data-testid="edit-message" disabled={blocked !== null} title={blocked ?? 'Edit your comment'} onClick={() => setEditing(true)}>
						Edit
					</button>
				)}
			</div>
			{editing ? (
				<CommentComposer
					testId="edit-input"
					placeholder="Edit your comment"
					submitLabel="Save"
					initial={message.text}
					blockedReason={blocked}
					onSubmit={(text) => {
						conversationActions.edit(thread.id, message.id, text)
						setEditing(false)
					}}
					onCancel={() => setEditing(false)}
				/>
			) : (
				<MessageText message={message} myKey={me?.key ?? null} />
			)}
		</li>
	)
}

function ThreadView({ thread, blocked }: { thread: CommentThread; blocked: string | null }) {
	return (
		<article className={`wb-thread${thread.resolved ? ' wb-thread--resolved' : ''}`} data-testid="thread" data-thread-id={thread.id} data-resolved={thread.resolved}>
			<ol className="wb-thread__messages">
				{thread.messages.map((message) => (
					<Message key={message.id} thread={thread} message={message} blocked={blocked} />
				))}
			</ol>
			{thread.resolved ? (
				<div className="wb-thread__footer">
					<span className="muted">Resolved{thread.resolvedBy ? ` by ${thread.resolvedBy}` : ''}</span>
					<button type="button" className="button" data-testid="reopen-thread" disabled={blocked !== null} title={blocked ?? 'Reopen the thread'} onClick={() => conversationActions.setResolved(thread.id, false)}>
						Reopen
					</button>
				</div>
			) : (
				<>
					<CommentComposer testId="reply-input" placeholder="Reply… (@ to mention)" submitLabel="Reply" blockedReason={blocked} onSubmit={(text) => conversationActions.reply(thread.id, text)} />
					<div className="wb-thread__footer">
						<button type="button" className="button" data-testid="resolve-thread" disabled={blocked !== null} title={blocked ?? 'Mark the thread as answered'} onClick={() => conversationActions.setResolved(thread.id, true)}>
							Resolve
						</button>
					</div>
				</>
			)}
		</article>
	)
}

function TargetThreads({ target }: { target: TLShape }) {
	const threads = useValue('target threads', () => conversationSignal.get().threads.filter((t) => t.targetId === target.id), [target.id])
	const blocked = useCommentBlockedReason(target.id)
	const [showResolved, setShowResolved] = useState(false)
	const open = threads.filter((t) => !t.resolved)
	const resolved = threads.filter((t) => t.resolved)
	return (
		<section className="wb-comments__target" data-testid="target-threads">
			<h3>{shapeLabel(target)}</h3>
			{open.map((thread) => (
				<ThreadView key={thread.id} thread={thread} blocked={blocked} />
			))}
			<CommentComposer
				testId="new-comment"
				placeholder={open.length ? 'Start another thread… (@ to mention)' : 'Add a comment… (@ to mention)'}
				submitLabel="Comment"
				blockedReason={blocked}
				onSubmit={(text) => conversationActions.addThread(target.id, text)}
			/>
			{resolved.length > 0 && (
				<button type="button" className="button button--link" data-testid="toggle-resolved" onClick={() => setShowResolved(!showResolved)}>
					{showResolved ? 'Hide' : 'Show'} {resolved.length} resolved
				</button>
			)}
			{showResolved && resolved.map((thread) => <ThreadView key={thread.id} thread={thread} blocked={blocked} />)}
		</section>
	)
}

function MentionsNotice() {
	const editor = useEditor()
	const me = useValue(currentPersonSignal)
	const seenAt = useValue(mentionsSeenAtSignal)
	const mentions = useValue('unseen mentions', () => (me ? unseenMentions(conversationSignal.get().threads, me.key, seenAt) : []), [me, seenAt])
	if (mentions.length === 0) return null
	return (
		<section className="wb-comments__mentions" data-testid="mentions-notice">
			<div className="wb-comments__mentions-head">
				<strong>
					{mentions.length} new mention{mentions.length === 1 ? '' : 's'} of you
				</strong>
				<button type="button" className="button button--link" data-testid="mentions-seen" onClick={() => markMentionsSeen()}>
					Mark as read
				</button>
			</div>
			<ul>
				{mentions.slice(0, 10).map((m) => (
					<li key={m.messageId}>
						<button type="button" className="wb-linkish" data-testid="mention-item" onClick={() => focus(editor, m.targetId)}>
							<strong>{m.authorName || 'Anonymous'}:</strong> {m.text.length > 80 ? `${m.text.slice(0, 79)}…` : m.text}
						</button>
					</li>
				))}
			</ul>
		</section>
	)
}

/** Innermost frame a shape sits in (by parent), or the shape itself when it is a frame. */
function frameOf(editor: Editor, shape: TLShape | undefined): TLShape | null {
	if (!shape) return null
	if (shape.type === 'frame') return shape
	let parentId: string = shape.parentId
	for (let depth = 0; depth < 64 && parentId.startsWith('shape:'); depth++) {
		const parent = editor.getShape(parentId as TLShapeId)
		if (!parent) return null
		if (parent.type === 'frame') return parent
		parentId = parent.parentId
	}
	return null
}

function OpenThreadsByFrame() {
	const editor = useEditor()
	const groups = useValue(
		'open threads by frame',
		() => {
			const byFrame = new Map<string, { title: string; entries: { thread: CommentThread; label: string; exists: boolean }[] }>()
			for (const thread of conversationSignal.get().threads) {
				if (thread.resolved) continue
				const shape = editor.getShape(thread.targetId as TLShapeId)
				const frame = frameOf(editor, shape)
				const key = frame?.id ?? (shape ? '' : 'deleted')
				const title = frame ? shapeLabel(frame).replace(/^Frame /, '') : shape ? 'Not in a frame' : 'Deleted items'
				let group = byFrame.get(key)
				if (!group) byFrame.set(key, (group = { title, entries: [] }))
				group.entries.push({ thread, label: shape?.type === 'frame' ? 'The frame itself' : shapeLabel(shape), exists: shape !== undefined })
			}
			return [...byFrame.values()]
		},
		[editor],
	)
	if (groups.length === 0) return <p className="muted">No open threads. Select a sticky or frame to comment on it.</p>
	return (
		<section data-testid="open-threads">
			<h3>Open threads</h3>
			{groups.map((group) => (
				<div key={group.title} className="wb-comments__group" data-testid="open-thread-group">
					<h4>{group.title}</h4>
					<ul>
						{group.entries.map(({ thread, label, exists }) => (
							<li key={thread.id}>
								<button type="button" className="wb-linkish" data-testid="open-thread-item" disabled={!exists} onClick={() => focus(editor, thread.targetId)}>
									<span className="wb-comments__item">{label}</span>
									<span className="muted">
										{thread.messages[0]!.authorName || 'Anonymous'}: {thread.messages[0]!.text.slice(0, 80)}
										{thread.messages.length > 1 ? ` · ${thread.messages.length - 1} repl${thread.messages.length === 2 ? 'y' : 'ies'}` : ''}
									</span>
								</button>
							</li>
						))}
					</ul>
				</div>
			))}
		</section>
	)
}

export function CommentsPanel() {
	const editor = useEditor()
	useEffect(() => {
		setMentionEditor(editor)
		return () => setMentionEditor(null)
	}, [editor])
	const target = useValue(
		'comment target',
		() => {
			const shape = editor.getOnlySelectedShape()
			return shape && (shape.type === 'note' || shape.type === 'frame') ? shape : null
		},
		[editor],
	)
	return (
		<div className="wb-comments" data-testid="comments-panel">
			<MentionsNotice />
			{target ? <TargetThreads key={target.id} target={target} /> : <p className="muted">Select a sticky or frame to read or add its comments.</p>}
			<OpenThreadsByFrame />
		</div>
	)
}

/** The count on the Comments tab: new mentions of this person (highlighted), else open threads. */
export function CommentsTabCount() {
	const me = useValue(currentPersonSignal)
	const seenAt = useValue(mentionsSeenAtSignal)
	const mentions = useValue('unseen mention count', () => (me ? unseenMentions(conversationSignal.get().threads, me.key, seenAt).length : 0), [me, seenAt])
	const open = useValue('open thread count', () => conversationSignal.get().threads.filter((t) => !t.resolved).length, [])
	if (mentions > 0) {
		return (
			<span className="wb-tab-count wb-tab-count--mention" data-testid="mention-count" title={`${mentions} new mention${mentions === 1 ? '' : 's'} of you`}>
				@{mentions}
			</span>
		)
	}
	return open > 0 ? (
		<span className="wb-tab-count" data-testid="open-thread-count" title={`${open} open thread${open === 1 ? '' : 's'}`}>
			{open}
		</span>
	) : null
}
