/**
 * Private writing mode (issue #4 §4), a plugin of the store binding
 * (client/sync/bindingPlugin.ts; `privateWritingPlugin` below): while it is on, the
 * notes this client creates are local-only. Their content, and every later
 * change to them (text, moves, deletion), stays out of the Y.Doc, so neither
 * the server nor the other participants see them, until the facilitator's
 * reveal writes them all to the doc in one transaction.
 *
 * - The registry of local-only notes is owned here; `meta.private = true` on
 *   the store record mirrors it for the UI (a "private" badge). Side effects
 *   keep the mirror exact for every source: the flag is added to registered
 *   notes and stripped from every other record (a pasted copy made with the
 *   mode off, or a doc record some other client wrote it into), so the flag
 *   never decides by itself what is held back and never reaches the doc.
 * - Bindings (arrows) that reference a private note are held back too and
 *   written on reveal; the arrow shape itself syncs.
 * - Undo/redo (Y.UndoManager on the doc) never sees private notes, and the
 *   reveal is written with an untracked origin, so undo cannot un-reveal.
 * - The reveal is written by a throwaway Y.Doc client id, so the Yjs item ids
 *   of revealed notes do not name the author's client (anonymous reveals).
 */
import type { RecordsDiff } from '@tldraw/store'
import { atom } from '@tldraw/state'
import type { TLBinding, TLNoteShape, TLPageId, TLParentId, TLRecord, TLShape, TLStore } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { ItemMetaKey } from '../../shared/items'
import { getRecordsMap } from '../../shared/recordCodec'
import type { BindingPlugin } from '../sync/bindingPlugin'
import { createMemoryStorage, createPrivateNotesStore, type PrivateNotesSnapshot, type PrivateNotesStore } from '../sync/privateNotesStore'
import { writeStoreChangesToY } from '../sync/storeToY'
import type { SyncLogger } from '../sync/yToStore'

/** Key in a note's `meta` that marks it as private (store only; never written to the doc while private). */
export const PRIVATE_META_KEY = 'private'

export interface RevealOptions {
	/** Removes `meta.author` (and tldraw's `textLastEditedBy`) from the revealed notes. */
	anonymous: boolean
	/** The session's `reveal` event id: a second reveal with an id already applied does nothing (also after a reload). */
	revealId?: string
}

export interface RevealResult {
	/** 'read-only': this client may not write the board (client too old); the notes stay private. */
	status: 'revealed' | 'already-revealed' | 'read-only'
	/** Notes written to the doc. */
	noteIds: string[]
	/** Held-back bindings written with them. */
	bindingIds: string[]
}

export interface PrivateWriting {
	/** While on, notes this client creates are private. Existing private notes stay private when it goes off. */
	setPrivateMode(on: boolean): void
	/** Reactive (tldraw signal). */
	isPrivateMode(): boolean
	/** Reactive: number of this client's private notes. */
	getPrivateNoteCount(): number
	isPrivate(recordId: string): boolean
	getPrivateNoteIds(): string[]
	/** Local store changes → the part that may go to the doc; the private part is persisted. */
	splitLocalChanges(changes: RecordsDiff<TLRecord>): RecordsDiff<TLRecord>
	/** Before remote doc changes are applied: notes of ours that another tab revealed leave the registry. */
	beforeRemoteApply(ids: Iterable<string>): void
	/** After remote doc changes: rescues private notes whose parent was deleted by someone else. */
	afterRemoteApply(): void
	/** Loads the persisted private notes into the store (after the doc was loaded). */
	restore(): void
	reveal(options: RevealOptions): RevealResult
	dispose(): void
}

export interface PrivateWritingOptions {
	store: TLStore
	doc: Y.Doc
	persisted: PrivateNotesStore
	log: SyncLogger
	canWrite(): boolean
	/** Pushes pending store changes through splitLocalChanges now. */
	flushPending(): void
	/** Origin of the reveal transaction (not tracked by undo). */
	revealOrigin: object
}

type Meta = Record<string, unknown>

const isNote = (record: TLRecord): record is TLNoteShape => record.typeName === 'shape' && record.type === 'note'
const isBinding = (record: TLRecord): record is TLBinding => record.typeName === 'binding'

function withMeta<T extends TLRecord>(record: T, meta: Meta): T {
	return { ...record, meta } as T
}

/** The record without `meta.private` (the same object when it has none). */
function withoutFlag<T extends TLRecord>(record: T): T {
	const meta = record.meta as Meta | undefined
	if (!meta || !(PRIVATE_META_KEY in meta)) return record
	const rest = { ...meta }
	delete rest[PRIVATE_META_KEY]
	return withMeta(record, rest)
}

/** Page position and rotation of a shape's origin (tldraw: parent transform × translate × rotate). */
function pagePlacement(store: TLStore, shape: TLShape): { pageId: TLPageId; x: number; y: number; rotation: number } | null {
	const chain: TLShape[] = [shape]
	let parentId: TLParentId = shape.parentId
	for (let depth = 0; depth < 100; depth++) {
		const parent = store.get(parentId)
		if (!parent) return null
		if (parent.typeName === 'page') {
			let x = 0
			let y = 0
			let rotation = 0
			for (const link of chain.reverse()) {
				const cos = Math.cos(rotation)
				const sin = Math.sin(rotation)
				;[x, y] = [x + link.x * cos - link.y * sin, y + link.x * sin + link.y * cos]
				rotation += link.rotation
			}
			return { pageId: parent.id, x, y, rotation }
		}
		if (parent.typeName !== 'shape') return null
		chain.push(parent)
		parentId = parent.parentId
	}
	return null
}

export function createPrivateWriting(options: PrivateWritingOptions): PrivateWriting {
	const { store, doc, persisted, log } = options
	const records = getRecordsMap(doc)
	const noteIds = new Set<string>()
	const heldBindingIds = new Set<string>()
	// `on` is what the side effects read (no signal capture inside store operations); $on mirrors it for the UI.
	let on = false
	const $on = atom('PrivateWriting.on', false)
	const setOn = (next: boolean) => {
		on = next
		$on.set(next)
	}
	const $count = atom('PrivateWriting.count', 0)
	const appliedReveals = new Set<string>()
	const refreshCount = () => $count.set(noteIds.size)

	const isLocalOnly = (record: TLRecord): boolean => {
		if (isNote(record)) return noteIds.has(record.id)
		if (isBinding(record)) return noteIds.has(record.fromId) || noteIds.has(record.toId)
		return false
	}
	const isHeld = (id: string) => noteIds.has(id) || heldBindingIds.has(id)

	/** Keeps `meta.private` equal to the registry, whatever wrote the record. */
	const mirrorFlag = <T extends TLShape>(record: T): T => {
		const meta = record.meta as Meta
		if (noteIds.has(record.id)) return meta[PRIVATE_META_KEY] === true ? record : withMeta(record, { ...meta, [PRIVATE_META_KEY]: true })
		return withoutFlag(record)
	}
	const register = (id: string) => {
		noteIds.add(id)
		refreshCount()
	}
	const offCreate = store.sideEffects.registerBeforeCreateHandler('shape', (shape, source) => {
		if (source === 'user' && shape.type === 'note' && on && !noteIds.has(shape.id) && !records.has(shape.id)) register(shape.id)
		return mirrorFlag(shape)
	})
	const offChange = store.sideEffects.registerBeforeChangeHandler('shape', (_prev, next) => mirrorFlag(next))

	const persist = (put: TLRecord[], remove: string[]) => {
		if (put.length === 0 && remove.length === 0) return
		if (!persisted.write({ put, remove, schema: store.schema.serialize() })) {
			log('[sync] could not store private notes locally (storage full or disabled): they will not survive a reload')
		}
	}

	/** Registry entries whose record left the store without a local change (e.g. removed with a remote delete). */
	const pruneMissing = (remove: string[]) => {
		for (const id of [...noteIds, ...heldBindingIds]) {
			if (store.has(id as TLRecord['id'])) continue
			noteIds.delete(id)
			heldBindingIds.delete(id)
			remove.push(id)
		}
		refreshCount()
	}

	function splitLocalChanges(changes: RecordsDiff<TLRecord>): RecordsDiff<TLRecord> {
		const toDoc: RecordsDiff<TLRecord> = { added: {}, updated: {}, removed: {} }
		const put: TLRecord[] = []
		const remove: string[] = []
		// Notes first, so bindings see the registry of this batch. Registration happens in the
		// before-create side effect; this catches notes created with side effects disabled.
		for (const record of Object.values(changes.added)) {
			if (isNote(record) && on && !noteIds.has(record.id) && !records.has(record.id)) register(record.id)
		}
		for (const record of Object.values(changes.added)) {
			if (!isLocalOnly(record)) {
				toDoc.added[record.id] = withoutFlag(record)
				continue
			}
			if (isBinding(record)) heldBindingIds.add(record.id)
			put.push(record)
		}
		for (const [id, pair] of Object.entries(changes.updated) as Array<[TLRecord['id'], [TLRecord, TLRecord]]>) {
			const [from, to] = pair
			const was = isHeld(id)
			const now = isLocalOnly(to)
			if (was && now) {
				put.push(to)
			} else if (was) {
				// A held binding now joins two shared shapes: the doc gets it whole.
				heldBindingIds.delete(id)
				remove.push(id)
				toDoc.added[id] = withoutFlag(to)
			} else if (now) {
				// A shared binding now points at a private note: it leaves the doc until the reveal.
				heldBindingIds.add(id)
				put.push(to)
				toDoc.removed[id] = from
			} else {
				// The flag never reaches the doc, even if side effects were off when it was set.
				toDoc.updated[id] = [withoutFlag(from), withoutFlag(to)]
			}
		}
		for (const record of Object.values(changes.removed)) {
			if (isHeld(record.id)) {
				noteIds.delete(record.id)
				heldBindingIds.delete(record.id)
				remove.push(record.id)
			} else {
				toDoc.removed[record.id] = record
			}
		}
		if (put.length || remove.length || noteIds.size || heldBindingIds.size) pruneMissing(remove)
		persist(put, remove)
		return toDoc
	}

	function beforeRemoteApply(ids: Iterable<string>): void {
		const remove: string[] = []
		for (const id of ids) {
			// Our private note is in the doc: another tab of ours revealed it. It is shared from now on.
			if (isHeld(id) && records.has(id)) {
				noteIds.delete(id)
				heldBindingIds.delete(id)
				remove.push(id)
			}
		}
		if (remove.length) {
			refreshCount()
			persist([], remove)
		}
		// Remember where private notes inside shared frames are, in case a frame goes away.
		placements.clear()
		for (const id of noteIds) {
			const note = store.get(id as TLRecord['id'])
			if (!note || note.typeName !== 'shape' || note.parentId.startsWith('page:')) continue
			const placement = pagePlacement(store, note)
			if (placement) placements.set(id, placement)
		}
	}
	const placements = new Map<string, NonNullable<ReturnType<typeof pagePlacement>>>()

	function afterRemoteApply(): void {
		const rescued: TLShape[] = []
		for (const id of noteIds) {
			const note = store.get(id as TLRecord['id'])
			if (!note || note.typeName !== 'shape' || store.has(note.parentId)) continue
			const placement = placements.get(id)
			const pageId = placement && store.has(placement.pageId) ? placement.pageId : firstPageId()
			if (!pageId) continue
			rescued.push(placement ? { ...note, parentId: pageId, x: placement.x, y: placement.y, rotation: placement.rotation } : { ...note, parentId: pageId })
		}
		placements.clear()
		if (rescued.length) {
			// Its shared parent was deleted by someone else: the note moves to the page, where it was.
			store.mergeRemoteChanges(() => store.put(rescued))
			persist(rescued, [])
		}
		const remove: string[] = []
		pruneMissing(remove)
		persist([], remove)
	}

	function firstPageId(): TLPageId | null {
		const pages = store.allRecords().filter((r) => r.typeName === 'page')
		pages.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))
		return (pages[0]?.id as TLPageId | undefined) ?? null
	}

	/**
	 * Persisted records that can enter the store: migrated from their schema,
	 * validated, and not already in the doc (then another tab revealed them).
	 */
	function readPersisted(snapshot: PrivateNotesSnapshot): { notes: TLNoteShape[]; bindings: TLBinding[]; dropped: string[] } {
		const notes: TLNoteShape[] = []
		const bindings: TLBinding[] = []
		const dropped: string[] = []
		for (const [id, raw] of Object.entries(snapshot.records)) {
			if (records.has(id) || (raw.typeName !== 'shape' && raw.typeName !== 'binding')) {
				dropped.push(id)
				continue
			}
			let record = raw as unknown as TLRecord
			if (snapshot.schema) {
				const migrated = store.schema.migratePersistedRecord(record, snapshot.schema, 'up')
				if (migrated.type === 'error') {
					log(`[sync] dropped private note ${id}: cannot migrate (${migrated.reason})`)
					dropped.push(id)
					continue
				}
				record = migrated.value
			}
			try {
				record = store.schema.validateRecord(store, record, 'createRecord', null)
			} catch (error) {
				log(`[sync] dropped invalid private note ${id}: ${error instanceof Error ? error.message : String(error)}`)
				dropped.push(id)
				continue
			}
			if (isNote(record)) notes.push(record)
			else if (isBinding(record)) bindings.push(record)
			else dropped.push(id)
		}
		return { notes, bindings, dropped }
	}

	function restore(): void {
		const snapshot = persisted.read()
		for (const id of snapshot.revealIds) appliedReveals.add(id)
		setOn(snapshot.on)
		const { notes, bindings, dropped } = readPersisted(snapshot)
		const pageId = firstPageId()
		const restoredNotes: TLNoteShape[] = []
		for (const note of notes) {
			if (store.has(note.id)) continue
			if (store.has(note.parentId)) restoredNotes.push(note)
			else if (pageId) restoredNotes.push({ ...note, parentId: pageId }) // its frame is gone
			else dropped.push(note.id)
		}
		const restoredIds = new Set<string>(restoredNotes.map((note) => note.id))
		const exists = (id: string) => restoredIds.has(id) || store.has(id as TLRecord['id'])
		const restoredBindings = bindings.filter((b) => {
			const keep = !store.has(b.id) && exists(b.fromId) && exists(b.toId) && (restoredIds.has(b.fromId) || restoredIds.has(b.toId))
			if (!keep) dropped.push(b.id)
			return keep
		})
		for (const id of restoredIds) noteIds.add(id)
		for (const binding of restoredBindings) heldBindingIds.add(binding.id)
		refreshCount()
		if (restoredNotes.length) {
			// Remote source: the store listener must not treat them as new local changes.
			store.mergeRemoteChanges(() => store.put([...restoredNotes, ...restoredBindings]))
		}
		if (dropped.length) persisted.write({ remove: dropped })
	}

	function revealed(note: TLNoteShape, anonymous: boolean): TLNoteShape {
		const meta: Meta = { ...(note.meta as Meta) }
		delete meta[PRIVATE_META_KEY]
		if (!anonymous) return { ...note, meta: meta as TLNoteShape['meta'] }
		delete meta[ItemMetaKey.author]
		return { ...note, meta: meta as TLNoteShape['meta'], props: { ...note.props, textLastEditedBy: null } }
	}

	function reveal({ anonymous, revealId }: RevealOptions): RevealResult {
		if (revealId !== undefined && appliedReveals.has(revealId)) return { status: 'already-revealed', noteIds: [], bindingIds: [] }
		if (!options.canWrite()) return { status: 'read-only', noteIds: [], bindingIds: [] }
		options.flushPending()

		const notes = new Map<string, TLNoteShape>()
		const bindings = new Map<string, TLBinding>()
		for (const id of noteIds) {
			const note = store.get(id as TLRecord['id'])
			if (note && isNote(note)) notes.set(id, note)
		}
		for (const id of heldBindingIds) {
			const binding = store.get(id as TLRecord['id'])
			if (binding && isBinding(binding)) bindings.set(id, binding)
		}
		// Notes another tab of this author wrote since this one loaded.
		const other = readPersisted(persisted.read())
		for (const note of other.notes) if (!notes.has(note.id) && !store.has(note.id)) notes.set(note.id, note)
		const pageId = firstPageId()
		for (const [id, note] of notes) {
			if (store.has(note.parentId)) continue
			if (pageId) notes.set(id, { ...note, parentId: pageId })
			else notes.delete(id)
		}
		const exists = (id: string) => notes.has(id) || store.has(id as TLRecord['id'])
		for (const binding of other.bindings) if (!bindings.has(binding.id) && !store.has(binding.id)) bindings.set(binding.id, binding)
		for (const [id, binding] of bindings) if (!exists(binding.fromId) || !exists(binding.toId)) bindings.delete(id)

		// Out of the registry first, so the side effects strip the flag when the doc's version comes back.
		noteIds.clear()
		heldBindingIds.clear()
		refreshCount()
		setOn(false)

		const added: RecordsDiff<TLRecord>['added'] = {}
		for (const note of notes.values()) added[note.id] = revealed(note, anonymous)
		for (const binding of bindings.values()) added[binding.id] = binding
		if (Object.keys(added).length) writeAnonymously(added)
		if (revealId !== undefined) appliedReveals.add(revealId)
		persisted.write({ clearRecords: true, on: false, ...(revealId !== undefined ? { revealId } : {}) })
		return { status: 'revealed', noteIds: [...notes.keys()], bindingIds: [...bindings.keys()] }
	}

	/**
	 * Writes records in one update made by a fresh Y.Doc client id. New keys need
	 * nothing from the board's state; a key that ever existed in the doc (a
	 * binding that was shared before) needs the state so the write wins over the
	 * key's earlier items.
	 */
	function writeAnonymously(added: RecordsDiff<TLRecord>['added']): void {
		const scratch = new Y.Doc()
		try {
			const knownKeys = Object.keys(added).some((id) => records._map.has(id))
			if (knownKeys) Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc))
			const before = Y.encodeStateVector(scratch)
			scratch.transact(() => writeStoreChangesToY(getRecordsMap(scratch), { added, updated: {}, removed: {} }))
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(scratch, before), options.revealOrigin)
		} finally {
			scratch.destroy()
		}
	}

	return {
		setPrivateMode(next) {
			if (on === next) return
			// Notes created before the switch keep the mode they were created in.
			options.flushPending()
			setOn(next)
			persisted.write({ on: next })
		},
		isPrivateMode: () => $on.get(),
		getPrivateNoteCount: () => $count.get(),
		isPrivate: (id) => isHeld(id),
		getPrivateNoteIds: () => [...noteIds],
		splitLocalChanges,
		beforeRemoteApply,
		afterRemoteApply,
		restore,
		reveal,
		dispose() {
			offCreate()
			offChange()
		},
	}
}

/** The private-writing controls the app uses, available once the plugin is attached to a binding. */
export interface PrivateWritingPlugin extends BindingPlugin {
	/** While on, notes this client creates stay out of the doc until `reveal`. Turning it off publishes nothing. */
	setPrivateMode(on: boolean): void
	/** Reactive (tldraw signal): safe inside `useValue`. */
	isPrivateMode(): boolean
	/** Reactive: how many private notes this client holds back. */
	getPrivateNoteCount(): number
	/** Whether a record is held back from the doc (a private note, or a binding to one). */
	isPrivate(recordId: string): boolean
	/**
	 * Writes every private note (and bindings to them) to the doc in one
	 * transaction, without `meta.private` (and without `meta.author` when
	 * anonymous), clears the local copy and turns private mode off. A
	 * `revealId` already applied makes it a no-op.
	 */
	reveal(options: RevealOptions): RevealResult
}

/**
 * Private writing for one binding: pass it in `bindStoreToYDoc({ plugins: [...] })`.
 * `persisted` is where this client keeps its private notes across reloads
 * (`createPrivateNotesStore(boardId)`); default: memory only. Before it is
 * attached (and after the binding is disposed) it holds nothing and writes nothing.
 */
export function privateWritingPlugin(persisted: PrivateNotesStore = createPrivateNotesStore('memory', createMemoryStorage())): PrivateWritingPlugin {
	let attached: PrivateWriting | null = null
	/** The reveal of private notes: applied to the store like a remote change, never undone. */
	const revealOrigin = { binding: 'workshop-board/reveal' }
	return {
		attach(context) {
			if (attached) throw new Error('private writing is already attached to a binding')
			const writing = createPrivateWriting({ ...context, persisted, revealOrigin })
			attached = writing
			return {
				splitLocalChanges: (changes) => writing.splitLocalChanges(changes),
				afterLoad: () => writing.restore(),
				beforeRemoteApply: (ids) => writing.beforeRemoteApply(ids),
				afterRemoteApply: () => writing.afterRemoteApply(),
				dispose: () => writing.dispose(),
			}
		},
		setPrivateMode: (on) => attached?.setPrivateMode(on),
		isPrivateMode: () => attached?.isPrivateMode() ?? false,
		getPrivateNoteCount: () => attached?.getPrivateNoteCount() ?? 0,
		isPrivate: (recordId) => attached?.isPrivate(recordId) ?? false,
		reveal: (options) => attached?.reveal(options) ?? { status: 'read-only', noteIds: [], bindingIds: [] },
	}
}
