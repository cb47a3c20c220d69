/**
 * Keeps typed items' bookkeeping right as people work: a new sticky gets the
 * kind its frame suggests (and that kind's colour), its author and times; a
 * content change bumps `updatedAt`. Only local ('user') changes are touched:
 * remote ones arrive already stamped by their author's client.
 */
import type { Editor, TLNoteShape, TLShape, TLShapePartial } from 'tldraw'
import { DEFAULT_ITEM_KIND, ITEM_KIND_INFO, ItemMetaKey, defaultKindForParent, isItemKind, type Author, type ItemKind } from '../../shared/items'

function recordsForContainment(editor: Editor) {
	return new Map(editor.getCurrentPageShapes().map((s) => [s.id as string, s as unknown as Record<string, unknown>]))
}

export function kindOfNote(shape: TLShape): ItemKind {
	const kind = (shape.meta as Record<string, unknown>)[ItemMetaKey.kind]
	return isItemKind(kind) ? kind : DEFAULT_ITEM_KIND
}

/** Sets the kind (and its colour) of the given notes in one undoable step. */
export function setKindOfNotes(editor: Editor, noteIds: readonly TLShape['id'][], kind: ItemKind) {
	const now = Date.now()
	const updates: TLShapePartial<TLNoteShape>[] = []
	for (const id of noteIds) {
		const shape = editor.getShape(id)
		if (!shape || shape.type !== 'note') continue
		updates.push({
			id: shape.id as TLNoteShape['id'],
			type: 'note',
			props: { color: ITEM_KIND_INFO[kind].color },
			meta: { ...shape.meta, [ItemMetaKey.kind]: kind, [ItemMetaKey.updatedAt]: now },
		})
	}
	if (!updates.length) return
	editor.markHistoryStoppingPoint('set item kind')
	editor.updateShapes(updates)
}

/** Merges `patch` into a note's meta (one undo step), stamping updatedAt. */
export function updateNoteMeta(editor: Editor, id: TLShape['id'], patch: Record<string, unknown>) {
	const shape = editor.getShape(id)
	if (!shape) return
	editor.markHistoryStoppingPoint('update item')
	editor.updateShape({
		id: shape.id,
		type: shape.type,
		meta: { ...shape.meta, ...patch, ...(shape.type === 'note' ? { [ItemMetaKey.updatedAt]: Date.now() } : {}) },
	} as TLShapePartial)
}

export function registerItemLifecycle(editor: Editor, getAuthor: () => Author): () => void {
	const offCreate = editor.sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
		if (source !== 'user' || shape.type !== 'note') return
		const meta = shape.meta as Record<string, unknown>
		if (isItemKind(meta[ItemMetaKey.kind]) && meta[ItemMetaKey.author]) return // pasted or duplicated item
		const kind = isItemKind(meta[ItemMetaKey.kind])
			? (meta[ItemMetaKey.kind] as ItemKind)
			: (defaultKindForParent(recordsForContainment(editor), shape.parentId) ?? DEFAULT_ITEM_KIND)
		const now = Date.now()
		editor.updateShape({
			id: shape.id,
			type: 'note',
			props: { color: ITEM_KIND_INFO[kind].color },
			meta: {
				...meta,
				[ItemMetaKey.kind]: kind,
				[ItemMetaKey.author]: getAuthor(),
				[ItemMetaKey.createdAt]: now,
				[ItemMetaKey.updatedAt]: now,
			},
		} as TLShapePartial<TLNoteShape>)
	})
	const offChange = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
		if (source !== 'user' || next.type !== 'note' || prev.type !== 'note') return next
		const textChanged = (prev as TLNoteShape).props.richText !== (next as TLNoteShape).props.richText
		if (!textChanged) return next
		return { ...next, meta: { ...next.meta, [ItemMetaKey.updatedAt]: Date.now() } }
	})
	return () => {
		offCreate()
		offChange()
	}
}
