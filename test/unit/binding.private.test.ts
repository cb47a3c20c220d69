/**
 * Private writing mode, a plugin of the binding (issue #4 §4): notes created while it is
 * on stay out of the Y.Doc (and so out of the server and the other clients)
 * until the reveal, survive a reload from the author's local copy, and do not
 * disturb undo of shared changes.
 */
import { toRichText, type TLBinding, type TLNoteShape, type TLRecord, type TLShapeId, type TLStore } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { privateWritingPlugin, type PrivateWritingPlugin } from '../../client/session/privateWriting'
import { bindStoreToYDoc, type BoardBinding } from '../../client/sync/bindStoreToYDoc'
import {
	createMemoryStorage,
	createPrivateNotesStore,
	privateNotesStorageKey,
	type KeyValueStorage,
} from '../../client/sync/privateNotesStore'
import { getRecordsMap, recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { docRecords, getShape, makeGeo, makeNote, newStore, updateRecord } from './helpers/boardFixtures'
import { connectDoc } from './helpers/boardPeer'
import { YNetwork } from './helpers/yNetwork'

const BOARD = 'board-private-1'
const author = { id: 'participant-a', name: 'Ada' }

interface Peer {
	doc: Y.Doc
	store: TLStore
	binding: BoardBinding
	privateWriting: PrivateWritingPlugin
	storage: KeyValueStorage
	logs: string[]
}

function peer(net: YNetwork, clientID: number, storage: KeyValueStorage = createMemoryStorage()): Peer {
	const doc = connectDoc(net, clientID)
	const store = newStore()
	const logs: string[] = []
	const privateWriting = privateWritingPlugin(createPrivateNotesStore(BOARD, storage))
	const binding = bindStoreToYDoc({
		store,
		doc,
		log: (line) => logs.push(line),
		plugins: [privateWriting],
	})
	return { doc, store, binding, privateWriting, storage, logs }
}

/** A and B on one board; a shared sticky exists. */
function board(aClientID = 1) {
	const net = new YNetwork()
	const a = peer(net, aClientID)
	net.flush()
	const b = peer(net, 2)
	a.store.put([makeNote('shape:shared', 0, 0, 'shared')])
	a.binding.undo.stopCapturing()
	net.flush()
	return { net, a, b }
}

/** A typed item as the app creates it (kind, tags, author in meta). */
function item(id: string, text: string, x = 300, y = 300): TLNoteShape {
	const note = makeNote(id, x, y, text)
	return { ...note, meta: { kind: 'problem', tags: ['onboarding'], author, createdAt: 1, updatedAt: 1 } }
}

const setText = (store: TLStore, id: string, text: string) =>
	updateRecord<TLNoteShape>(store, id, (s) => ({ ...s, props: { ...s.props, richText: toRichText(text) } }))

const textOf = (store: TLStore, id: string) => JSON.stringify(getShape<TLNoteShape>(store, id)?.props.richText ?? null)
const docBytesContain = (doc: Y.Doc, needle: string) => new TextDecoder().decode(Y.encodeStateAsUpdate(doc)).includes(needle)

describe('private writing mode: held back from the doc', () => {
	it("A's new notes and every edit stay out of the doc; B never sees them; A's store has them, flagged", () => {
		const { net, a, b } = board()
		a.privateWriting.setPrivateMode(true)
		const updates: Uint8Array[] = []
		a.doc.on('update', (update: Uint8Array) => updates.push(update))

		a.store.put([item('shape:p1', 'secret idea one'), item('shape:p2', 'secret idea two', 600)])
		setText(a.store, 'shape:p1', 'secret idea one, edited')
		// Meta replaced without the flag (as a careless UI might): the note stays flagged and private.
		updateRecord<TLNoteShape>(a.store, 'shape:p2', (s) => ({ ...s, x: 900, meta: { kind: 'problem', tags: ['pricing'] } }))
		a.binding.flush()
		net.flush()

		expect(updates).toHaveLength(0)
		for (const doc of [a.doc, b.doc]) {
			expect(Object.keys(docRecords(doc)).sort()).toEqual(['document:document', 'page:page', 'shape:shared'])
			expect(docBytesContain(doc, 'secret')).toBe(false)
		}
		expect(getShape(b.store, 'shape:p1')).toBeUndefined()
		expect(getShape(b.store, 'shape:p2')).toBeUndefined()
		expect(textOf(a.store, 'shape:p1')).toContain('secret idea one, edited')
		expect(getShape<TLNoteShape>(a.store, 'shape:p2')).toMatchObject({ x: 900, meta: { private: true, tags: ['pricing'] } })
		expect(a.privateWriting.getPrivateNoteCount()).toBe(2)
		expect(a.privateWriting.isPrivate('shape:p1')).toBe(true)
		expect(a.privateWriting.isPrivate('shape:shared')).toBe(false)
	})

	it('shared shapes still sync both ways while private mode is on, without the flag', () => {
		const { net, a, b } = board()
		a.privateWriting.setPrivateMode(true)
		a.store.put([makeGeo('shape:frame-ish', 0, 0, 100, 100)])
		updateRecord<TLNoteShape>(a.store, 'shape:shared', (s) => ({ ...s, x: 42 }))
		net.flush()
		expect(getShape(b.store, 'shape:frame-ish')).toBeDefined()
		expect(getShape<TLNoteShape>(b.store, 'shape:shared')!.x).toBe(42)
		updateRecord<TLNoteShape>(b.store, 'shape:shared', (s) => ({ ...s, y: 77 }))
		net.flush()
		expect(getShape<TLNoteShape>(a.store, 'shape:shared')).toMatchObject({ y: 77, meta: {} })
	})

	it('a private note deleted before the reveal is just gone: never sent, no longer stored locally', () => {
		const { net, a, b } = board()
		a.privateWriting.setPrivateMode(true)
		a.store.put([item('shape:gone', 'never mind')])
		a.binding.flush()
		expect(a.storage.getItem(privateNotesStorageKey(BOARD))).toContain('never mind')
		a.store.remove(['shape:gone' as TLShapeId])
		a.binding.flush()
		net.flush()
		expect(a.storage.getItem(privateNotesStorageKey(BOARD)) ?? '').not.toContain('never mind')
		expect(a.privateWriting.reveal({ anonymous: false, revealId: 'reveal-1' }).noteIds).toEqual([])
		net.flush()
		expect(getShape(b.store, 'shape:gone')).toBeUndefined()
		expect(docRecords(b.doc)['shape:gone']).toBeUndefined()
	})

	it('turning the mode off: new notes sync normally, existing private notes stay private', () => {
		const { net, a, b } = board()
		a.privateWriting.setPrivateMode(true)
		a.store.put([item('shape:early', 'before off')])
		a.privateWriting.setPrivateMode(false)
		a.store.put([item('shape:late', 'after off', 700)])
		setText(a.store, 'shape:early', 'before off, edited after')
		net.flush()
		expect(getShape<TLNoteShape>(b.store, 'shape:late')).toMatchObject({ meta: { kind: 'problem' } })
		expect(getShape<TLNoteShape>(b.store, 'shape:late')!.meta).not.toHaveProperty('private')
		expect(getShape(b.store, 'shape:early')).toBeUndefined()
		expect(docRecords(a.doc)['shape:early']).toBeUndefined()
		expect(a.privateWriting.isPrivateMode()).toBe(false)
	})

	it('pasting with the mode on makes another private note; a copy pasted with the mode off is shared, without the flag', () => {
		const { net, a, b } = board()
		a.privateWriting.setPrivateMode(true)
		a.store.put([item('shape:orig', 'original')])
		const copy = (id: string) => ({ ...getShape<TLNoteShape>(a.store, 'shape:orig')!, id: id as TLShapeId })
		a.store.put([copy('shape:copy-on')])
		a.privateWriting.setPrivateMode(false)
		a.store.put([copy('shape:copy-off')])
		net.flush()
		expect(a.privateWriting.isPrivate('shape:copy-on')).toBe(true)
		expect(getShape(b.store, 'shape:copy-on')).toBeUndefined()
		expect(getShape<TLNoteShape>(a.store, 'shape:copy-off')!.meta).not.toHaveProperty('private')
		expect(docRecords(b.doc)['shape:copy-off']!.meta).toEqual({ kind: 'problem', tags: ['onboarding'], author, createdAt: 1, updatedAt: 1 })
	})

	it('a flag some other client wrote into the doc means nothing: the note is shared and our edits sync', () => {
		const { net, a, b } = board()
		const hostile = { ...makeNote('shape:flagged', 0, 0, 'x'), meta: { private: true } }
		b.doc.transact(() => getRecordsMap(b.doc).set('shape:flagged', recordToYMap(hostile as unknown as PlainRecord)))
		net.flush()
		expect(getShape<TLNoteShape>(a.store, 'shape:flagged')!.meta).toEqual({})
		expect(a.privateWriting.isPrivate('shape:flagged')).toBe(false)
		updateRecord<TLNoteShape>(a.store, 'shape:flagged', (s) => ({ ...s, x: 5 }))
		net.flush()
		expect(docRecords(b.doc)['shape:flagged']).toMatchObject({ x: 5 })
		// Same when the flag arrives as a later change of a shared note.
		b.doc.transact(() => (getRecordsMap(b.doc).get('shape:shared')!.get('meta') as Y.Map<unknown>).set('private', true))
		net.flush()
		expect(getShape<TLNoteShape>(a.store, 'shape:shared')!.meta).toEqual({})
		updateRecord<TLNoteShape>(a.store, 'shape:shared', (s) => ({ ...s, y: 9 }))
		net.flush()
		expect(docRecords(b.doc)['shape:shared']).toMatchObject({ y: 9 })
	})
})

describe('private writing mode: reload', () => {
	it('private notes survive a reload of the author (same local storage), still out of the doc', () => {
		const { net, a, b } = board()
		a.privateWriting.setPrivateMode(true)
		a.store.put([item('shape:p1', 'kept across reload')])
		setText(a.store, 'shape:p1', 'kept across reload, v2')
		a.binding.dispose()

		const reloaded = peer(net, 3, a.storage)
		net.flush()
		expect(textOf(reloaded.store, 'shape:p1')).toContain('kept across reload, v2')
		expect(getShape<TLNoteShape>(reloaded.store, 'shape:p1')!.meta).toMatchObject({ private: true, author })
		expect(reloaded.privateWriting.isPrivateMode()).toBe(true) // the last known mode, before the session answers
		expect(reloaded.privateWriting.getPrivateNoteCount()).toBe(1)

		setText(reloaded.store, 'shape:p1', 'kept across reload, v3')
		reloaded.binding.flush()
		net.flush()
		for (const doc of [reloaded.doc, b.doc]) expect(docRecords(doc)['shape:p1']).toBeUndefined()
		expect(getShape(b.store, 'shape:p1')).toBeUndefined()

		// The reveal after the reload publishes the latest text.
		reloaded.privateWriting.reveal({ anonymous: false, revealId: 'reveal-1' })
		net.flush()
		expect(textOf(b.store, 'shape:p1')).toContain('kept across reload, v3')
	})

	it('a private note whose frame was deleted meanwhile comes back on the page; corrupt storage counts as empty', () => {
		const net = new YNetwork()
		const storage = createMemoryStorage()
		const a = peer(net, 1, storage)
		a.store.put([makeGeo('shape:frame', 1000, 500, 400, 400)])
		a.privateWriting.setPrivateMode(true)
		a.store.put([{ ...item('shape:inside', 'in frame', 10, 20), parentId: 'shape:frame' as TLShapeId }])
		a.binding.dispose()
		const b = peer(net, 2)
		b.store.remove(['shape:frame' as TLShapeId])
		net.flush()

		const reloaded = peer(net, 3, storage)
		expect(getShape<TLNoteShape>(reloaded.store, 'shape:inside')).toMatchObject({ parentId: 'page:page' })
		expect(reloaded.privateWriting.isPrivate('shape:inside')).toBe(true)

		storage.setItem(privateNotesStorageKey(BOARD), '{not json')
		const broken = peer(net, 4, storage)
		expect(broken.privateWriting.getPrivateNoteCount()).toBe(0)
		expect(broken.privateWriting.isPrivateMode()).toBe(false)
	})
})

describe('private writing mode: reveal', () => {
	function withPrivateNotes(aClientID?: number) {
		const { net, a, b } = board(aClientID)
		a.privateWriting.setPrivateMode(true)
		a.store.put([item('shape:p1', 'first secret'), item('shape:p2', 'second secret', 600)])
		updateRecord<TLNoteShape>(a.store, 'shape:p1', (s) => ({ ...s, props: { ...s.props, textLastEditedBy: 'participant-a' } }))
		net.flush()
		expect(getShape(b.store, 'shape:p1')).toBeUndefined()
		return { net, a, b }
	}

	it('named: B sees the notes with their text, kind, tags and author; no flag anywhere; one transaction', () => {
		const { net, a, b } = withPrivateNotes()
		const updates: Uint8Array[] = []
		a.doc.on('update', (update: Uint8Array) => updates.push(update))
		const result = a.privateWriting.reveal({ anonymous: false, revealId: 'reveal-1' })
		net.flush()

		expect(result).toMatchObject({ status: 'revealed' })
		expect(result.noteIds.sort()).toEqual(['shape:p1', 'shape:p2'])
		expect(updates).toHaveLength(1)
		expect(textOf(b.store, 'shape:p1')).toContain('first secret')
		expect(textOf(b.store, 'shape:p2')).toContain('second secret')
		for (const store of [a.store, b.store]) {
			expect(getShape<TLNoteShape>(store, 'shape:p1')!.meta).toEqual({ kind: 'problem', tags: ['onboarding'], author, createdAt: 1, updatedAt: 1 })
		}
		expect(docRecords(b.doc)['shape:p1']!.meta).not.toHaveProperty('private')
		expect(a.privateWriting.getPrivateNoteCount()).toBe(0)
		expect(a.privateWriting.isPrivateMode()).toBe(false)
		expect(a.storage.getItem(privateNotesStorageKey(BOARD)) ?? '').not.toContain('secret')

		// From now on they sync like any note, both ways.
		setText(a.store, 'shape:p1', 'first, after reveal')
		updateRecord<TLNoteShape>(b.store, 'shape:p2', (s) => ({ ...s, x: 5 }))
		net.flush()
		expect(textOf(b.store, 'shape:p1')).toContain('first, after reveal')
		expect(getShape<TLNoteShape>(a.store, 'shape:p2')!.x).toBe(5)
	})

	it("anonymous: no author (meta or textLastEditedBy) and the doc's items are not written by the author's client id", () => {
		const { net, a, b } = withPrivateNotes()
		a.privateWriting.reveal({ anonymous: true, revealId: 'reveal-anon' })
		net.flush()
		for (const store of [a.store, b.store]) {
			const note = getShape<TLNoteShape>(store, 'shape:p1')!
			expect(note.meta).toEqual({ kind: 'problem', tags: ['onboarding'], createdAt: 1, updatedAt: 1 })
			expect(note.props.textLastEditedBy).toBeNull()
			expect(textOf(store, 'shape:p1')).toContain('first secret')
		}
		expect(docBytesContain(b.doc, 'participant-a')).toBe(false)
		const item = getRecordsMap(b.doc)._map.get('shape:p1')!
		expect(item.id.client).not.toBe(a.doc.clientID)
	})

	it('a second reveal with the same id does nothing, also after a reload; a new id reveals what was written since', () => {
		const { net, a, b } = withPrivateNotes()
		a.privateWriting.reveal({ anonymous: false, revealId: 'reveal-1' })
		a.privateWriting.setPrivateMode(true)
		a.store.put([item('shape:p3', 'written after the first reveal')])
		expect(a.privateWriting.reveal({ anonymous: false, revealId: 'reveal-1' })).toMatchObject({ status: 'already-revealed', noteIds: [] })
		net.flush()
		expect(getShape(b.store, 'shape:p3')).toBeUndefined()

		a.binding.dispose()
		const reloaded = peer(net, 3, a.storage)
		expect(reloaded.privateWriting.reveal({ anonymous: false, revealId: 'reveal-1' }).status).toBe('already-revealed')
		net.flush()
		expect(getShape(b.store, 'shape:p3')).toBeUndefined()

		expect(reloaded.privateWriting.reveal({ anonymous: false, revealId: 'reveal-2' }).noteIds).toEqual(['shape:p3'])
		net.flush()
		expect(textOf(b.store, 'shape:p3')).toContain('written after the first reveal')
	})

	it('arrow bindings to a private note are held back (the arrow syncs) and written with the reveal', () => {
		const { net, a, b } = withPrivateNotes()
		a.store.put([makeGeo('shape:arrowish', 0, 400, 50, 50)])
		const binding: TLBinding = {
			id: 'binding:to-p1' as TLBinding['id'],
			typeName: 'binding',
			type: 'arrow',
			fromId: 'shape:arrowish' as TLShapeId,
			toId: 'shape:p1' as TLShapeId,
			props: { terminal: 'end', normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
			meta: {},
		}
		a.store.put([binding as TLRecord])
		net.flush()
		expect(getShape(b.store, 'shape:arrowish')).toBeDefined()
		expect(docRecords(b.doc)['binding:to-p1']).toBeUndefined()
		expect(a.privateWriting.isPrivate('binding:to-p1')).toBe(true)

		a.privateWriting.reveal({ anonymous: false, revealId: 'reveal-1' })
		net.flush()
		expect(b.store.get('binding:to-p1' as TLBinding['id'])).toMatchObject({ fromId: 'shape:arrowish', toId: 'shape:p1' })
	})

	it('a shared binding re-pointed at a private note leaves the doc until the reveal, then comes back', () => {
		// The highest client id: the reveal's throwaway client sorts before A's earlier write of the same key.
		const { net, a, b } = withPrivateNotes(0xffffffff)
		a.store.put([makeGeo('shape:arrowish', 0, 400, 50, 50)])
		const binding: TLBinding = {
			id: 'binding:moving' as TLBinding['id'],
			typeName: 'binding',
			type: 'arrow',
			fromId: 'shape:arrowish' as TLShapeId,
			toId: 'shape:shared' as TLShapeId,
			props: { terminal: 'end', normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
			meta: {},
		}
		a.store.put([binding as TLRecord])
		net.flush()
		expect(b.store.get(binding.id)).toMatchObject({ toId: 'shape:shared' })
		a.store.put([{ ...binding, toId: 'shape:p2' as TLShapeId } as TLRecord])
		net.flush()
		expect(b.store.get(binding.id)).toBeUndefined()
		expect(docRecords(b.doc)['binding:moving']).toBeUndefined()
		a.privateWriting.reveal({ anonymous: true, revealId: 'reveal-1' })
		net.flush()
		expect(b.store.get(binding.id)).toMatchObject({ toId: 'shape:p2' })
		expect(docRecords(a.doc)['binding:moving']).toMatchObject({ toId: 'shape:p2' })
	})

	it('a private note inside a shared frame: B deleting the frame leaves the note private, on the page, where it was', () => {
		const { net, a, b } = board()
		a.store.put([makeGeo('shape:frame', 1000, 500, 400, 400)])
		net.flush()
		a.privateWriting.setPrivateMode(true)
		a.store.put([{ ...item('shape:inside', 'in frame', 10, 20), parentId: 'shape:frame' as TLShapeId }])
		net.flush()
		b.store.remove(['shape:frame' as TLShapeId])
		net.flush()
		expect(getShape<TLNoteShape>(a.store, 'shape:inside')).toMatchObject({ parentId: 'page:page', x: 1010, y: 520 })
		expect(docRecords(a.doc)['shape:inside']).toBeUndefined()
		a.privateWriting.reveal({ anonymous: false, revealId: 'reveal-1' })
		net.flush()
		expect(getShape<TLNoteShape>(b.store, 'shape:inside')).toMatchObject({ parentId: 'page:page', x: 1010, y: 520 })
	})

	it('another tab of the same author revealed the notes: this tab treats them as shared from then on', () => {
		const net = new YNetwork()
		const storage = createMemoryStorage()
		const tab1 = peer(net, 1, storage)
		tab1.privateWriting.setPrivateMode(true)
		tab1.store.put([item('shape:p1', 'from tab one')])
		tab1.binding.flush()
		const tab2 = peer(net, 2, storage)
		const b = peer(net, 3)
		expect(tab2.privateWriting.isPrivate('shape:p1')).toBe(true)
		tab1.privateWriting.reveal({ anonymous: false, revealId: 'reveal-1' })
		net.flush()
		expect(tab2.privateWriting.isPrivate('shape:p1')).toBe(false)
		setText(tab2.store, 'shape:p1', 'edited in tab two')
		net.flush()
		expect(textOf(b.store, 'shape:p1')).toContain('edited in tab two')
	})
})

describe('private writing mode: undo', () => {
	it('undo/redo of a shared change works while private notes exist, and never leaks or removes them', () => {
		const { net, a, b } = board()
		a.privateWriting.setPrivateMode(true)
		updateRecord<TLNoteShape>(a.store, 'shape:shared', (s) => ({ ...s, x: 500 }))
		a.binding.undo.stopCapturing()
		a.store.put([item('shape:p1', 'private while undoing')])
		setText(a.store, 'shape:p1', 'private while undoing, edited')
		a.binding.flush()
		net.flush()

		expect(a.binding.undo.canUndo()).toBe(true)
		a.binding.undo.undo()
		net.flush()
		for (const store of [a.store, b.store]) expect(getShape<TLNoteShape>(store, 'shape:shared')!.x).toBe(0)
		expect(textOf(a.store, 'shape:p1')).toContain('private while undoing, edited')
		expect(a.binding.undo.canUndo()).toBe(true) // creation of shape:shared, from the fixture

		a.binding.undo.redo()
		net.flush()
		expect(getShape<TLNoteShape>(b.store, 'shape:shared')!.x).toBe(500)
		for (const doc of [a.doc, b.doc]) expect(docRecords(doc)['shape:p1']).toBeUndefined()
		expect(getShape(b.store, 'shape:p1')).toBeUndefined()
		expect(docBytesContain(b.doc, 'private while undoing')).toBe(false)
	})

	it('the reveal is not an undo step: undo after a reveal reverts my last shared change, not the reveal', () => {
		const { net, a, b } = board()
		updateRecord<TLNoteShape>(a.store, 'shape:shared', (s) => ({ ...s, x: 500 }))
		a.binding.undo.stopCapturing()
		a.privateWriting.setPrivateMode(true)
		a.store.put([item('shape:p1', 'revealed, then undo')])
		a.privateWriting.reveal({ anonymous: false, revealId: 'reveal-1' })
		net.flush()
		a.binding.undo.undo()
		net.flush()
		for (const store of [a.store, b.store]) {
			expect(getShape<TLNoteShape>(store, 'shape:shared')!.x).toBe(0)
			expect(textOf(store, 'shape:p1')).toContain('revealed, then undo')
		}
	})
})
