/**
 * Scenario 2 — wire bytes of one sticky drag (60 frames) written by our
 * binding (client/sync, a real tldraw store in Node: only `x` and `y` go
 * into the record's Y.Map) versus a whole-record YKeyValue binding of the
 * same store (y-utils style, implemented below as the baseline: a Y.Array of
 * {key, val} entries, the whole record re-written on every change).
 */
import '../lib/nodeAnimationFrame'
import { createTLStore } from '@tldraw/editor'
import type { TLRecord, TLShapeId, TLStore } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { bindStoreToYDoc } from '../../client/sync'
import { isDocumentRecordId } from '../../shared/docLayout'
import { integerIndexKey } from '../../shared/export'
import { metric, type ScenarioResult } from '../lib/report'
import { noteRecord } from '../lib/records'
import { SyncType, encodeSyncFrame } from '../lib/wire'

const DRAG_FRAMES = 60

/**
 * YKeyValue as in y-utils: every entry is `{ key, val }` in one Y.Array; a
 * write deletes the key's old entry and pushes a new one with the whole value.
 */
export class YKeyValueBaseline<T> {
	private readonly index = new Map<string, { key: string; val: T }>()
	constructor(readonly yarray: Y.Array<{ key: string; val: T }>) {
		for (const entry of yarray.toArray()) this.index.set(entry.key, entry)
	}
	set(key: string, val: T): void {
		const doc = this.yarray.doc as Y.Doc
		doc.transact(() => {
			if (this.index.has(key)) this.deleteAt(key)
			const entry = { key, val }
			this.yarray.push([entry])
			this.index.set(key, entry)
		})
	}
	delete(key: string): void {
		if (this.index.has(key)) this.deleteAt(key)
		this.index.delete(key)
	}
	private deleteAt(key: string): void {
		const old = this.index.get(key)
		const at = this.yarray.toArray().indexOf(old as { key: string; val: T })
		if (at >= 0) this.yarray.delete(at, 1)
	}
}

/** The whole-record baseline binding: each store change writes whole records into a YKeyValue. */
function bindWholeRecordBaseline(store: TLStore, doc: Y.Doc): () => void {
	const kv = new YKeyValueBaseline<TLRecord>(doc.getArray('records'))
	doc.transact(() => {
		for (const record of store.allRecords()) if (isDocumentRecordId(record.id)) kv.set(record.id, record)
	})
	return store.listen(
		({ changes }) => {
			doc.transact(() => {
				for (const record of Object.values(changes.added)) if (isDocumentRecordId(record.id)) kv.set(record.id, record)
				for (const [, to] of Object.values(changes.updated)) if (isDocumentRecordId(to.id)) kv.set(to.id, to)
				for (const record of Object.values(changes.removed)) kv.delete(record.id)
			})
		},
		{ source: 'user', scope: 'document' },
	)
}

interface DragBytes {
	updates: number
	updateBytes: number
	/** Bytes on the wire: each update framed as a y-websocket sync message. */
	frameBytes: number
	/** Size of the whole document after the drag (Y.encodeStateAsUpdate). */
	docBytesAfter: number
}

function measureDrag(bind: (store: TLStore, doc: Y.Doc) => { flush(): void; dispose(): void }): DragBytes {
	const store = createTLStore({})
	const doc = new Y.Doc()
	const binding = bind(store, doc)
	const id = 'shape:dragged' as TLShapeId
	store.put([noteRecord(id, 100, 100, 'Drag me: a sticky with a realistic amount of text on it') as unknown as TLRecord])
	for (let i = 0; i < 20; i++) store.put([noteRecord(`shape:other-${i}`, i * 220, 400, `other sticky ${i}`, integerIndexKey(i + 2)) as unknown as TLRecord])
	binding.flush()
	const result: DragBytes = { updates: 0, updateBytes: 0, frameBytes: 0, docBytesAfter: 0 }
	const onUpdate = (update: Uint8Array) => {
		result.updates++
		result.updateBytes += update.byteLength
		result.frameBytes += encodeSyncFrame(SyncType.update, update).byteLength
	}
	doc.on('update', onUpdate)
	for (let frame = 1; frame <= DRAG_FRAMES; frame++) {
		store.update(id, (record) => ({ ...record, x: 100 + frame * 3.5, y: 100 + frame * 1.25 }))
		binding.flush()
	}
	doc.off('update', onUpdate)
	result.docBytesAfter = Y.encodeStateAsUpdate(doc).byteLength
	binding.dispose()
	return result
}

export async function wireBytesScenario(): Promise<ScenarioResult> {
	const ours = measureDrag((store, doc) => bindStoreToYDoc({ store, doc, log: () => {} }))
	const baseline = measureDrag((store, doc) => {
		const stop = bindWholeRecordBaseline(store, doc)
		return { flush: () => store._flushHistory(), dispose: stop }
	})
	const ratio = ours.frameBytes / baseline.frameBytes
	return {
		id: '2 wire bytes',
		title: `Bytes of one sticky drag (${DRAG_FRAMES} frames)`,
		referenceLabel: 'whole-record YKeyValue',
		metrics: [
			metric('drag bytes on the wire (framed)', 'B', ours.frameBytes, baseline.frameBytes, { text: '≤ 0.33× baseline', met: ratio <= 1 / 3 }),
			metric('Yjs update bytes', 'B', ours.updateBytes, baseline.updateBytes),
			metric('updates sent', '', ours.updates, baseline.updates),
			metric('doc size after drag', 'B', ours.docBytesAfter, baseline.docBytesAfter),
		],
		details: { ours, baseline, dragFrames: DRAG_FRAMES },
		notes: [],
	}
}
