/** Valid tldraw records and store helpers for binding tests. */
import { createTLStore } from '@tldraw/editor'
import {
	toRichText,
	type TLGeoShape,
	type TLNoteShape,
	type TLRecord,
	type TLShapeId,
	type TLStore,
} from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import * as Y from 'yjs'
import { isDocumentRecordId } from '../../../shared/docLayout'
import { readAllRecords } from '../../../shared/recordCodec'
import { noteShapeRecord } from '../../../shared/shapeRecords'

export const PAGE_ID = 'page:page' as TLNoteShape['parentId']

export function newStore(): TLStore {
	return createTLStore({})
}

export function makeNote(id: string, x: number, y: number, text: string, index = 'a1'): TLNoteShape {
	return noteShapeRecord({ id, x, y, text, index, parentId: PAGE_ID }) as unknown as TLNoteShape
}

export function makeGeo(id: string, x: number, y: number, w: number, h: number, index = 'a1'): TLGeoShape {
	return {
		id: id as TLShapeId,
		typeName: 'shape',
		type: 'geo',
		parentId: PAGE_ID,
		index: index as IndexKey,
		x,
		y,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		meta: {},
		props: {
			geo: 'rectangle',
			dash: 'draw',
			url: '',
			w,
			h,
			growY: 0,
			scale: 1,
			flipX: false,
			flipY: false,
			labelColor: 'black',
			color: 'blue',
			fill: 'none',
			size: 'm',
			font: 'draw',
			align: 'middle',
			verticalAlign: 'middle',
			richText: toRichText(''),
		},
	}
}

/** JSON with sorted keys, for order-insensitive comparison. */
export function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
			: v,
	)
}

export function storeDocumentRecords(store: TLStore): Record<string, TLRecord> {
	const out: Record<string, TLRecord> = {}
	for (const record of store.allRecords()) if (isDocumentRecordId(record.id)) out[record.id] = record
	return out
}

export function docRecords(doc: Y.Doc): Record<string, Record<string, unknown>> {
	return Object.fromEntries(readAllRecords(doc))
}

export function getShape<T extends TLRecord>(store: TLStore, id: string): T | undefined {
	return store.get(id as TLRecord['id']) as T | undefined
}

/** Updates a record in the store as a local (user) change. */
export function updateRecord<T extends TLRecord>(store: TLStore, id: string, update: (record: T) => T): void {
	const record = getShape<T>(store, id)
	if (!record) throw new Error(`no record ${id}`)
	store.put([update(record)])
}
