/**
 * The board's comment threads and sticky reactions on the client: read from
 * the Y.Doc's `comments` and `reactions` maps (shared/comments) into a tldraw
 * signal, so stickies, the panel and the toolbar re-render when they change,
 * and written straight to the doc (they are not tldraw records, so they do
 * not go through the store binding).
 */
import { atom, computed, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import type * as Y from 'yjs'
import {
	addReply,
	addThread,
	commentAuthors,
	editMessage,
	findMentions,
	openThreadCounts,
	readConversation,
	setThreadResolved,
	toggleReaction,
	type BoardConversation,
	type CommentAuthor,
	type Mention,
	type StickyReaction,
} from '../../shared/comments'
import { COMMENTS_MAP, REACTIONS_MAP } from '../../shared/docLayout'
import { parseItemMeta } from '../../shared/items/itemMeta'
import { personKey } from '../../shared/session/personKey'
import { lockedShapesSignal } from '../session/sessionView'

const EMPTY: BoardConversation = { threads: [], reactions: new Map(), issues: [] }

export const conversationSignal = atom<BoardConversation>('board conversation', EMPTY)

/** Open threads per shape id, computed once per change (every sticky's badge reads it). */
export const openThreadCountsSignal = computed('open thread counts', () => openThreadCounts(conversationSignal.get().threads))

/** Who this browser is (person key of its participant id, display name); null before the board opens. */
export const currentPersonSignal = atom<CommentAuthor | null>('current person', null)

/** People connected right now (the session's people list), as mention candidates. */
export const connectedPeopleSignal = atom<readonly Mention[]>('connected people', [])

/** The facilitator's board lock (the session state's `lock.board`), as a signal for the stickies. */
export const boardLockedSignal = atom<boolean>('board locked', false)

/** False while this client must not write the doc (it is older than the board's layout). */
export const docWritableSignal = atom<boolean>('doc writable', true)

let boundDoc: Y.Doc | null = null
const origin = { comments: true }

/**
 * Follows the doc's comment and reaction maps. Malformed entries are logged
 * once per distinct reason and skipped. Returns the cleanup.
 */
export function bindConversation(doc: Y.Doc, log: (line: string) => void = (line) => console.warn(line)): () => void {
	boundDoc = doc
	const comments = doc.getMap(COMMENTS_MAP)
	const reactions = doc.getMap(REACTIONS_MAP)
	const reported = new Set<string>()
	let queued = false
	const refresh = () => {
		queued = false
		if (boundDoc !== doc) return
		const next = readConversation(doc)
		for (const issue of next.issues) {
			if (reported.has(issue) || reported.size > 200) continue
			reported.add(issue)
			log(`[comments] skipped malformed entry ${issue}`)
		}
		conversationSignal.set(next)
	}
	// One re-read per frame however many entries a remote transaction touched.
	const schedule = () => {
		if (queued) return
		queued = true
		requestAnimationFrame(refresh)
	}
	comments.observeDeep(schedule)
	reactions.observeDeep(schedule)
	refresh()
	return () => {
		comments.unobserveDeep(schedule)
		reactions.unobserveDeep(schedule)
		if (boundDoc === doc) boundDoc = null
		conversationSignal.set(EMPTY)
	}
}

/** Whether the shape, or a frame it sits in, is locked by the facilitator. */
export function isShapeLocked(editor: Editor, shapeId: string): boolean {
	const locked = lockedShapesSignal.get()
	if (locked.size === 0) return false
	let id: string | null = shapeId
	for (let depth = 0; id && depth < 64; depth++) {
		if (locked.has(id)) return true
		const shape: TLShape | undefined = editor.getShape(id as TLShapeId)
		id = shape && typeof shape.parentId === 'string' && shape.parentId.startsWith('shape:') ? shape.parentId : null
	}
	return false
}

let mentionEditor: Editor | null = null
/** personKey is a SHA-256: computed once per author id, not per sticky per keystroke. */
const authorKeys = new Map<string, string>()
const authorKey = (id: string): string => {
	let key = authorKeys.get(id)
	if (key === undefined) authorKeys.set(id, (key = personKey(id)))
	return key
}

/** The editor whose stickies' authors count as people on the board (set by the Comments panel). */
export function setMentionEditor(editor: Editor | null): void {
	mentionEditor = editor
}

/**
 * Everyone a comment can mention — the people on the board: the authors of its stickies, everyone
 * who commented or was mentioned before, and people connected now (their current names win).
 */
export function mentionCandidates(): Mention[] {
	const byKey = new Map<string, Mention>()
	const add = (person: Mention) => {
		if (person.name.trim()) byKey.set(person.key, { key: person.key, name: person.name.trim() })
	}
	for (const shape of mentionEditor?.getCurrentPageShapes() ?? []) {
		if (shape.type !== 'note') continue
		const author = parseItemMeta(shape.meta).meta.author
		if (author) add({ key: authorKey(author.id), name: author.name })
	}
	const { threads } = conversationSignal.get()
	for (const thread of threads) for (const message of thread.messages) message.mentions.forEach(add)
	commentAuthors(threads).forEach(add)
	connectedPeopleSignal.get().forEach(add)
	return [...byKey.values()]
}

function writer(): { doc: Y.Doc; me: CommentAuthor } {
	const me = currentPersonSignal.get()
	if (!boundDoc || !me) throw new Error('The board is not open yet')
	if (!docWritableSignal.get()) throw new Error('This version of the app cannot write this board: reload')
	return { doc: boundDoc, me: { key: me.key, name: me.name || 'Anonymous' } }
}

const write = (text: string) => ({ now: Date.now(), mentions: findMentions(text, mentionCandidates()), origin })

/** Writes of the comment UI; each throws CommentInputError (or Error) with a message to show. */
export const conversationActions = {
	addThread(targetId: string, text: string): string {
		const { doc, me } = writer()
		return addThread(doc, targetId, me, text, write(text))
	},
	reply(threadId: string, text: string): void {
		const { doc, me } = writer()
		addReply(doc, threadId, me, text, write(text))
	},
	edit(threadId: string, messageId: string, text: string): void {
		const { doc, me } = writer()
		editMessage(doc, threadId, messageId, me, text, write(text))
	},
	setResolved(threadId: string, resolved: boolean): void {
		const { doc, me } = writer()
		setThreadResolved(doc, threadId, resolved, me, { now: Date.now(), origin })
	},
	toggleReaction(targetId: string, emoji: StickyReaction): void {
		const { doc, me } = writer()
		toggleReaction(doc, targetId, emoji, me, { now: Date.now(), origin })
	},
}
