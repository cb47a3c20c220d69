/** Comparing exports of equal boards: ids and the export time differ, the content must not. */
import type { BoardExport } from '../../shared/export'

/**
 * Replaces ids by their order of first appearance and drops the board's id and export time,
 * so two exports of equal boards (e.g. before and after export → import) compare equal.
 */
export function normalizeExport(data: BoardExport): unknown {
	const aliases = new Map<string, string>()
	const alias = (id: string | null) => {
		if (id === null) return null
		if (!aliases.has(id)) aliases.set(id, `#${aliases.size}`)
		return aliases.get(id)!
	}
	for (const f of data.frames) alias(f.pageId)
	for (const i of data.items) alias(i.position.pageId)
	for (const f of data.frames) alias(f.id)
	for (const i of data.items) alias(i.id)
	for (const r of data.relations) alias(r.id)
	return {
		...data,
		board: { ...data.board, id: '<board>', exportedAt: '<time>' },
		items: data.items.map((i) => ({ ...i, id: alias(i.id), themeId: alias(i.themeId), position: { ...i.position, pageId: alias(i.position.pageId) } })),
		themes: data.themes.map((t) => ({ ...t, id: alias(t.id), itemIds: t.itemIds.map(alias) })),
		lanes: data.lanes.map((l) => ({ ...l, themeIds: l.themeIds.map(alias) })),
		frames: data.frames.map((f) => ({ ...f, id: alias(f.id), pageId: alias(f.pageId), parentFrameId: alias(f.parentFrameId) })),
		relations: data.relations.map((r) => ({ ...r, id: alias(r.id), from: alias(r.from), to: alias(r.to) })),
		vision: Object.fromEntries(Object.entries(data.vision).map(([prompt, ids]) => [prompt, ids.map(alias)])),
		kpis: data.kpis.map((k) => ({ ...k, itemId: alias(k.itemId), measures: k.measures.map(alias) })),
	}
}
