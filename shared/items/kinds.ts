/**
 * Item kinds: what a typed sticky is.
 *
 * Decision (see docs/items.md, docs/protocol.md): a typed item is tldraw's
 * built-in `note` shape with its typed fields in `meta` (`meta.kind`, …), not a
 * custom shape. Notes keep working in every tldraw client; `meta` is a nested
 * Y.Map in the Y.Doc (one key per field), so concurrent edits of different
 * fields merge.
 */
import { z } from 'zod'

export const ITEM_KINDS = ['idea', 'problem', 'jtbd', 'insight', 'feature', 'question', 'kpi', 'experiment'] as const
export const ItemKindSchema = z.enum(ITEM_KINDS)
export type ItemKind = z.infer<typeof ItemKindSchema>

/** Kind a note without (or with an unreadable) `meta.kind` is treated as. */
export const DEFAULT_ITEM_KIND: ItemKind = 'idea'

/** tldraw's default colour names (`TLDefaultColorStyle`), usable for note `props.color`. */
export const TLDRAW_COLORS = [
	'black',
	'grey',
	'light-violet',
	'violet',
	'blue',
	'light-blue',
	'yellow',
	'orange',
	'green',
	'light-green',
	'light-red',
	'red',
	'white',
] as const
export type TldrawColor = (typeof TLDRAW_COLORS)[number]

export interface ItemKindInfo {
	kind: ItemKind
	/** Short label shown on the sticky and in menus. */
	label: string
	/** What the kind is for, shown as a tooltip. */
	description: string
	/** Note `props.color` a sticky of this kind gets, so the kind is visible at a glance. */
	color: TldrawColor
	/** Digit key (with the sticky selected) that switches to this kind. */
	shortcut: '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8'
}

/** One row per kind, in menu order. Shortcut digits follow menu order. */
export const ITEM_KIND_INFO: Readonly<Record<ItemKind, ItemKindInfo>> = {
	idea: { kind: 'idea', label: 'Idea', description: 'A solution idea', color: 'yellow', shortcut: '1' },
	problem: {
		kind: 'problem',
		label: 'Problem',
		description: 'A user need or pain point',
		color: 'light-red',
		shortcut: '2',
	},
	jtbd: {
		kind: 'jtbd',
		label: 'Job to be done',
		description: 'When <situation>, I want to <motivation>, so I can <outcome>',
		color: 'violet',
		shortcut: '3',
	},
	insight: {
		kind: 'insight',
		label: 'Insight',
		description: 'Something learned from research or data',
		color: 'light-blue',
		shortcut: '4',
	},
	feature: { kind: 'feature', label: 'Feature', description: 'A scoped feature', color: 'green', shortcut: '5' },
	question: {
		kind: 'question',
		label: 'Question',
		description: 'A risk or open question',
		color: 'orange',
		shortcut: '6',
	},
	kpi: { kind: 'kpi', label: 'KPI', description: 'A metric to measure', color: 'light-green', shortcut: '7' },
	experiment: {
		kind: 'experiment',
		label: 'Experiment',
		description: 'A test of an idea: hypothesis, metric, threshold and result',
		color: 'light-violet',
		shortcut: '8',
	},
}

/** The kind bound to a shortcut digit, or null. */
export function kindForShortcut(key: string): ItemKind | null {
	for (const kind of ITEM_KINDS) if (ITEM_KIND_INFO[kind].shortcut === key) return kind
	return null
}
