/**
 * An incremental search index over a board's records (tldraw records as
 * plain objects: the client's store, or records read from the Y.Doc). Why an
 * index: a 5,000-sticky board is searched on every keystroke, and extracting
 * text from rich text and parsing meta per record per keystroke would cost
 * more than the matching itself. Each note and frame is reduced once, on
 * change, to lower-cased fields; a search is then one pass of substring tests.
 */
import { parseItemMeta } from '../items/itemMeta'
import { ITEM_KIND_INFO, type ItemKind } from '../items/kinds'
import { readLifecycle, type ItemStatus } from '../items/lifecycle'
import { richTextToPlainText } from '../text/richText'
import type { SearchQuery } from './searchQuery'

type RecordLike = Record<string, unknown>

export interface SearchEntry {
	id: string
	type: 'note' | 'frame'
	/** As shown: the sticky's text or the frame's name. */
	text: string
	kind: ItemKind | null
	/** Lifecycle status of a sticky; null for frames. */
	status: ItemStatus | null
	tags: readonly string[]
	authorName: string
	parentId: string | null
	/** Lower-cased text, kind label, tags and author, for word matching. */
	haystack: string
}

export interface SearchHit {
	entry: SearchEntry
	/** Names of the frames the item sits in, innermost first. */
	frameNames: string[]
	/** Where the first term occurs in `entry.text` (−1 when it matched elsewhere: tag, author…). */
	matchAt: number
}

export interface SearchResult {
	hits: SearchHit[]
	/** Matches in all, including those past the limit. */
	total: number
}

const MAX_INDEXED_TEXT = 4000

function propsOf(record: RecordLike): RecordLike {
	return typeof record.props === 'object' && record.props !== null ? (record.props as RecordLike) : {}
}

/** The entry a record contributes, or null when it is not searchable (not a note or frame). */
export function searchEntryFor(record: RecordLike): SearchEntry | null {
	if (record.typeName !== 'shape' || typeof record.id !== 'string') return null
	const parentId = typeof record.parentId === 'string' && record.parentId.startsWith('shape:') ? record.parentId : null
	const props = propsOf(record)
	if (record.type === 'frame') {
		const name = typeof props.name === 'string' ? props.name.slice(0, MAX_INDEXED_TEXT) : ''
		return { id: record.id, type: 'frame', text: name, kind: null, status: null, tags: [], authorName: '', parentId, haystack: `${name}\n${'frame'}`.toLowerCase() }
	}
	if (record.type !== 'note') return null
	const text = richTextToPlainText(props.richText ?? props.text).slice(0, MAX_INDEXED_TEXT)
	const { meta } = parseItemMeta(record.meta)
	const kindLabel = ITEM_KIND_INFO[meta.kind].label
	const authorName = meta.author?.name ?? ''
	return {
		id: record.id,
		type: 'note',
		text,
		kind: meta.kind,
		status: readLifecycle(record.meta).status,
		tags: meta.tags,
		authorName,
		parentId,
		haystack: `${text}\n${kindLabel}\n${meta.tags.map((tag) => `#${tag}`).join(' ')}\n${authorName}`.toLowerCase(),
	}
}

export class BoardSearchIndex {
	private readonly entries = new Map<string, SearchEntry>()
	/** Lower-cased text of the comments on each shape (setComments), searched like the shape's own text. */
	private commentText = new Map<string, string>()

	constructor(records: Iterable<RecordLike> = []) {
		for (const record of records) this.put(record)
	}

	get size(): number {
		return this.entries.size
	}

	/** Adds or refreshes a record (anything that is not a note or frame is dropped). */
	put(record: RecordLike): void {
		if (typeof record.id !== 'string') return
		const entry = searchEntryFor(record)
		if (entry) this.entries.set(record.id, entry)
		else this.entries.delete(record.id)
	}

	remove(id: string): void {
		this.entries.delete(id)
	}

	/** Replaces the comment text searched per shape id (threads of shared/comments; resolved ones too). */
	setComments(threads: Iterable<{ targetId: string; messages: readonly { text: string }[] }>): void {
		const byTarget = new Map<string, string>()
		for (const thread of threads) {
			const text = thread.messages.map((m) => m.text).join('\n').slice(0, MAX_INDEXED_TEXT).toLowerCase()
			byTarget.set(thread.targetId, byTarget.has(thread.targetId) ? `${byTarget.get(thread.targetId)}\n${text}` : text)
		}
		this.commentText = byTarget
	}

	get(id: string): SearchEntry | undefined {
		return this.entries.get(id)
	}

	/** Every tag on the board's stickies, sorted. */
	allTags(): string[] {
		const tags = new Set<string>()
		for (const entry of this.entries.values()) for (const tag of entry.tags) tags.add(tag)
		return [...tags].sort()
	}

	/** Names of the frames around an entry, innermost first (cycles and missing parents end the walk). */
	frameNamesOf(entry: SearchEntry): string[] {
		const names: string[] = []
		const seen = new Set<string>([entry.id])
		let parentId = entry.parentId
		while (parentId && !seen.has(parentId)) {
			seen.add(parentId)
			const parent = this.entries.get(parentId)
			if (!parent) break
			if (parent.type === 'frame' && parent.text) names.push(parent.text)
			parentId = parent.parentId
		}
		return names
	}

	/**
	 * Items matching every part of the query, in board order of insertion;
	 * stickies before frames. An empty query matches nothing.
	 */
	search(query: SearchQuery, limit = 200): SearchResult {
		const { terms, kinds, tags, authors, frames, statuses } = query
		if (query.unknownKinds.length || query.unknownStatuses.length) return { hits: [], total: 0 }
		if (!terms.length && !kinds.length && !tags.length && !authors.length && !frames.length && !statuses.length) return { hits: [], total: 0 }
		const noteHits: SearchHit[] = []
		const frameHits: SearchHit[] = []
		let total = 0
		const typedFilter = kinds.length > 0 || tags.length > 0 || authors.length > 0 || statuses.length > 0
		for (const entry of this.entries.values()) {
			if (typedFilter && entry.type !== 'note') continue
			if (kinds.length && !(entry.kind && kinds.includes(entry.kind))) continue
			if (statuses.length && !(entry.status && statuses.includes(entry.status))) continue
			if (tags.length && !tags.every((tag) => entry.tags.includes(tag))) continue
			if (authors.length) {
				const author = entry.authorName.toLowerCase()
				if (!authors.every((name) => author.includes(name))) continue
			}
			let allTerms = true
			const comments = this.commentText.get(entry.id)
			for (const term of terms) {
				if (!entry.haystack.includes(term) && !(comments !== undefined && comments.includes(term))) {
					allTerms = false
					break
				}
			}
			if (!allTerms) continue
			let frameNames: string[] | null = null
			if (frames.length) {
				frameNames = this.frameNamesOf(entry)
				const lower = frameNames.map((name) => name.toLowerCase())
				if (!frames.every((fragment) => lower.some((name) => name.includes(fragment)))) continue
			}
			total++
			const bucket = entry.type === 'note' ? noteHits : frameHits
			if (noteHits.length + frameHits.length < limit) {
				bucket.push({ entry, frameNames: frameNames ?? this.frameNamesOf(entry), matchAt: terms.length ? entry.text.toLowerCase().indexOf(terms[0]!) : -1 })
			}
		}
		return { hits: [...noteHits, ...frameHits], total }
	}
}
