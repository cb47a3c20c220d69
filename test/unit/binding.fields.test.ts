import { toRichText, type TLNoteShape } from '@tldraw/tlschema'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { canonical, docRecords, getShape, makeNote, storeDocumentRecords, updateRecord } from './helpers/boardFixtures'
import { createPeer } from './helpers/boardPeer'
import { YNetwork } from './helpers/yNetwork'

function twoPeersWithNote() {
	const net = new YNetwork()
	const a = createPeer(net, 'a', { clientID: 1 })
	net.flush()
	const b = createPeer(net, 'b', { clientID: 2 })
	a.store.put([makeNote('shape:sticky', 100, 100, 'first draft')])
	net.flush()
	return { net, a, b }
}

/** Keys changed in the records map (as `id.field` / `id.props.key`) by each update a doc receives. */
function watchChangedKeys(doc: Y.Doc): string[][] {
	const batches: string[][] = []
	doc.getMap('records').observeDeep((events) => {
		const keys: string[] = []
		for (const event of events) {
			const prefix = event.path.join('.')
			for (const key of (event as Y.YMapEvent<unknown>).keysChanged) keys.push(prefix ? `${prefix}.${key}` : key)
		}
		batches.push(keys.sort())
	})
	return batches
}

describe('bindStoreToYDoc: field-level writes', () => {
	it('a concurrent move and text edit of the same sticky both survive', () => {
		const { net, a, b } = twoPeersWithNote()
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, x: 420, y: 240 }))
		updateRecord<TLNoteShape>(b.store, 'shape:sticky', (s) => ({ ...s, props: { ...s.props, richText: toRichText('final text') } }))
		net.flush()
		for (const peer of [a, b]) {
			const sticky = getShape<TLNoteShape>(peer.store, 'shape:sticky')!
			expect([sticky.x, sticky.y]).toEqual([420, 240])
			expect(sticky.props.richText).toEqual(toRichText('final text'))
		}
		expect(canonical(docRecords(a.doc))).toBe(canonical(docRecords(b.doc)))
	})

	it('a remote move keeps the same props and meta objects in the receiving store (tldraw caches layout by identity)', () => {
		const { net, a, b } = twoPeersWithNote()
		const before = getShape<TLNoteShape>(b.store, 'shape:sticky')!
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, x: 300 }))
		net.flush()
		const moved = getShape<TLNoteShape>(b.store, 'shape:sticky')!
		expect(moved.x).toBe(300)
		expect(moved.props).toBe(before.props)
		expect(moved.meta).toBe(before.meta)
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, props: { ...s.props, richText: toRichText('changed') } }))
		net.flush()
		const edited = getShape<TLNoteShape>(b.store, 'shape:sticky')!
		expect(edited.props).not.toBe(before.props)
		expect(edited.props.richText).toEqual(toRichText('changed'))
	})

	it('a 60-frame drag sends only x and y, in small updates', () => {
		const { net, a, b } = twoPeersWithNote()
		const sizes: number[] = []
		a.doc.on('update', (update: Uint8Array) => sizes.push(update.byteLength))
		const received = watchChangedKeys(b.doc)
		for (let frame = 1; frame <= 60; frame++) {
			updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, x: 100 + frame * 3, y: 100 + frame * 2 }))
			net.flush()
		}
		expect(sizes).toHaveLength(60)
		const wholeRecord = new Y.Doc()
		wholeRecord.getMap('records').set('shape:sticky', recordToYMap(makeNote('shape:sticky', 0, 0, 'first draft') as unknown as PlainRecord))
		const wholeRecordBytes = Y.encodeStateAsUpdate(wholeRecord).byteLength
		expect(Math.max(...sizes)).toBeLessThan(100)
		expect(Math.max(...sizes) * 5).toBeLessThan(wholeRecordBytes)
		expect(received).toHaveLength(60)
		for (const keys of received) expect(keys).toEqual(['shape:sticky.x', 'shape:sticky.y'])
		expect(getShape<TLNoteShape>(b.store, 'shape:sticky')).toMatchObject({ x: 280, y: 220 })
	})

	it('nested props/meta keys are written and removed one by one', () => {
		const { net, a, b } = twoPeersWithNote()
		const received = watchChangedKeys(b.doc)
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, meta: { votes: 3 }, props: { ...s.props, color: 'red' } }))
		net.flush()
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, meta: {} }))
		net.flush()
		expect(received).toEqual([['shape:sticky.meta.votes', 'shape:sticky.props.color'], ['shape:sticky.meta.votes']])
		expect(getShape<TLNoteShape>(b.store, 'shape:sticky')).toMatchObject({ meta: {}, props: { color: 'red' } })
	})

	it('a deleted shape disappears everywhere, and only document records enter the doc', () => {
		const { net, a, b } = twoPeersWithNote()
		a.store.remove(['shape:sticky' as TLNoteShape['id']])
		net.flush()
		expect(getShape(b.store, 'shape:sticky')).toBeUndefined()
		const ids = Object.keys(docRecords(a.doc)).sort()
		expect(ids).toEqual(['document:document', 'page:page'])
		// Session records (instance, camera, pointer…) exist in the store but not in the doc.
		expect(a.store.allRecords().length).toBeGreaterThan(ids.length)
	})
})

describe('bindStoreToYDoc: batching per animation frame (browser scheduling)', () => {
	const frames: Array<() => void> = []
	const g = globalThis as Record<string, unknown>
	const saved = { raf: g.requestAnimationFrame, caf: g.cancelAnimationFrame, force: g.__FORCE_RAF_IN_TESTS__ }
	// tldraw's frame scheduler skips a frame that comes too soon after the last flush,
	// so each simulated frame also moves a fake clock forward by 20 ms.
	let now = 0
	const runFrames = () => {
		for (let guard = 0; frames.length > 0 && guard < 20; guard++) {
			now += 20
			frames.splice(0).forEach((fn) => fn())
		}
	}
	const useFrames = () => {
		now = Date.now()
		vi.spyOn(Date, 'now').mockImplementation(() => now)
		g.__FORCE_RAF_IN_TESTS__ = true
		g.requestAnimationFrame = (fn: () => void) => frames.push(fn)
		g.cancelAnimationFrame = () => {}
	}
	afterEach(() => {
		runFrames()
		g.requestAnimationFrame = saved.raf
		g.cancelAnimationFrame = saved.caf
		g.__FORCE_RAF_IN_TESTS__ = saved.force
		vi.restoreAllMocks()
	})

	it('sends all store changes of one frame in one transaction', () => {
		const { net, a, b } = twoPeersWithNote()
		useFrames()
		const updates: Uint8Array[] = []
		a.doc.on('update', (update: Uint8Array) => updates.push(update))
		a.store.put([makeNote('shape:n2', 0, 0, 'two')])
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, x: 1 }))
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, y: 2 }))
		expect(updates).toHaveLength(0)
		runFrames()
		expect(updates).toHaveLength(1)
		net.flush()
		expect(canonical(storeDocumentRecords(b.store))).toBe(canonical(storeDocumentRecords(a.store)))
	})

	it('a local change still waiting for its frame is sent before a remote change is applied', () => {
		const { net, a, b } = twoPeersWithNote()
		useFrames()
		updateRecord<TLNoteShape>(b.store, 'shape:sticky', (s) => ({ ...s, props: { ...s.props, richText: toRichText('from b') } }))
		runFrames() // b's change goes out
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, x: 777 }))
		expect(net.pending).toBe(1) // a's move waits for a's next frame…
		net.flush() // …but goes out as soon as b's change arrives, before it is applied
		expect(getShape<TLNoteShape>(a.store, 'shape:sticky')!.x).toBe(777)
		runFrames()
		net.flush()
		for (const peer of [a, b]) {
			const sticky = getShape<TLNoteShape>(peer.store, 'shape:sticky')!
			expect(sticky.x).toBe(777)
			expect(sticky.props.richText).toEqual(toRichText('from b'))
		}
		expect(canonical(docRecords(a.doc))).toBe(canonical(docRecords(b.doc)))
	})
})
