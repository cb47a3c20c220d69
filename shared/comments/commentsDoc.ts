/**
 * Comment threads in the Y.Doc (layout version 2, docs/protocol.md §2.4):
 *
 *   comments: Y.Map<threadId, Y.Map>            one entry per thread
 *     targetId, createdAt, resolved, resolvedBy, resolvedAt   plain values
 *     messages: Y.Array<Y.Map>                  one Y.Map per message
 *       id, authorKey, authorName, text, createdAt, editedAt, mentions
 *
 * Why this shape: a reply is an insert into the thread's `messages` array, so
 * two people replying at once both survive (Yjs orders concurrent inserts);
 * an edit sets one message's `text`, resolving sets the thread's `resolved` —
 * each change touches one key, never a whole thread rewritten as JSON.
 * A thread is created with its first message in one transaction by one
 * client (its id is random), so there is no concurrent creation of the same
 * nested map.
 *
 * Reading never trusts the doc: a malformed thread or message is skipped and
 * reported (`issues`), the rest is shown.
 */
import * as Y from 'yjs'
import { randomBase64Url } from '../boardIdFormat'
import { COMMENTS_MAP } from '../docLayout'
import {
	CommentMessageSchema,
	CommentThreadFieldsSchema,
	MAX_COMMENT_TEXT,
	MAX_MESSAGES_PER_THREAD,
	type CommentAuthor,
	type CommentMessage,
	type CommentThread,
	type Mention,
} from './schema'

/** Keys of a thread's Y.Map. */
export const ThreadKey = {
	targetId: 'targetId',
	createdAt: 'createdAt',
	resolved: 'resolved',
	resolvedBy: 'resolvedBy',
	resolvedAt: 'resolvedAt',
	messages: 'messages',
} as const

/** Keys of a message's Y.Map. */
export const MessageKey = {
	id: 'id',
	authorKey: 'authorKey',
	authorName: 'authorName',
	text: 'text',
	createdAt: 'createdAt',
	editedAt: 'editedAt',
	mentions: 'mentions',
} as const

export function getCommentsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
	return doc.getMap(COMMENTS_MAP)
}

export interface ReadThreadsResult {
	threads: CommentThread[]
	/** One line per skipped thread or message: `<thread id>[.<index>]: reason`. */
	issues: string[]
}

function zodReason(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
	const first = error.issues[0]
	return first ? `${first.path.map(String).join('.') || 'value'}: ${first.message}` : 'invalid'
}

/** Reads one thread's Y.Map; null (with issues) when it is unusable. */
export function readThread(id: string, ymap: unknown, issues: string[]): CommentThread | null {
	if (!(ymap instanceof Y.Map)) {
		issues.push(`${id}: not a Y.Map`)
		return null
	}
	if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
		issues.push(`${id.slice(0, 64)}: malformed thread id`)
		return null
	}
	const fields = CommentThreadFieldsSchema.safeParse({
		targetId: ymap.get(ThreadKey.targetId),
		createdAt: ymap.get(ThreadKey.createdAt),
		resolved: ymap.get(ThreadKey.resolved) ?? undefined,
		resolvedBy: ymap.get(ThreadKey.resolvedBy) ?? undefined,
		resolvedAt: ymap.get(ThreadKey.resolvedAt) ?? undefined,
	})
	if (!fields.success) {
		issues.push(`${id}: ${zodReason(fields.error)}`)
		return null
	}
	const list = ymap.get(ThreadKey.messages)
	if (!(list instanceof Y.Array)) {
		issues.push(`${id}: messages is not a Y.Array`)
		return null
	}
	const messages: CommentMessage[] = []
	const seen = new Set<string>()
	list.toArray().slice(0, MAX_MESSAGES_PER_THREAD).forEach((entry: unknown, index) => {
		if (!(entry instanceof Y.Map)) {
			issues.push(`${id}.${index}: message is not a Y.Map`)
			return
		}
		const parsed = CommentMessageSchema.safeParse(entry.toJSON())
		if (!parsed.success) issues.push(`${id}.${index}: ${zodReason(parsed.error)}`)
		else if (seen.has(parsed.data.id)) issues.push(`${id}.${index}: duplicate message id`)
		else {
			seen.add(parsed.data.id)
			messages.push(parsed.data)
		}
	})
	if (messages.length === 0) {
		issues.push(`${id}: no readable message`)
		return null
	}
	return { id, ...fields.data, messages }
}

/** Every readable thread, oldest first (ties by id, so every client lists them alike). */
export function readThreads(doc: Y.Doc): ReadThreadsResult {
	const issues: string[] = []
	const threads: CommentThread[] = []
	for (const [id, ymap] of getCommentsMap(doc).entries()) {
		const thread = readThread(id, ymap, issues)
		if (thread) threads.push(thread)
	}
	threads.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
	return { threads, issues }
}

/** Threads grouped by the shape they are on. */
export function threadsByTarget(threads: readonly CommentThread[]): Map<string, CommentThread[]> {
	const byTarget = new Map<string, CommentThread[]>()
	for (const thread of threads) {
		const list = byTarget.get(thread.targetId)
		if (list) list.push(thread)
		else byTarget.set(thread.targetId, [thread])
	}
	return byTarget
}

export class CommentInputError extends Error {}

function cleanText(text: string): string {
	const trimmed = text.trim()
	if (!trimmed) throw new CommentInputError('A comment needs some text')
	if (trimmed.length > MAX_COMMENT_TEXT) throw new CommentInputError(`A comment is at most ${MAX_COMMENT_TEXT} characters`)
	return trimmed
}

function messageMap(author: CommentAuthor, text: string, mentions: readonly Mention[], now: number): Y.Map<unknown> {
	const message = new Y.Map<unknown>()
	message.set(MessageKey.id, randomBase64Url(12))
	message.set(MessageKey.authorKey, author.key)
	message.set(MessageKey.authorName, author.name.slice(0, 100))
	message.set(MessageKey.text, text)
	message.set(MessageKey.createdAt, now)
	message.set(MessageKey.editedAt, null)
	message.set(MessageKey.mentions, mentions.map((m) => ({ key: m.key, name: m.name })))
	return message
}

export interface WriteOptions {
	now: number
	mentions?: readonly Mention[]
	origin?: unknown
}

/** Opens a thread on a sticky or frame with its first message. Returns the thread id. */
export function addThread(doc: Y.Doc, targetId: string, author: CommentAuthor, text: string, options: WriteOptions): string {
	const body = cleanText(text)
	const id = randomBase64Url(12)
	doc.transact(() => {
		const thread = new Y.Map<unknown>()
		thread.set(ThreadKey.targetId, targetId)
		thread.set(ThreadKey.createdAt, options.now)
		thread.set(ThreadKey.resolved, false)
		thread.set(ThreadKey.resolvedBy, null)
		thread.set(ThreadKey.resolvedAt, null)
		const messages = new Y.Array<Y.Map<unknown>>()
		messages.push([messageMap(author, body, options.mentions ?? [], options.now)])
		thread.set(ThreadKey.messages, messages)
		getCommentsMap(doc).set(id, thread)
	}, options.origin)
	return id
}

function threadMap(doc: Y.Doc, threadId: string): Y.Map<unknown> {
	const thread = getCommentsMap(doc).get(threadId)
	if (!(thread instanceof Y.Map)) throw new CommentInputError('This thread no longer exists')
	return thread
}

/** Appends a reply (an array insert: concurrent replies all survive). Reopens nothing by itself. */
export function addReply(doc: Y.Doc, threadId: string, author: CommentAuthor, text: string, options: WriteOptions): void {
	const body = cleanText(text)
	const messages = threadMap(doc, threadId).get(ThreadKey.messages)
	if (!(messages instanceof Y.Array)) throw new CommentInputError('This thread cannot be read')
	if (messages.length >= MAX_MESSAGES_PER_THREAD) throw new CommentInputError(`A thread holds at most ${MAX_MESSAGES_PER_THREAD} messages`)
	doc.transact(() => messages.push([messageMap(author, body, options.mentions ?? [], options.now)]), options.origin)
}

/** Edits one's own message (text, mentions, editedAt). */
export function editMessage(doc: Y.Doc, threadId: string, messageId: string, author: CommentAuthor, text: string, options: WriteOptions): void {
	const body = cleanText(text)
	const messages = threadMap(doc, threadId).get(ThreadKey.messages)
	const message = messages instanceof Y.Array ? (messages.toArray() as unknown[]).find((m): m is Y.Map<unknown> => m instanceof Y.Map && m.get(MessageKey.id) === messageId) : undefined
	if (!message) throw new CommentInputError('This comment no longer exists')
	if (message.get(MessageKey.authorKey) !== author.key) throw new CommentInputError('Only its author can edit a comment')
	doc.transact(() => {
		message.set(MessageKey.text, body)
		message.set(MessageKey.editedAt, options.now)
		message.set(MessageKey.mentions, (options.mentions ?? []).map((m) => ({ key: m.key, name: m.name })))
	}, options.origin)
}

/** Resolves or reopens a thread (anyone who may write). */
export function setThreadResolved(doc: Y.Doc, threadId: string, resolved: boolean, by: CommentAuthor, options: WriteOptions): void {
	const thread = threadMap(doc, threadId)
	doc.transact(() => {
		thread.set(ThreadKey.resolved, resolved)
		thread.set(ThreadKey.resolvedBy, resolved ? by.name.slice(0, 100) : null)
		thread.set(ThreadKey.resolvedAt, resolved ? options.now : null)
	}, options.origin)
}

/** Open threads per target id (the badge count on a sticky or frame). */
export function openThreadCounts(threads: readonly CommentThread[]): Map<string, number> {
	const counts = new Map<string, number>()
	for (const thread of threads) if (!thread.resolved) counts.set(thread.targetId, (counts.get(thread.targetId) ?? 0) + 1)
	return counts
}
