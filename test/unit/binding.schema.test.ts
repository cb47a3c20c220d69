import { createTLStore } from '@tldraw/editor'
import { toRichText, type TLNoteShape } from '@tldraw/tlschema'
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { BOARD_META_MAP, BoardMetaKey, DOC_LAYOUT_VERSION } from '../../shared/docLayout'
import { getRecordsMap, recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { getShape, makeNote, updateRecord } from './helpers/boardFixtures'
import { bindPeer, connectDoc, createPeer } from './helpers/boardPeer'
import { YNetwork } from './helpers/yNetwork'

const currentSchema = () => createTLStore({}).schema.serialize()

/** A note as tldraw wrote it at `com.tldraw.shape.note` version 8: plain `text`, no richText. */
function noteV8(id: string, text: string): PlainRecord {
	const current = makeNote(id, 10, 20, '') as unknown as PlainRecord & { props: Record<string, unknown> }
	const props: Record<string, unknown> = { ...current.props, text, fontSizeAdjustment: 0 }
	delete props.richText
	delete props.textLastEditedBy
	return { ...current, props }
}

/** A board written by an older client: note shapes at version 8. */
function olderBoard(net: YNetwork): Y.Doc {
	const doc = connectDoc(net, 9)
	const schema = currentSchema()
	doc.transact(() => {
		const meta = doc.getMap(BOARD_META_MAP)
		meta.set(BoardMetaKey.tldrawSchema, { ...schema, sequences: { ...schema.sequences, 'com.tldraw.shape.note': 8 } })
		meta.set(BoardMetaKey.layoutVersion, DOC_LAYOUT_VERSION)
		const records = getRecordsMap(doc)
		records.set('document:document', recordToYMap({ id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} }))
		records.set('page:page', recordToYMap({ id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} }))
		records.set('shape:old-note', recordToYMap(noteV8('shape:old-note', 'hello\nworld')))
	})
	return doc
}

/** Simulates a newer app version writing the board: one sequence bumped past what we know. */
function writeNewerSchema(doc: Y.Doc): void {
	const schema = currentSchema()
	const newer = { ...schema, sequences: { ...schema.sequences, 'com.tldraw.shape.note': schema.sequences['com.tldraw.shape.note']! + 1 } }
	doc.getMap(BOARD_META_MAP).set(BoardMetaKey.tldrawSchema, newer)
}

describe('schema gate', () => {
	it('a newer client migrates an older board and writes records and schema back in one transaction', () => {
		const net = new YNetwork()
		const old = olderBoard(net)
		const doc = connectDoc(net, 10)
		const updates: Uint8Array[] = []
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== net.origin) updates.push(update)
		})
		const peer = bindPeer('new', doc, createTLStore({}))
		expect(peer.binding.getStatus()).toBe('active')
		expect(peer.binding.migration).toEqual({ migrated: 1, failed: [] })
		expect(updates).toHaveLength(1)

		const note = getShape<TLNoteShape>(peer.store, 'shape:old-note')!
		expect(note.props.richText).toEqual(toRichText('hello\nworld'))
		expect(note.props).toMatchObject({ fontSizeAdjustment: 1, textLastEditedBy: null })
		expect(note.props).not.toHaveProperty('text')

		net.flush()
		const stored = getRecordsMap(old).get('shape:old-note')!.get('props') as Y.Map<unknown>
		expect(stored.has('text')).toBe(false)
		expect(stored.get('richText')).toEqual(toRichText('hello\nworld'))
		expect(old.getMap(BOARD_META_MAP).get(BoardMetaKey.tldrawSchema)).toEqual(currentSchema())
		expect(peer.logs).toEqual([])
	})

	it('migrates through storage-scoped tldraw migrations (whole-snapshot path) too', () => {
		const net = new YNetwork()
		const old = olderBoard(net)
		const meta = old.getMap(BOARD_META_MAP)
		const schema = meta.get(BoardMetaKey.tldrawSchema) as ReturnType<typeof currentSchema>
		// com.tldraw.store 3 → 4 is 'RemoveUserDocument', a storage-scoped migration.
		meta.set(BoardMetaKey.tldrawSchema, { ...schema, sequences: { ...schema.sequences, 'com.tldraw.store': 3 } })
		getRecordsMap(old).set('shape:garbage', recordToYMap({ id: 'shape:garbage', typeName: 'banana' }))
		net.flush()
		const peer = bindPeer('new', connectDoc(net, 10), createTLStore({}))
		expect(peer.binding.getStatus()).toBe('active')
		expect(peer.binding.migration?.migrated).toBe(1)
		expect(getShape<TLNoteShape>(peer.store, 'shape:old-note')!.props.richText).toEqual(toRichText('hello\nworld'))
		expect(getShape(peer.store, 'shape:garbage')).toBeUndefined()
		expect(peer.binding.getSkippedRecordIds()).toEqual(['shape:garbage'])
		net.flush()
		expect(old.getMap(BOARD_META_MAP).get(BoardMetaKey.tldrawSchema)).toEqual(currentSchema())
	})

	it('an older client reads a newer board but never writes to it', () => {
		const net = new YNetwork()
		const writer = createPeer(net, 'writer', { clientID: 1 })
		writer.store.put([makeNote('shape:n', 1, 1, 'hi')])
		// The newer app version is another client; once it upgrades the board, `writer`
		// (our version) is read-only too, so later edits come from `newerClient`.
		const newerClient = connectDoc(net, 7)
		net.flush()
		writeNewerSchema(newerClient)
		net.flush()
		const newerSchema = writer.doc.getMap(BOARD_META_MAP).get(BoardMetaKey.tldrawSchema)

		const doc = connectDoc(net, 2)
		const sent = vi.fn()
		doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin !== net.origin) sent()
		})
		const old = bindPeer('old', doc, createTLStore({}))
		expect(old.binding.getStatus()).toBe('client-too-old')
		expect(old.binding.getStatusReason()).toContain('com.tldraw.shape.note')
		expect(getShape(old.store, 'shape:n')).toBeDefined()

		old.store.put([makeNote('shape:from-old', 5, 5, 'lost')])
		updateRecord<TLNoteShape>(old.store, 'shape:n', (s) => ({ ...s, x: 999 }))
		expect(old.binding.undo.canUndo()).toBe(false)
		old.binding.undo.undo()
		net.flush()
		expect(sent).not.toHaveBeenCalled()
		expect(getShape(writer.store, 'shape:from-old')).toBeUndefined()
		expect(getShape(writer.store, 'shape:n')).toMatchObject({ x: 1 })
		expect(writer.doc.getMap(BOARD_META_MAP).get(BoardMetaKey.tldrawSchema)).toEqual(newerSchema)

		// Remote changes still show up (read-only view).
		getRecordsMap(newerClient).get('shape:n')!.set('y', 42)
		net.flush()
		expect(getShape(old.store, 'shape:n')).toMatchObject({ y: 42 })
	})

	it('a connected client stops writing as soon as a newer client upgrades the board', () => {
		const net = new YNetwork()
		const a = createPeer(net, 'a', { clientID: 1 })
		net.flush()
		const b = createPeer(net, 'b', { clientID: 2 })
		const statuses: string[] = []
		b.binding.onStatusChange((status) => statuses.push(status))
		const newer = connectDoc(net, 3)
		net.flush()
		writeNewerSchema(newer)
		net.flush()
		expect(statuses).toEqual(['client-too-old'])
		b.store.put([makeNote('shape:after-upgrade', 0, 0, 'x')])
		net.flush()
		expect(getShape(a.store, 'shape:after-upgrade')).toBeUndefined()
		expect(getRecordsMap(newer).has('shape:after-upgrade')).toBe(false)
	})

	it('a board with a newer layout version is read-only too', () => {
		const net = new YNetwork()
		const writer = createPeer(net, 'writer', { clientID: 1 })
		writer.doc.getMap(BOARD_META_MAP).set(BoardMetaKey.layoutVersion, DOC_LAYOUT_VERSION + 1)
		net.flush()
		const reader = createPeer(net, 'reader', { clientID: 2 })
		expect(reader.binding.getStatus()).toBe('client-too-old')
	})

	it('two fresh clients seeding an empty board at once end up with one document and one page', () => {
		const net = new YNetwork()
		const a = createPeer(net, 'a', { clientID: 1 })
		const b = createPeer(net, 'b', { clientID: 2 }) // before a's seed arrives
		net.flush()
		for (const peer of [a, b]) {
			expect(peer.store.query.ids('page').get().size).toBe(1)
			expect([...getRecordsMap(peer.doc).keys()].sort()).toEqual(['document:document', 'page:page'])
			expect(peer.doc.getMap(BOARD_META_MAP).get(BoardMetaKey.tldrawSchema)).toEqual(currentSchema())
		}
	})
})
