/**
 * What changed between two board exports (two versions, or a version and the
 * live board): items added, removed, edited, moved between themes or lanes,
 * and changes of RICE estimates and votes. Pure and shared, so the browser's
 * Versions panel and GET /api/boards/:id/compare give the same answer.
 *
 * Items are matched by id (a version keeps the board's shape ids), so a
 * sticky whose text changed is "edited", not "removed + added".
 */
import type { BoardExport, ExportItem } from '../export/schema'

export interface ComparedItem {
	id: string
	kind: ExportItem['kind']
	/** The item's text, cut to 140 characters for lists. */
	text: string
}

export type EditedField = 'text' | 'kind' | 'tags' | 'color' | 'jtbd' | 'experiment' | 'mvp'

export interface ItemEdit {
	item: ComparedItem
	fields: EditedField[]
	/** Old and new text when the text changed. */
	text?: { from: string; to: string }
}

export interface PlaceRef {
	themeId: string | null
	/** The theme's title on that side, or null outside any theme. */
	themeTitle: string | null
	lane: ExportItem['lane']
}

export interface ItemMove {
	item: ComparedItem
	from: PlaceRef
	to: PlaceRef
}

export type RiceField = 'reach' | 'impact' | 'confidence' | 'effort'

export interface RiceChange {
	item: ComparedItem
	fields: RiceField[]
	from: number | null
	to: number | null
}

export interface VoteChange {
	item: ComparedItem
	/** Dots over all closed sessions; 0 for none. */
	from: number
	to: number
}

export interface BoardComparison {
	added: ComparedItem[]
	removed: ComparedItem[]
	edited: ItemEdit[]
	moved: ItemMove[]
	rice: RiceChange[]
	votes: VoteChange[]
	/** Themes (by id) added, removed or renamed. */
	themes: { added: string[]; removed: string[]; renamed: { id: string; from: string; to: string }[] }
	/** Closed voting sessions in `to` that `from` does not have. */
	newVotingSessions: { id: string; title: string }[]
	/** Counts of each list, and whether anything changed at all. */
	summary: { added: number; removed: number; edited: number; moved: number; rice: number; votes: number; unchanged: boolean }
}

const LIST_TEXT = 140

function ref(item: ExportItem): ComparedItem {
	const text = item.text.replace(/\s+/g, ' ').trim()
	return { id: item.id, kind: item.kind, text: text.length > LIST_TEXT ? `${text.slice(0, LIST_TEXT - 1)}…` : text }
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

function editedFields(from: ExportItem, to: ExportItem): EditedField[] {
	const fields: EditedField[] = []
	if (from.text !== to.text) fields.push('text')
	if (from.kind !== to.kind) fields.push('kind')
	if (!sameJson([...from.tags].sort(), [...to.tags].sort())) fields.push('tags')
	if (from.color !== to.color) fields.push('color')
	if (!sameJson(from.jtbd, to.jtbd)) fields.push('jtbd')
	if (!sameJson(from.experiment, to.experiment)) fields.push('experiment')
	if (from.mvp !== to.mvp) fields.push('mvp')
	return fields
}

const RICE_FIELDS: readonly RiceField[] = ['reach', 'impact', 'confidence', 'effort']

/** The changes that turn `from` into `to`. Lists are in `to`'s item order (removed items: `from`'s order). */
export function compareExports(from: BoardExport, to: BoardExport): BoardComparison {
	const before = new Map(from.items.map((item) => [item.id, item]))
	const after = new Map(to.items.map((item) => [item.id, item]))
	const themeTitle = (board: BoardExport) => {
		const titles = new Map(board.themes.map((theme) => [theme.id, theme.title]))
		return (id: string | null) => (id === null ? null : (titles.get(id) ?? null))
	}
	const titleBefore = themeTitle(from)
	const titleAfter = themeTitle(to)

	const added: ComparedItem[] = []
	const edited: ItemEdit[] = []
	const moved: ItemMove[] = []
	const rice: RiceChange[] = []
	const votes: VoteChange[] = []
	for (const item of to.items) {
		const old = before.get(item.id)
		if (!old) {
			added.push(ref(item))
			continue
		}
		const fields = editedFields(old, item)
		if (fields.length > 0) edited.push({ item: ref(item), fields, ...(fields.includes('text') ? { text: { from: old.text, to: item.text } } : {}) })
		if (old.themeId !== item.themeId || old.lane !== item.lane) {
			moved.push({
				item: ref(item),
				from: { themeId: old.themeId, themeTitle: titleBefore(old.themeId), lane: old.lane },
				to: { themeId: item.themeId, themeTitle: titleAfter(item.themeId), lane: item.lane },
			})
		}
		const riceFields = RICE_FIELDS.filter((field) => old.rice[field] !== item.rice[field])
		if (riceFields.length > 0 || old.rice.score !== item.rice.score) rice.push({ item: ref(item), fields: riceFields, from: old.rice.score, to: item.rice.score })
		const dotsBefore = old.votes?.total ?? 0
		const dotsAfter = item.votes?.total ?? 0
		if (dotsBefore !== dotsAfter) votes.push({ item: ref(item), from: dotsBefore, to: dotsAfter })
	}
	const removed = from.items.filter((item) => !after.has(item.id)).map(ref)

	const themesBefore = new Map(from.themes.map((theme) => [theme.id, theme]))
	const themesAfter = new Map(to.themes.map((theme) => [theme.id, theme]))
	const themes = {
		added: to.themes.filter((theme) => !themesBefore.has(theme.id)).map((theme) => theme.id),
		removed: from.themes.filter((theme) => !themesAfter.has(theme.id)).map((theme) => theme.id),
		renamed: to.themes.flatMap((theme) => {
			const old = themesBefore.get(theme.id)
			return old && old.title !== theme.title ? [{ id: theme.id, from: old.title, to: theme.title }] : []
		}),
	}
	const sessionsBefore = new Set(from.votingSessions.map((session) => session.id))
	const newVotingSessions = to.votingSessions.filter((session) => !sessionsBefore.has(session.id)).map(({ id, title }) => ({ id, title }))

	const summary = { added: added.length, removed: removed.length, edited: edited.length, moved: moved.length, rice: rice.length, votes: votes.length }
	const unchanged =
		Object.values(summary).every((count) => count === 0) &&
		themes.added.length + themes.removed.length + themes.renamed.length + newVotingSessions.length === 0
	return { added, removed, edited, moved, rice, votes, themes, newVotingSessions, summary: { ...summary, unchanged } }
}
