/**
 * The board search's query language (docs/items.md, "Search"): words and
 * "quoted phrases" match the text, tags, kind, author and frame of a sticky;
 * `kind:`, `status:`, `tag:`, `author:` and `in:` (frame name) narrow the results. Every
 * part must match (AND). Unknown `field:` prefixes are searched as words.
 */
import { ITEM_KINDS, ITEM_KIND_INFO, type ItemKind } from '../items/kinds'
import { statusForWord, type ItemStatus } from '../items/lifecycle'

export interface SearchQuery {
	/** Lower-cased words and phrases; each must occur somewhere in the item's searchable text. */
	terms: string[]
	/** Kinds the item must have one of (empty: any). */
	kinds: ItemKind[]
	/** Lower-cased tags the item must all carry. */
	tags: string[]
	/** Lower-cased author name fragments; each must occur in the author's name. */
	authors: string[]
	/** Lower-cased frame name fragments; each must occur in the name of a frame the item sits in. */
	frames: string[]
	/** Kind words that matched no kind (shown to the person, never silently dropped). */
	unknownKinds: string[]
	/** Lifecycle statuses the item must have one of (empty: any). */
	statuses: ItemStatus[]
	/** Status words that matched no status (shown, never silently dropped). */
	unknownStatuses: string[]
}

export const EMPTY_QUERY: SearchQuery = { terms: [], kinds: [], tags: [], authors: [], frames: [], unknownKinds: [], statuses: [], unknownStatuses: [] }

/** Longest query text read; the rest is ignored (a search box, not a document). */
export const MAX_QUERY_LENGTH = 500

const TOKEN = /(\w+):"([^"]*)"?|(\w+):(\S+)|"([^"]*)"?|(\S+)/g

/** Finds a kind by its id, label or any prefix of either ("feat", "job", "jtbd", "kpi"). */
export function kindForWord(word: string): ItemKind | null {
	const needle = word.toLowerCase()
	if (!needle) return null
	for (const kind of ITEM_KINDS) {
		if (kind === needle || ITEM_KIND_INFO[kind].label.toLowerCase() === needle) return kind
	}
	for (const kind of ITEM_KINDS) {
		if (kind.startsWith(needle) || ITEM_KIND_INFO[kind].label.toLowerCase().startsWith(needle)) return kind
	}
	return null
}

export function parseSearchQuery(input: string): SearchQuery {
	const query: SearchQuery = { terms: [], kinds: [], tags: [], authors: [], frames: [], unknownKinds: [], statuses: [], unknownStatuses: [] }
	const text = input.slice(0, MAX_QUERY_LENGTH)
	for (const match of text.matchAll(TOKEN)) {
		const field = (match[1] ?? match[3])?.toLowerCase()
		const value = (match[2] ?? match[4] ?? match[5] ?? match[6] ?? '').trim().toLowerCase()
		if (!value) continue
		switch (field) {
			case 'kind':
			case 'is': {
				for (const word of value.split(',')) {
					const kind = kindForWord(word)
					if (kind) {
						if (!query.kinds.includes(kind)) query.kinds.push(kind)
					} else if (word) {
						query.unknownKinds.push(word)
					}
				}
				break
			}
			case 'status':
				for (const word of value.split(',')) {
					const status = statusForWord(word)
					if (status) {
						if (!query.statuses.includes(status)) query.statuses.push(status)
					} else if (word) query.unknownStatuses.push(word)
				}
				break
			case 'tag':
				query.tags.push(value.replace(/^#/, ''))
				break
			case 'author':
			case 'by':
				query.authors.push(value)
				break
			case 'in':
			case 'frame':
				query.frames.push(value)
				break
			default:
				query.terms.push(field && match[0].includes(':') ? match[0].toLowerCase() : value)
		}
	}
	return query
}

export function isEmptyQuery(query: SearchQuery): boolean {
	return !query.terms.length && !query.kinds.length && !query.tags.length && !query.authors.length && !query.frames.length && !query.unknownKinds.length && !query.statuses.length && !query.unknownStatuses.length
}
