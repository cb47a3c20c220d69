/**
 * Local store changes → Y.Doc. Writes only what changed: a field is written
 * when it differs between the record's previous and next version (for `props`
 * and `meta`, per key), and only if the doc does not already hold that value.
 * Fields a collaborator changed concurrently are therefore never overwritten
 * by a stale copy.
 */
import type { RecordsDiff } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { NESTED_RECORD_FIELDS, isDocumentRecordId } from '../../shared/docLayout'
import { recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { isPlainObject, jsonEqual, unionKeys } from './recordDiff'

const nestedFields: ReadonlySet<string> = new Set(NESTED_RECORD_FIELDS)

/** tldraw record interfaces have no index signature; they are plain JSON objects. */
const plain = (record: TLRecord): PlainRecord => record as unknown as PlainRecord

function nestedToYMap(value: Record<string, unknown>): Y.Map<unknown> {
	const nested = new Y.Map<unknown>()
	for (const [key, inner] of Object.entries(value)) if (inner !== undefined) nested.set(key, inner)
	return nested
}

/**
 * Writes the change `from` → `to` into a record's Y.Map. With `from === null`
 * (record created locally, or unknown previous version) the Y.Map is made
 * equal to `to`, including removal of fields `to` does not have.
 */
export function writeRecordChange(ymap: Y.Map<unknown>, from: PlainRecord | null, to: PlainRecord): void {
	for (const field of unionKeys(from, to)) {
		const before = from ? from[field] : undefined
		const after = to[field]
		if (from && jsonEqual(before, after)) continue
		if (after === undefined) {
			if (ymap.has(field)) ymap.delete(field)
			continue
		}
		if (!nestedFields.has(field) || !isPlainObject(after)) {
			if (!jsonEqual(ymap.get(field), after)) ymap.set(field, after)
			continue
		}
		const nested = ymap.get(field)
		if (!(nested instanceof Y.Map)) {
			ymap.set(field, nestedToYMap(after))
			continue
		}
		const nestedBefore = from && isPlainObject(before) ? before : null
		for (const key of unionKeys(nestedBefore, after)) {
			const value = after[key]
			if (nestedBefore && jsonEqual(nestedBefore[key], value)) continue
			if (value === undefined) {
				if (nested.has(key)) nested.delete(key)
			} else if (!jsonEqual(nested.get(key), value)) {
				nested.set(key, value)
			}
		}
		if (!from || !nestedBefore) {
			for (const key of [...nested.keys()]) if (after[key] === undefined) nested.delete(key)
		}
	}
	if (!from) {
		for (const field of [...ymap.keys()]) if (to[field] === undefined) ymap.delete(field)
	}
}

/**
 * Applies one store history entry to the records map. Call inside a
 * `doc.transact`. Returns the number of records touched.
 */
export function writeStoreChangesToY(records: Y.Map<Y.Map<unknown>>, changes: RecordsDiff<TLRecord>): number {
	let touched = 0
	for (const record of Object.values(changes.added)) {
		if (!isDocumentRecordId(record.id)) continue
		const existing = records.get(record.id)
		if (existing instanceof Y.Map) writeRecordChange(existing, null, plain(record))
		else records.set(record.id, recordToYMap(plain(record)))
		touched++
	}
	for (const [from, to] of Object.values(changes.updated)) {
		if (!isDocumentRecordId(to.id)) continue
		const existing: unknown = records.get(to.id)
		if (existing instanceof Y.Map) {
			writeRecordChange(existing, plain(from), plain(to))
		} else if (records.has(to.id)) {
			// Garbage under this id (not a Y.Map): replace it with our valid record.
			records.set(to.id, recordToYMap(plain(to)))
		} else {
			// Deleted by a collaborator concurrently: the delete wins; the store
			// drops the record when the deletion is applied right after.
			continue
		}
		touched++
	}
	for (const record of Object.values(changes.removed)) {
		if (!isDocumentRecordId(record.id)) continue
		if (records.has(record.id)) {
			records.delete(record.id)
			touched++
		}
	}
	return touched
}

/** Writes the store's document records into an empty doc (first client of a board). */
export function seedDocFromStore(records: Y.Map<Y.Map<unknown>>, storeRecords: Iterable<TLRecord>): number {
	let written = 0
	for (const record of storeRecords) {
		if (!isDocumentRecordId(record.id) || records.has(record.id)) continue
		records.set(record.id, recordToYMap(plain(record)))
		written++
	}
	return written
}
