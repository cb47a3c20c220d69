/**
 * The live binding between a tldraw store and a board's Y.Doc (layout in
 * shared/docLayout.ts): local document changes go to the doc field by field,
 * remote changes enter the store validated record by record, the schema in
 * the doc gates who may write, and undo covers only this client's changes.
 */
import type { HistoryEntry, RecordsDiff } from '@tldraw/store'
import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID, type TLRecord, type TLStore } from '@tldraw/tlschema'
import * as Y from 'yjs'
import type { IndexKey } from '@tldraw/utils'
import { BOARD_META_MAP, isDocumentRecordId } from '../../shared/docLayout'
import { getRecordsMap } from '../../shared/recordCodec'
import { flushStoreHistory } from '../tldrawInternals'
import type { BindingPlugin, BindingPluginHooks } from './bindingPlugin'
import { compareSchemas, migrateDocRecords, readDocSchema, writeDocSchema, type MigrationReport } from './schemaGate'
import { seedDocFromStore, writeStoreChangesToY } from './storeToY'
import { createBoardUndo, type BoardUndo } from './undo'
import { applyDocRecordsToStore, changedRecordIds, type SyncLogger } from './yToStore'

export type BindingStatus =
	/** Reading and writing. */
	| 'active'
	/** The board was written by a newer app version: read-only, the user should reload. */
	| 'client-too-old'
	| 'disposed'

export interface BindStoreOptions {
	store: TLStore
	/**
	 * The board's doc. Bind only once it holds the board's content (after the
	 * provider's first sync, or the local IndexedDB copy when offline): an
	 * empty doc is seeded with the store's default document and page.
	 */
	doc: Y.Doc
	/** One line per skipped record and per failure. Default: console.warn. */
	log?: SyncLogger
	/** Local transactions closer together than this form one undo step (ms, default 500; attachUndoToEditor overrides it). */
	undoCaptureTimeout?: number
	/**
	 * Features that hold records back from the doc, hooked into the sync steps
	 * (client/sync/bindingPlugin.ts), e.g. private writing
	 * (client/session/privateWriting.ts). Hooks run in this order.
	 */
	plugins?: readonly BindingPlugin[]
}

export interface BoardBinding {
	/** Transaction origin of this client's writes to the doc. */
	readonly localOrigin: object
	/** Undo/redo of this client's own changes; see attachUndoToEditor. */
	readonly undo: BoardUndo
	getStatus(): BindingStatus
	/** Why the binding is read-only ('client-too-old'), for logs and the reload message. */
	getStatusReason(): string | null
	onStatusChange(listener: (status: BindingStatus) => void): () => void
	/** Ids of doc records currently skipped because they are invalid. */
	getSkippedRecordIds(): string[]
	/** What the bind-time migration did, if the doc was written by an older schema. */
	readonly migration: MigrationReport | null
	/** Pushes pending local store changes to the doc now (normally once per frame). */
	flush(): void
	dispose(): void
}

/**
 * The store's document records, after adding tldraw's defaults if missing:
 * `document:document` and the page `page:page` (the ids tldraw itself uses,
 * so two fresh clients seeding at once write the same records, not two pages).
 */
function withDefaultDocumentRecords(store: TLStore): TLRecord[] {
	const missing: TLRecord[] = []
	if (!store.has(TLDOCUMENT_ID)) missing.push(DocumentRecordType.create({ id: TLDOCUMENT_ID }))
	if (store.query.ids('page').get().size === 0) {
		missing.push(PageRecordType.create({ id: PageRecordType.createId('page'), name: 'Page 1', index: 'a1' as IndexKey }))
	}
	// Remote source: the seed is written to the doc explicitly, not echoed.
	if (missing.length) store.mergeRemoteChanges(() => store.put(missing))
	return store.allRecords().filter((record) => isDocumentRecordId(record.id))
}

function isEmptyDiff(diff: RecordsDiff<TLRecord>): boolean {
	for (const part of [diff.added, diff.updated, diff.removed]) for (const _id in part) return false
	return true
}

/** Binds `store` to `doc` and loads the doc's content into the store. */
export function bindStoreToYDoc({
	store,
	doc,
	log = console.warn,
	undoCaptureTimeout,
	plugins = [],
}: BindStoreOptions): BoardBinding {
	const records = getRecordsMap(doc)
	const boardMeta = doc.getMap<unknown>(BOARD_META_MAP)
	const localOrigin = { binding: 'workshop-board', clientID: doc.clientID }
	const setupOrigin = { binding: 'workshop-board/setup', clientID: doc.clientID }

	let status: BindingStatus = 'active'
	let statusReason: string | null = null
	const statusListeners = new Set<(status: BindingStatus) => void>()
	const setStatus = (next: BindingStatus, reason: string | null) => {
		if (status === next || status === 'disposed') return
		status = next
		statusReason = reason
		if (next === 'client-too-old') log(`[sync] board written by a newer version, not writing: ${reason}`)
		for (const listener of statusListeners) listener(next)
	}
	const canWrite = () => status === 'active'

	// Skipped records, logged once per distinct reason (a hostile record must not flood the console).
	const skipped = new Map<string, string>()
	const noteInvalid = (invalid: Array<{ id: string; reason: string }>, checkedIds: Iterable<string>) => {
		const nowInvalid = new Set(invalid.map((entry) => entry.id))
		for (const id of checkedIds) if (!nowInvalid.has(id)) skipped.delete(id)
		for (const { id, reason } of invalid) {
			if (skipped.get(id) === reason) continue
			skipped.set(id, reason)
			log(`[sync] skipped invalid record ${id}: ${reason}`)
		}
	}

	// 1. Schema gate (and migration of an older doc).
	let migration: MigrationReport | null = null
	const initial = readDocSchema(doc)
	const relation = compareSchemas(store, initial.schema, initial.layoutVersion)
	if (relation.kind === 'newer') {
		setStatus('client-too-old', relation.reason)
	} else if (relation.kind === 'older' && records.size > 0) {
		migration = migrateDocRecords(store, doc, relation.docSchema, setupOrigin)
		for (const { id, reason } of migration.failed) log(`[sync] could not migrate record ${id}: ${reason}`)
	}

	// 2. First client of a board: the store's default document and page become the doc.
	if (canWrite()) {
		doc.transact(() => {
			if (records.size === 0) seedDocFromStore(records, withDefaultDocumentRecords(store))
			if (relation.kind !== 'newer') writeDocSchema(doc, store.schema.serialize())
		}, setupOrigin)
	}

	// Plugins (e.g. private notes, held back from the doc until the reveal).
	const hooks: BindingPluginHooks[] = plugins.map((plugin) => plugin.attach({ store, doc, log, canWrite, flushPending: () => flushStoreHistory(store) }))

	// 3. Local changes → doc, one transaction per store history batch.
	const onStoreChange = ({ changes: allChanges }: HistoryEntry<TLRecord>) => {
		// Plugins split off what they hold back (even while read-only, so nothing of theirs is lost).
		let changes = allChanges
		for (const hook of hooks) if (hook.splitLocalChanges) changes = hook.splitLocalChanges(changes)
		if (!canWrite()) return
		if (isEmptyDiff(changes)) return
		doc.transact(() => {
			writeStoreChangesToY(records, changes)
		}, localOrigin)
		// Our own write may have completed a record that was skipped (half-applied or
		// invalid in the doc): re-read those, as no remote event will come for them.
		if (skipped.size === 0) return
		const touched = [changes.added, changes.updated, changes.removed].flatMap((diff) => Object.keys(diff))
		const recheck = touched.filter((id) => skipped.has(id))
		if (recheck.length) noteInvalid(applyDocRecordsToStore(store, records, recheck, { log }).invalid, recheck)
	}
	const stopListening = store.listen(onStoreChange, { source: 'user', scope: 'document' })

	// 4. Load the doc into the store (replacing the store's own default records).
	const allIds = [...records.keys()]
	const loaded = applyDocRecordsToStore(store, records, allIds, { log, removeUnlisted: true })
	noteInvalid(loaded.invalid, allIds)
	// 4b. What plugins keep locally (this author's private notes: the doc never had them).
	for (const hook of hooks) hook.afterLoad?.()

	// 5. Remote changes → store.
	const onRecordsChanged = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => {
		if (transaction.origin === localOrigin || transaction.origin === setupOrigin) return
		// Local changes still waiting for the next frame go out first, so they
		// are neither lost nor reverted by what we are about to apply.
		flushStoreHistory(store)
		const ids = changedRecordIds(events, records)
		for (const hook of hooks) hook.beforeRemoteApply?.(ids)
		const result = applyDocRecordsToStore(store, records, ids, { log })
		noteInvalid(result.invalid, ids)
		for (const hook of hooks) hook.afterRemoteApply?.()
	}
	records.observeDeep(onRecordsChanged)

	const onMetaChanged = (_event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
		if (transaction.origin === localOrigin || transaction.origin === setupOrigin) return
		const current = readDocSchema(doc)
		const next = compareSchemas(store, current.schema, current.layoutVersion)
		if (next.kind === 'newer') setStatus('client-too-old', next.reason)
	}
	boardMeta.observe(onMetaChanged)

	const undo = createBoardUndo(records, {
		localOrigin,
		flushPending: () => flushStoreHistory(store),
		canWrite,
		captureTimeout: undoCaptureTimeout,
	})

	return {
		localOrigin,
		undo,
		migration,
		getStatus: () => status,
		getStatusReason: () => statusReason,
		onStatusChange(listener) {
			statusListeners.add(listener)
			return () => statusListeners.delete(listener)
		},
		getSkippedRecordIds: () => [...skipped.keys()],
		flush: () => flushStoreHistory(store),
		dispose() {
			if (status === 'disposed') return
			flushStoreHistory(store)
			stopListening()
			records.unobserveDeep(onRecordsChanged)
			boardMeta.unobserve(onMetaChanged)
			undo.destroy()
			status = 'disposed'
			for (const hook of hooks) hook.dispose?.()
			for (const listener of statusListeners) listener(status)
			statusListeners.clear()
		},
	}
}
