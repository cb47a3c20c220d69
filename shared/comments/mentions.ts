/**
 * `@name` mentions. A mention is resolved when the message is written: every
 * `@` followed by the name of someone known on the board (the people list,
 * earlier comment authors) becomes a Mention with that person's key, stored
 * with the message, so the person can be told later even if they were not
 * connected (unseenMentions). Names may contain spaces ("@Alex Kim"): the
 * longest known name wins.
 */
import type { CommentThread, Mention } from './schema'

function isNameBoundary(char: string | undefined): boolean {
	return char === undefined || !/[\p{L}\p{N}_]/u.test(char)
}

/** The people a text mentions, among `candidates`, in order of first mention, each once. */
export function findMentions(text: string, candidates: readonly Mention[]): Mention[] {
	const sorted = [...candidates].filter((c) => c.name.trim()).sort((a, b) => b.name.length - a.name.length)
	const found: Mention[] = []
	const keys = new Set<string>()
	for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
		if (!isNameBoundary(text[at - 1])) continue
		const rest = text.slice(at + 1).toLowerCase()
		const match = sorted.find((c) => rest.startsWith(c.name.toLowerCase()) && isNameBoundary(rest[c.name.length]))
		if (match && !keys.has(match.key)) {
			keys.add(match.key)
			found.push({ key: match.key, name: match.name })
		}
	}
	return found
}

export interface TextSegment {
	text: string
	/** The mention this segment is (`@` + name), or null for plain text. */
	mention: Mention | null
}

/** Splits a message's text into plain text and its stored mentions, for highlighting. */
export function segmentMentions(text: string, mentions: readonly Mention[]): TextSegment[] {
	const segments: TextSegment[] = []
	const sorted = [...mentions].sort((a, b) => b.name.length - a.name.length)
	let plainStart = 0
	for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
		if (at < plainStart || !isNameBoundary(text[at - 1])) continue
		const rest = text.slice(at + 1)
		const match = sorted.find((m) => rest.toLowerCase().startsWith(m.name.toLowerCase()) && isNameBoundary(rest[m.name.length]))
		if (!match) continue
		if (at > plainStart) segments.push({ text: text.slice(plainStart, at), mention: null })
		segments.push({ text: text.slice(at, at + 1 + match.name.length), mention: match })
		plainStart = at + 1 + match.name.length
	}
	if (plainStart < text.length) segments.push({ text: text.slice(plainStart), mention: null })
	return segments
}

export interface MentionHit {
	threadId: string
	targetId: string
	messageId: string
	authorName: string
	text: string
	createdAt: number
}

/**
 * Messages that mention `personKey`, written by someone else after `seenAt`
 * (ms), in open threads, newest first — what a person missed since they last
 * looked, computed from the stored comments alone.
 */
export function unseenMentions(threads: readonly CommentThread[], personKey: string, seenAt: number): MentionHit[] {
	const hits: MentionHit[] = []
	for (const thread of threads) {
		if (thread.resolved) continue
		for (const message of thread.messages) {
			if (message.authorKey === personKey || message.createdAt <= seenAt) continue
			if (!message.mentions.some((m) => m.key === personKey)) continue
			hits.push({ threadId: thread.id, targetId: thread.targetId, messageId: message.id, authorName: message.authorName, text: message.text, createdAt: message.createdAt })
		}
	}
	return hits.sort((a, b) => b.createdAt - a.createdAt)
}

/** Everyone who wrote a comment, as mention candidates (newest name per key). */
export function commentAuthors(threads: readonly CommentThread[]): Mention[] {
	const byKey = new Map<string, Mention>()
	for (const thread of threads) for (const m of thread.messages) if (m.authorName.trim()) byKey.set(m.authorKey, { key: m.authorKey, name: m.authorName })
	return [...byKey.values()]
}
