/** Plain records shared by the export tests (export*.test.ts); normalizeExport is in test/helpers/. */
import type { RecordLike } from '../../shared/items/containment'
import { isItemKind } from '../../shared/items/itemMeta'
import { ITEM_KIND_INFO } from '../../shared/items/kinds'
import { plainTextToRichText } from '../../shared/text/richText'

export function page(id: string, index: string): RecordLike {
	return { id, typeName: 'page', name: id, index, meta: {} }
}

export function frame(id: string, x: number, y: number, w: number, h: number, meta: Record<string, unknown>, parentId = 'page:main', rotation = 0): RecordLike {
	return { id, typeName: 'shape', type: 'frame', x, y, rotation, parentId, index: 'a1', isLocked: false, opacity: 1, props: { w, h, name: `frame ${id}`, color: 'black' }, meta }
}

/** How a sticky looks apart from its text: parent-relative rotation, tldraw `props.scale` / `props.growY`, and `props.color`. */
export interface NoteLook {
	rotation?: number
	scale?: number
	growY?: number
	/** Defaults to the colour of `meta.kind` (idea's yellow when there is none), as the app sets it. */
	color?: string
}

export function note(id: string, x: number, y: number, text: string, meta: Record<string, unknown>, parentId = 'page:main', look: NoteLook = {}): RecordLike {
	const kindColor = ITEM_KIND_INFO[isItemKind(meta.kind) ? meta.kind : 'idea'].color
	return {
		id,
		typeName: 'shape',
		type: 'note',
		x,
		y,
		rotation: look.rotation ?? 0,
		parentId,
		index: 'a1',
		isLocked: false,
		opacity: 1,
		props: { color: look.color ?? kindColor, richText: plainTextToRichText(text), scale: look.scale ?? 1, growY: look.growY ?? 0 },
		meta,
	}
}

export const theme = (title: string, metric = '', target = '', northStar = false) => ({ theme: { title, description: `${title} description`, goal: { metric, target, northStar } } })

/** A `newId` for boardExportToRecords: prefix1, prefix2, … */
export function counterIds(prefix: string) {
	let n = 0
	return () => `${prefix}${++n}`
}

/** An arrow and its bindings: a link from `startId` to `endId` (either may be null: that end is free). */
export function arrow(id: string, startId: string | null, endId: string | null, meta: Record<string, unknown> = {}, parentId = 'page:main'): RecordLike[] {
	const records: RecordLike[] = [
		{
			id,
			typeName: 'shape',
			type: 'arrow',
			x: 0,
			y: 0,
			rotation: 0,
			parentId,
			index: 'a9',
			isLocked: false,
			opacity: 1,
			props: { start: { x: 0, y: 0 }, end: { x: 100, y: 0 } },
			meta,
		},
	]
	for (const [terminal, toId] of [['start', startId], ['end', endId]] as const) {
		if (toId === null) continue
		records.push({ id: `binding:${id.slice(6)}-${terminal}`, typeName: 'binding', type: 'arrow', fromId: id, toId, props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' }, meta: {} })
	}
	return records
}

/** What export version 7 gives an item without a status or CD3 (and migration AddStatusAndCd3 gives older items). */
export const NO_LIFECYCLE = { status: 'new', statusReason: null, cd3: { costOfDelay: null, duration: null, score: null, status: 'incomplete' } } as const
