/** Plain records and comparison helpers shared by the export tests (export*.test.ts). */
import type { BoardExport } from '../../shared/export'
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

/** Replaces ids by their first-seen order and drops the export time, so two exports of the same board compare equal. */
export function normalizeIds(data: BoardExport): unknown {
	const ids = new Map<string, string>()
	const alias = (id: string | null) => {
		if (id === null) return null
		if (!ids.has(id)) ids.set(id, `#${ids.size}`)
		return ids.get(id)!
	}
	for (const f of data.frames) alias(f.pageId)
	for (const i of data.items) alias(i.position.pageId)
	for (const f of data.frames) alias(f.id)
	for (const i of data.items) alias(i.id)
	return {
		...data,
		board: { ...data.board, exportedAt: '<time>' },
		items: data.items.map((i) => ({ ...i, id: alias(i.id), themeId: alias(i.themeId), position: { ...i.position, pageId: alias(i.position.pageId) } })),
		themes: data.themes.map((t) => ({ ...t, id: alias(t.id), itemIds: t.itemIds.map(alias) })),
		lanes: data.lanes.map((l) => ({ ...l, themeIds: l.themeIds.map(alias) })),
		frames: data.frames.map((f) => ({ ...f, id: alias(f.id), pageId: alias(f.pageId), parentFrameId: alias(f.parentFrameId) })),
	}
}

/** A `newId` for boardExportToRecords: prefix1, prefix2, … */
export function counterIds(prefix: string) {
	let n = 0
	return () => `${prefix}${++n}`
}
