/**
 * Conversion between plain tldraw records (JSON objects) and their Y.Doc
 * representation: one Y.Map per record whose `props` and `meta` are nested
 * Y.Maps. Shared by the client binding, the server's export and tests.
 */
import * as Y from 'yjs'
import { NESTED_RECORD_FIELDS, RECORDS_MAP } from './docLayout'

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
export type PlainRecord = { id: string; typeName: string; [field: string]: unknown }

const nestedFields: ReadonlySet<string> = new Set(NESTED_RECORD_FIELDS)

export function getRecordsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
	return doc.getMap<Y.Map<unknown>>(RECORDS_MAP)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Builds the Y.Map for a record. Must be inserted into a doc to be read back. */
export function recordToYMap(record: PlainRecord): Y.Map<unknown> {
	const ymap = new Y.Map<unknown>()
	for (const [field, value] of Object.entries(record)) {
		if (value === undefined) continue
		if (nestedFields.has(field) && isPlainObject(value)) {
			const nested = new Y.Map<unknown>()
			for (const [key, inner] of Object.entries(value)) {
				if (inner !== undefined) nested.set(key, inner)
			}
			ymap.set(field, nested)
		} else {
			ymap.set(field, value)
		}
	}
	return ymap
}

/**
 * Reads a record's Y.Map back into a plain object (no validation). Any shared
 * type a foreign client put anywhere (Y.Map, Y.Array, Y.Text…) is converted to
 * JSON, so a live Yjs object never leaks into the caller (the tldraw store
 * deep-freezes what it is given).
 */
export function yMapToRecord(ymap: Y.Map<unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {}
	for (const [field, value] of ymap.entries()) {
		out[field] = value instanceof Y.AbstractType ? (value.toJSON() as unknown) : value
	}
	return out
}

/** All records of a doc as plain objects keyed by id (no validation). */
export function readAllRecords(doc: Y.Doc): Map<string, Record<string, unknown>> {
	const result = new Map<string, Record<string, unknown>>()
	for (const [id, ymap] of getRecordsMap(doc).entries()) {
		if (ymap instanceof Y.Map) result.set(id, yMapToRecord(ymap))
	}
	return result
}
