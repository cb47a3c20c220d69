/**
 * Y.Doc → store. Every record that arrives from the doc is checked and
 * validated on its own with tldraw's schema before it may enter the store; a
 * record that fails (buggy or hostile client) is skipped and logged and the
 * rest of the batch still applies. The store keeps its last valid version of
 * a skipped record; when the doc later holds a valid version, it appears.
 */
import type { TLRecord, TLStore } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { DOCUMENT_RECORD_TYPES, isDocumentRecordId } from '../../shared/docLayout'
import { yMapToRecord } from '../../shared/recordCodec'
import { jsonEqual } from './recordDiff'

export type RecordReadResult =
	| { kind: 'absent' }
	| { kind: 'invalid'; reason: string }
	| { kind: 'valid'; record: TLRecord }

/** Receives one line per skipped record. */
export type SyncLogger = (message: string) => void

export interface ApplyResult {
	put: number
	removed: number
	/** Records present in the doc whose value failed validation (not logged here). */
	invalid: Array<{ id: string; reason: string }>
}

function oneLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error)
	return text.replace(/\s+/g, ' ').trim().slice(0, 300)
}

/** Ids of records touched by a batch of observeDeep events on the records map. */
export function changedRecordIds(
	events: ReadonlyArray<Y.YEvent<Y.AbstractType<unknown>>>,
	records: Y.Map<Y.Map<unknown>>,
): Set<string> {
	const ids = new Set<string>()
	for (const event of events) {
		if (event.target === records) {
			for (const key of (event as Y.YMapEvent<unknown>).keysChanged) ids.add(key)
		} else {
			const first = event.path[0]
			if (typeof first === 'string') ids.add(first)
		}
	}
	return ids
}

/** Reads and validates one record of the doc against the store's schema. */
/**
 * Longest string a shape may carry (a sticky's text, a label…). tldraw lays
 * out text synchronously: one hostile 500,000-character sticky froze every
 * honest canvas that received it (test/e2e/hostile.e2e.test.ts). Assets
 * (inline images) are not shapes and are not limited here.
 */
export const MAX_SHAPE_STRING_LENGTH = 20_000

/** Length of the first string longer than `limit` anywhere in `value`, or null. Depth-bounded. */
export function findOversizeString(value: unknown, limit: number, depth = 0): number | null {
	if (typeof value === 'string') return value.length > limit ? value.length : null
	if (depth > 64 || typeof value !== 'object' || value === null) return null
	for (const inner of Array.isArray(value) ? value : Object.values(value)) {
		const found = findOversizeString(inner, limit, depth + 1)
		if (found !== null) return found
	}
	return null
}

export function readDocRecord(store: TLStore, records: Y.Map<Y.Map<unknown>>, id: string): RecordReadResult {
	if (!records.has(id)) return { kind: 'absent' }
	if (!isDocumentRecordId(id)) return { kind: 'invalid', reason: 'not a document record id' }
	const ymap: unknown = records.get(id)
	if (!(ymap instanceof Y.Map)) return { kind: 'invalid', reason: 'entry is not a Y.Map' }
	const raw = yMapToRecord(ymap as Y.Map<unknown>)
	if (raw.id !== id) return { kind: 'invalid', reason: `field id ${JSON.stringify(raw.id)} differs from its key` }
	if (raw.typeName !== id.slice(0, id.indexOf(':'))) return { kind: 'invalid', reason: 'typeName does not match id' }
	if (raw.typeName === 'shape') {
		const oversize = findOversizeString(raw, MAX_SHAPE_STRING_LENGTH)
		if (oversize !== null) return { kind: 'invalid', reason: `a text of ${oversize} characters (limit ${MAX_SHAPE_STRING_LENGTH})` }
	}
	const before = store.get(id as TLRecord['id']) ?? null
	try {
		const record = store.schema.validateRecord(
			store,
			raw as unknown as TLRecord,
			before ? 'updateRecord' : 'createRecord',
			before,
		)
		return { kind: 'valid', record }
	} catch (error) {
		return { kind: 'invalid', reason: oneLine(error) }
	}
}

const typeOrder = new Map<string, number>(DOCUMENT_RECORD_TYPES.map((type, i) => [type, i]))
function byTypeOrder(a: TLRecord, b: TLRecord): number {
	return (typeOrder.get(a.typeName) ?? 99) - (typeOrder.get(b.typeName) ?? 99)
}

export interface ApplyOptions {
	/** Logs failures of the store itself (invalid records are returned, not logged). */
	log: SyncLogger
	/**
	 * Remove store document records that are absent from the doc although not
	 * listed in `ids` (initial load: the doc replaces the store's defaults).
	 */
	removeUnlisted?: boolean
}

/**
 * tldraw caches geometry and text layout by the identity of `props` (and
 * compares `meta` likewise), so a remote move that hands it new but equal
 * objects re-measures the sticky's text on every frame of a drag. Keep the
 * store's own objects where their content did not change.
 */
function withUnchangedPartsReused(current: TLRecord, next: TLRecord): TLRecord {
	const currentFields = current as unknown as Record<string, unknown>
	const nextFields = next as unknown as Record<string, unknown>
	let result: Record<string, unknown> | null = null
	for (const field of ['props', 'meta']) {
		if (field in currentFields && currentFields[field] !== nextFields[field] && jsonEqual(currentFields[field], nextFields[field])) {
			result ??= { ...nextFields }
			result[field] = currentFields[field]
		}
	}
	return (result ?? nextFields) as unknown as TLRecord
}

/**
 * Brings the given record ids of the store in line with the doc in one
 * `mergeRemoteChanges`. Only records that differ from the store are put.
 */
export function applyDocRecordsToStore(
	store: TLStore,
	records: Y.Map<Y.Map<unknown>>,
	ids: Iterable<string>,
	options: ApplyOptions,
): ApplyResult {
	const puts: TLRecord[] = []
	const removals: TLRecord['id'][] = []
	const invalid: ApplyResult['invalid'] = []
	const seen = new Set<string>()
	for (const id of ids) {
		seen.add(id)
		if (!isDocumentRecordId(id)) {
			if (records.has(id)) invalid.push({ id, reason: 'not a document record id' })
			continue
		}
		const result = readDocRecord(store, records, id)
		if (result.kind === 'absent') {
			if (store.has(id as TLRecord['id'])) removals.push(id as TLRecord['id'])
		} else if (result.kind === 'invalid') {
			invalid.push({ id, reason: result.reason })
		} else {
			const current = store.get(result.record.id)
			if (!current) puts.push(result.record)
			else if (!jsonEqual(current, result.record)) puts.push(withUnchangedPartsReused(current, result.record))
		}
	}
	if (options.removeUnlisted) {
		for (const record of store.allRecords()) {
			if (!seen.has(record.id) && isDocumentRecordId(record.id) && !records.has(record.id)) removals.push(record.id)
		}
	}
	if (puts.length === 0 && removals.length === 0) return { put: 0, removed: 0, invalid }
	puts.sort(byTypeOrder)
	try {
		store.mergeRemoteChanges(() => {
			if (removals.length) store.remove(removals)
			if (puts.length) store.put(puts)
		})
	} catch (error) {
		// Should not happen (every record was validated), but a side effect may
		// still throw: retry record by record so one failure cannot block the rest.
		options.log(`[sync] batch failed, applying records one by one: ${oneLine(error)}`)
		applyOneByOne(store, puts, removals, options.log)
	}
	return { put: puts.length, removed: removals.length, invalid }
}

function applyOneByOne(store: TLStore, puts: TLRecord[], removals: TLRecord['id'][], log: SyncLogger): void {
	for (const id of removals) {
		try {
			store.mergeRemoteChanges(() => store.remove([id]))
		} catch (error) {
			log(`[sync] could not remove record ${id}: ${oneLine(error)}`)
		}
	}
	for (const record of puts) {
		try {
			store.mergeRemoteChanges(() => store.put([record]))
		} catch (error) {
			log(`[sync] skipped record ${record.id}: ${oneLine(error)}`)
		}
	}
}
