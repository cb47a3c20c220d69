/**
 * The author's own copy of their private notes (private writing mode, issue
 * #4 §4). Private notes never enter the Y.Doc, so neither the server nor the
 * doc's IndexedDB copy holds them: this store keeps them, per board, in
 * localStorage (or any storage with the same three methods) so they survive a
 * reload until the facilitator reveals them.
 *
 * One JSON value per board under `workshop-board:private-notes:<boardId>`:
 *
 * ```json
 * { "version": 1, "schema": <tldraw SerializedSchema>, "on": true,
 *   "records": { "shape:…": <TLNoteShape>, "binding:…": <TLBinding> }, "revealIds": ["…"] }
 * ```
 *
 * - `schema` is the tldraw schema the records were written in: a newer app
 *   migrates them with tldraw's own migrations when it restores them.
 * - `on` is the last private-mode flag this client knew, so a reload starts in
 *   private mode before the session channel has answered.
 * - `revealIds` are the reveal events already applied (newest last), so a
 *   repeated event is a no-op even after a reload.
 *
 * Writes are read-modify-write per record, so two tabs of the same author
 * keep each other's notes. Reads never throw: a corrupt value counts as empty.
 */
import type { SerializedSchema } from '@tldraw/store'

/** The subset of the Web Storage API used here (window.localStorage fits). */
export interface KeyValueStorage {
	getItem(key: string): string | null
	setItem(key: string, value: string): void
	removeItem(key: string): void
}

/** Version of the persisted value; bump it and add a step to `migratePersisted` when the layout changes. */
export const PRIVATE_NOTES_FORMAT_VERSION = 1
/** How many applied reveal ids are remembered. */
const MAX_REVEAL_IDS = 20

export interface PrivateNotesSnapshot {
	/** tldraw schema of `records` (null while nothing was written). */
	schema: SerializedSchema | null
	on: boolean
	/** Plain tldraw records, not validated: the binding migrates and validates them on restore. */
	records: Record<string, Record<string, unknown>>
	revealIds: string[]
}

export interface PrivateNotesChange {
	/** Records to write (whole records, replacing what is stored under their id). */
	put?: ReadonlyArray<{ id: string }>
	/** Record ids to delete. */
	remove?: Iterable<string>
	/** Deletes every record (reveal). */
	clearRecords?: boolean
	/** The schema `put` records are in (`store.schema.serialize()`). */
	schema?: SerializedSchema
	on?: boolean
	/** A reveal event that was applied. */
	revealId?: string
}

export interface PrivateNotesStore {
	readonly boardId: string
	read(): PrivateNotesSnapshot
	/** Applies `change` to what is stored now. Returns false if the storage refused (quota, disabled): the notes then live in memory only. */
	write(change: PrivateNotesChange): boolean
}

export const privateNotesStorageKey = (boardId: string) => `workshop-board:private-notes:${boardId}`

const emptySnapshot = (): PrivateNotesSnapshot => ({ schema: null, on: false, records: {}, revealIds: [] })

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Reads a stored value of any known version into the current snapshot shape. */
function migratePersisted(value: unknown): PrivateNotesSnapshot {
	if (!isObject(value) || value.version !== PRIVATE_NOTES_FORMAT_VERSION) return emptySnapshot()
	const records: PrivateNotesSnapshot['records'] = {}
	if (isObject(value.records)) {
		for (const [id, record] of Object.entries(value.records)) if (isObject(record) && record.id === id) records[id] = record
	}
	return {
		schema: isObject(value.schema) ? (value.schema as unknown as SerializedSchema) : null,
		on: value.on === true,
		records,
		revealIds: Array.isArray(value.revealIds) ? value.revealIds.filter((id): id is string => typeof id === 'string') : [],
	}
}

/** Storage that lives only as long as the page (tests, or when localStorage is unavailable). */
export function createMemoryStorage(): KeyValueStorage & { readonly data: Map<string, string> } {
	const data = new Map<string, string>()
	return {
		data,
		getItem: (key) => data.get(key) ?? null,
		setItem: (key, value) => void data.set(key, value),
		removeItem: (key) => void data.delete(key),
	}
}

function defaultStorage(): KeyValueStorage {
	try {
		if (typeof globalThis.localStorage !== 'undefined') return globalThis.localStorage
	} catch {
		// Access denied (e.g. storage disabled for the site): fall through.
	}
	return createMemoryStorage()
}

export function createPrivateNotesStore(boardId: string, storage: KeyValueStorage = defaultStorage()): PrivateNotesStore {
	const key = privateNotesStorageKey(boardId)
	const read = (): PrivateNotesSnapshot => {
		try {
			const text = storage.getItem(key)
			return text === null ? emptySnapshot() : migratePersisted(JSON.parse(text))
		} catch {
			return emptySnapshot()
		}
	}
	return {
		boardId,
		read,
		write(change) {
			const next = read()
			if (change.clearRecords) next.records = {}
			for (const id of change.remove ?? []) delete next.records[id]
			for (const record of change.put ?? []) next.records[record.id] = record as unknown as Record<string, unknown>
			if (change.schema) next.schema = change.schema
			if (change.on !== undefined) next.on = change.on
			if (change.revealId !== undefined && !next.revealIds.includes(change.revealId)) {
				next.revealIds = [...next.revealIds, change.revealId].slice(-MAX_REVEAL_IDS)
			}
			try {
				if (Object.keys(next.records).length === 0 && !next.on && next.revealIds.length === 0) storage.removeItem(key)
				else storage.setItem(key, JSON.stringify({ version: PRIVATE_NOTES_FORMAT_VERSION, ...next }))
				return true
			} catch {
				return false
			}
		},
	}
}
