/**
 * The tldraw schema stored in the doc decides who may write: a client whose
 * schema is newer migrates the doc's records up and writes its schema; a
 * client whose schema is older (or whose Y.Doc layout version is older) never
 * writes, because it would write records in a shape newer clients no longer
 * accept.
 */
import { MigrationFailureReason, type SerializedSchema, type SerializedSchemaV2 } from '@tldraw/store'
import type { TLRecord, TLStore } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { BOARD_META_MAP, BoardMetaKey, DOC_LAYOUT_VERSION } from '../../shared/docLayout'
import { migrateDocLayout } from '../../shared/docMigrations'
import { getRecordsMap, yMapToRecord, type PlainRecord } from '../../shared/recordCodec'
import { isPlainObject, jsonEqual } from './recordDiff'
import { writeRecordChange } from './storeToY'

export type SchemaRelation =
	/** The doc has no (readable) schema yet: write ours. */
	| { kind: 'missing' }
	| { kind: 'same' }
	/** The doc was written by an older client: migrate up, then write our schema. */
	| { kind: 'older'; docSchema: SerializedSchema }
	/** The doc was written by a newer client: this client must not write. */
	| { kind: 'newer'; reason: string }

function isSerializedSchema(value: unknown): value is SerializedSchema {
	if (!isPlainObject(value)) return false
	if (value.schemaVersion === 2) {
		return isPlainObject(value.sequences) && Object.values(value.sequences).every((v) => Number.isInteger(v))
	}
	return value.schemaVersion === 1 && typeof value.storeVersion === 'number' && isPlainObject(value.recordVersions)
}

/** Compares the schema stored in a doc with the client's. */
export function compareSchemas(store: TLStore, docSchema: unknown, docLayoutVersion: unknown): SchemaRelation {
	if (typeof docLayoutVersion === 'number' && docLayoutVersion > DOC_LAYOUT_VERSION) {
		return { kind: 'newer', reason: `board layout version ${docLayoutVersion} > ${DOC_LAYOUT_VERSION}` }
	}
	if (docSchema === undefined || docSchema === null || !isSerializedSchema(docSchema)) return { kind: 'missing' }
	const ours = store.schema.serialize()
	if (docSchema.schemaVersion === 2) {
		let older = false
		for (const [sequenceId, theirVersion] of Object.entries(docSchema.sequences)) {
			const ourVersion = ours.sequences[sequenceId]
			if (ourVersion === undefined) return { kind: 'newer', reason: `unknown migration sequence ${sequenceId}` }
			if (theirVersion > ourVersion) {
				return { kind: 'newer', reason: `${sequenceId} is at version ${theirVersion}, this client knows ${ourVersion}` }
			}
			if (theirVersion < ourVersion) older = true
		}
		for (const sequenceId of Object.keys(ours.sequences)) {
			if (!(sequenceId in docSchema.sequences)) older = true
		}
		if (!older) return { kind: 'same' }
	}
	const migrations = store.schema.getMigrationsSince(docSchema)
	if (!migrations.ok) return { kind: 'newer', reason: `cannot migrate from the board's schema: ${migrations.error}` }
	return migrations.value.length === 0 ? { kind: 'same' } : { kind: 'older', docSchema }
}

export function readDocSchema(doc: Y.Doc): { schema: unknown; layoutVersion: unknown } {
	const meta = doc.getMap<unknown>(BOARD_META_MAP)
	return { schema: meta.get(BoardMetaKey.tldrawSchema), layoutVersion: meta.get(BoardMetaKey.layoutVersion) }
}

/** Stamps the client's schema and layout version into the doc. Call inside a transaction. */
export function writeDocSchema(doc: Y.Doc, schema: SerializedSchemaV2): void {
	const meta = doc.getMap<unknown>(BOARD_META_MAP)
	if (!jsonEqual(meta.get(BoardMetaKey.tldrawSchema), schema)) meta.set(BoardMetaKey.tldrawSchema, schema)
	// The layout's named migrations (shared/docMigrations.ts) stamp DOC_LAYOUT_VERSION.
	migrateDocLayout(doc)
}

export interface MigrationReport {
	migrated: number
	failed: Array<{ id: string; reason: string }>
}

function migrateOne(store: TLStore, raw: Record<string, unknown>, docSchema: SerializedSchema) {
	return store.schema.migratePersistedRecord(raw as unknown as TLRecord, docSchema, 'up')
}

/**
 * Migrates every record of the doc from `docSchema` to the store's schema and
 * writes the changed fields plus the new schema back, in one transaction.
 * A record whose migration fails is left as it is (it will fail validation
 * and be skipped, like any invalid record).
 */
export function migrateDocRecords(store: TLStore, doc: Y.Doc, docSchema: SerializedSchema, origin: unknown): MigrationReport {
	const records = getRecordsMap(doc)
	const originals = new Map<string, Record<string, unknown>>()
	for (const [id, ymap] of records.entries()) {
		if (ymap instanceof Y.Map) originals.set(id, yMapToRecord(ymap))
	}
	const migratedById = new Map<string, Record<string, unknown>>()
	const failed: MigrationReport['failed'] = []
	let needsSnapshot = false
	for (const [id, raw] of originals) {
		const result = migrateOne(store, raw, docSchema)
		if (result.type === 'success') migratedById.set(id, result.value as unknown as Record<string, unknown>)
		else if (result.reason === MigrationFailureReason.TargetVersionTooNew) needsSnapshot = true
		else failed.push({ id, reason: result.reason })
	}
	let snapshotIds = new Set<string>()
	if (needsSnapshot) {
		// Storage-scoped (legacy) migrations cannot run per record: migrate the whole
		// snapshot. Records of types this schema does not know are left out, so one
		// garbage record cannot make the whole migration fail.
		const known = [...originals].filter(([, raw]) => typeof raw.typeName === 'string' && raw.typeName in store.schema.types)
		snapshotIds = new Set(known.map(([id]) => id))
		const snapshot = { schema: docSchema, store: Object.fromEntries(known) as unknown as Record<string, TLRecord> }
		const result = store.schema.migrateStoreSnapshot(snapshot as Parameters<TLStore['schema']['migrateStoreSnapshot']>[0])
		migratedById.clear()
		failed.length = 0
		if (result.type === 'success') {
			for (const [id, record] of Object.entries(result.value)) migratedById.set(id, record as unknown as Record<string, unknown>)
		} else {
			for (const id of snapshotIds) failed.push({ id, reason: result.reason })
			snapshotIds.clear()
		}
	}
	let migrated = 0
	doc.transact(() => {
		for (const [id, next] of migratedById) {
			const before = originals.get(id)
			const ymap = records.get(id)
			if (!before || jsonEqual(before, next) || !(ymap instanceof Y.Map)) continue
			writeRecordChange(ymap, before as PlainRecord, next as PlainRecord)
			migrated++
		}
		// Records a successful snapshot migration dropped are deleted from the doc too.
		for (const id of snapshotIds) if (!migratedById.has(id)) records.delete(id)
		writeDocSchema(doc, store.schema.serialize())
	}, origin)
	return { migrated, failed }
}
