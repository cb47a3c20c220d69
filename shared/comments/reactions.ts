/**
 * Reactions on stickies in the Y.Doc (layout version 2, docs/protocol.md §2.5):
 *
 *   reactions: Y.Map<"<shapeId>|<personKey>|<emoji>", { targetId, person, name, emoji, at }>
 *
 * Flat on purpose: one key per person, sticky and emoji, so a toggle is one
 * `set` or `delete` of the person's own key and two people reacting at once
 * never touch the same entry (a nested map per sticky, created concurrently
 * by two clients, would lose one of them). A reader checks that the value
 * matches its key and skips (and reports) anything else.
 */
import * as Y from 'yjs'
import { REACTIONS_MAP } from '../docLayout'
import { ReactionEntrySchema, STICKY_REACTIONS, type CommentAuthor, type ReactionEntry, type StickyReaction } from './schema'

export function getReactionsMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(REACTIONS_MAP)
}

export function reactionKey(targetId: string, person: string, emoji: string): string {
	return `${targetId}|${person}|${emoji}`
}

/** Counts and names of one emoji on one sticky. */
export interface ReactionSummary {
	emoji: StickyReaction
	count: number
	/** Display names, oldest reaction first. */
	names: string[]
	/** Person keys, to tell whether "I" reacted. */
	people: string[]
}

export interface ReadReactionsResult {
	/** Per sticky, the emoji that have at least one reaction, in STICKY_REACTIONS order. */
	byTarget: Map<string, ReactionSummary[]>
	issues: string[]
}

export function readReactions(doc: Y.Doc): ReadReactionsResult {
	const issues: string[] = []
	const entries: ReactionEntry[] = []
	for (const [key, value] of getReactionsMap(doc).entries()) {
		const parsed = ReactionEntrySchema.safeParse(value)
		if (!parsed.success) {
			issues.push(`${key.slice(0, 120)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
			continue
		}
		if (reactionKey(parsed.data.targetId, parsed.data.person, parsed.data.emoji) !== key) {
			issues.push(`${key.slice(0, 120)}: key does not match its value`)
			continue
		}
		entries.push(parsed.data)
	}
	entries.sort((a, b) => a.at - b.at || (a.person < b.person ? -1 : 1))
	const byTarget = new Map<string, ReactionSummary[]>()
	for (const entry of entries) {
		let list = byTarget.get(entry.targetId)
		if (!list) byTarget.set(entry.targetId, (list = []))
		let summary = list.find((s) => s.emoji === entry.emoji)
		if (!summary) list.push((summary = { emoji: entry.emoji, count: 0, names: [], people: [] }))
		summary.count++
		summary.names.push(entry.name || 'Anonymous')
		summary.people.push(entry.person)
	}
	for (const list of byTarget.values()) list.sort((a, b) => STICKY_REACTIONS.indexOf(a.emoji) - STICKY_REACTIONS.indexOf(b.emoji))
	return { byTarget, issues }
}

/** Adds the person's reaction, or removes it when they had it. Returns whether it is now on. */
export function toggleReaction(doc: Y.Doc, targetId: string, emoji: StickyReaction, who: CommentAuthor, options: { now: number; origin?: unknown }): boolean {
	const map = getReactionsMap(doc)
	const key = reactionKey(targetId, who.key, emoji)
	const on = !map.has(key)
	doc.transact(() => {
		if (on) map.set(key, { targetId, person: who.key, name: who.name.slice(0, 100), emoji, at: options.now } satisfies ReactionEntry)
		else map.delete(key)
	}, options.origin)
	return on
}
