/**
 * The contract every BoardStorage must meet. Run it for each backend:
 *
 *   runBoardStorageContract('SqliteBoardStorage', async () => { … return { storage, reopen, cleanup } })
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardStorage } from '../../server/storage/boardStorage'

export interface StorageUnderTest {
	storage: BoardStorage
	/** Closes `storage` and opens the same underlying data again. */
	reopen(): Promise<BoardStorage>
	/** Called after each test: close everything, delete temp files. */
	cleanup(): Promise<void>
	/** Makes compact() fail after it wrote the snapshot but before it pruned the log. */
	failCompactionAfterSnapshotWrite(): Promise<void>
}

/** One small Yjs update per call, built on a source doc as a client would. */
function makeEditor() {
	const doc = new Y.Doc()
	const updates: Uint8Array[] = []
	doc.on('update', (update: Uint8Array) => updates.push(update))
	return {
		doc,
		set(key: string, value: unknown): Uint8Array {
			doc.getMap('records').set(key, value)
			return updates[updates.length - 1]
		},
	}
}

function restore(update: Uint8Array | null): Y.Doc {
	const doc = new Y.Doc()
	if (update) Y.applyUpdate(doc, update)
	return doc
}

export function runBoardStorageContract(name: string, makeStorage: () => Promise<StorageUnderTest>): void {
	describe(`BoardStorage contract: ${name}`, () => {
		let subject: StorageUnderTest | null = null
		const open = async (): Promise<StorageUnderTest> => (subject = await makeStorage())

		afterEach(async () => {
			await subject?.cleanup()
			subject = null
		})

		it('loads an unknown board as empty', async () => {
			const { storage } = await open()
			expect(await storage.loadBoard('unknown-board')).toEqual({ update: null, lastSeq: 0, pendingUpdates: 0, pendingBytes: 0 })
		})

		it('appends updates with increasing seq and loads them merged', async () => {
			const { storage } = await open()
			const editor = makeEditor()
			const first = await storage.appendUpdates('board-one', [editor.set('a', 1), editor.set('b', 2)])
			const second = await storage.appendUpdates('board-one', [editor.set('a', 3)])
			expect(first).toBe(2)
			expect(second).toBe(3)
			const loaded = await storage.loadBoard('board-one')
			expect(loaded.lastSeq).toBe(3)
			expect(loaded.pendingUpdates).toBe(3)
			expect(loaded.pendingBytes).toBeGreaterThan(0)
			expect(restore(loaded.update).getMap('records').toJSON()).toEqual({ a: 3, b: 2 })
		})

		it('keeps boards separate', async () => {
			const { storage } = await open()
			const one = makeEditor()
			const two = makeEditor()
			await storage.appendUpdates('board-one', [one.set('x', 'one')])
			await storage.appendUpdates('board-two', [two.set('x', 'two')])
			expect(restore((await storage.loadBoard('board-one')).update).getMap('records').get('x')).toBe('one')
			expect(restore((await storage.loadBoard('board-two')).update).getMap('records').get('x')).toBe('two')
		})

		it('compaction replaces the log and reloads equal', async () => {
			const { storage } = await open()
			const editor = makeEditor()
			for (let i = 0; i < 50; i++) await storage.appendUpdates('board-one', [editor.set(`k${i % 7}`, i)])
			const before = restore((await storage.loadBoard('board-one')).update).getMap('records').toJSON()
			await storage.compact('board-one', Y.encodeStateAsUpdate(editor.doc), 50)
			const after = await storage.loadBoard('board-one')
			expect(after.pendingUpdates).toBe(0)
			expect(after.lastSeq).toBe(50)
			expect(restore(after.update).getMap('records').toJSON()).toEqual(before)
			expect(restore(after.update).getMap('records').toJSON()).toEqual(editor.doc.getMap('records').toJSON())
		})

		it('keeps updates appended after the compacted seq, and seq never goes backwards', async () => {
			const { storage } = await open()
			const editor = makeEditor()
			await storage.appendUpdates('board-one', [editor.set('a', 1), editor.set('b', 2)])
			const snapshot = Y.encodeStateAsUpdate(editor.doc)
			const seq = await storage.appendUpdates('board-one', [editor.set('c', 3)])
			await storage.compact('board-one', snapshot, 2)
			const loaded = await storage.loadBoard('board-one')
			expect(loaded.pendingUpdates).toBe(1)
			expect(restore(loaded.update).getMap('records').toJSON()).toEqual({ a: 1, b: 2, c: 3 })
			await storage.compact('board-one', Y.encodeStateAsUpdate(editor.doc), seq)
			expect(await storage.appendUpdates('board-one', [editor.set('d', 4)])).toBe(seq + 1)
		})

		it('reopening keeps snapshot and log', async () => {
			const { storage, reopen } = await open()
			const editor = makeEditor()
			await storage.appendUpdates('board-one', [editor.set('a', 1)])
			await storage.compact('board-one', Y.encodeStateAsUpdate(editor.doc), 1)
			await storage.appendUpdates('board-one', [editor.set('b', 2)])
			const reopened = await reopen()
			const loaded = await reopened.loadBoard('board-one')
			expect(loaded.lastSeq).toBe(2)
			expect(restore(loaded.update).getMap('records').toJSON()).toEqual({ a: 1, b: 2 })
		})

		it('compaction is atomic: a failure leaves the previous state loadable', async () => {
			const current = await open()
			const editor = makeEditor()
			await current.storage.appendUpdates('board-one', [editor.set('a', 1), editor.set('b', 2)])
			await current.failCompactionAfterSnapshotWrite()
			const bogusSnapshot = Y.encodeStateAsUpdate(new Y.Doc())
			await expect(current.storage.compact('board-one', bogusSnapshot, 2)).rejects.toThrow()
			const loaded = await current.storage.loadBoard('board-one')
			expect(loaded.pendingUpdates).toBe(2)
			expect(restore(loaded.update).getMap('records').toJSON()).toEqual({ a: 1, b: 2 })
		})

		it('appendUpdates of many updates is all-or-nothing per call and ordered', async () => {
			const { storage } = await open()
			const editor = makeEditor()
			const updates = Array.from({ length: 500 }, (_, i) => editor.set('counter', i))
			expect(await storage.appendUpdates('board-one', updates)).toBe(500)
			expect(restore((await storage.loadBoard('board-one')).update).getMap('records').get('counter')).toBe(499)
		})
	})
}
