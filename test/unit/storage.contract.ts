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
	/** Makes appendUpdates fail when it writes a log entry with seq >= `seq` (after earlier rows of the batch were written). */
	failAppendsFromSeq(seq: number): Promise<void>
	/** Undoes failAppendsFromSeq. */
	healAppends(): Promise<void>
	/** A second, independent connection to the same data (another server process). */
	openSecondWriter(): Promise<BoardStorage>
}

export interface ContractOptions {
	/** When set, the suite is registered as skipped and its name carries this note (why). */
	skipNote?: string
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

export function runBoardStorageContract(name: string, makeStorage: () => Promise<StorageUnderTest>, options: ContractOptions = {}): void {
	const describeOrSkip = options.skipNote ? describe.skip : describe
	describeOrSkip(`BoardStorage contract: ${name}${options.skipNote ? ` ${options.skipNote}` : ''}`, () => {
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

		it('a failing append writes nothing of its batch, and the next append continues the seq', async () => {
			const current = await open()
			const editor = makeEditor()
			expect(await current.storage.appendUpdates('board-one', [editor.set('a', 1), editor.set('b', 2)])).toBe(2)
			await current.failAppendsFromSeq(4)
			const lost = [editor.set('c', 3), editor.set('d', 4)]
			await expect(current.storage.appendUpdates('board-one', lost)).rejects.toThrow()
			const afterFailure = await current.storage.loadBoard('board-one')
			expect(afterFailure.lastSeq).toBe(2)
			expect(restore(afterFailure.update).getMap('records').toJSON()).toEqual({ a: 1, b: 2 })
			await current.healAppends()
			// The room retries the same batch once storage is back: everything lands.
			expect(await current.storage.appendUpdates('board-one', lost)).toBe(4)
			expect(restore((await current.storage.loadBoard('board-one')).update).getMap('records').toJSON()).toEqual({ a: 1, b: 2, c: 3, d: 4 })
		})

		it('overlapping appends of one writer get distinct, gap-free seq numbers', async () => {
			const { storage } = await open()
			const editor = makeEditor()
			const updates = Array.from({ length: 40 }, (_, i) => editor.set(`k${i}`, i))
			const seqs = await Promise.all(updates.map((update) => storage.appendUpdates('board-one', [update])))
			expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
			expect(Object.keys(restore((await storage.loadBoard('board-one')).update).getMap('records').toJSON())).toHaveLength(40)
		})

		it('two writers on the same data never lose or duplicate an update (several processes)', async () => {
			const { storage, openSecondWriter } = await open()
			const second = await openSecondWriter()
			try {
				const one = makeEditor()
				const two = makeEditor()
				const batches = Array.from({ length: 20 }, (_, i) => [
					storage.appendUpdates('shared-board', [one.set(`one-${i}`, i), one.set(`one-${i}-b`, i)]),
					second.appendUpdates('shared-board', [two.set(`two-${i}`, i)]),
				]).flat()
				const lastSeqs = await Promise.all(batches)
				expect(new Set(lastSeqs).size).toBe(lastSeqs.length)
				const loaded = await storage.loadBoard('shared-board')
				expect(loaded.lastSeq).toBe(60)
				expect(loaded.pendingUpdates).toBe(60)
				expect(Object.keys(restore(loaded.update).getMap('records').toJSON())).toHaveLength(60)
				// Compaction by one writer while the other keeps appending keeps every update.
				const merged = restore(loaded.update)
				await Promise.all([
					storage.compact('shared-board', Y.encodeStateAsUpdate(merged), loaded.lastSeq),
					second.appendUpdates('shared-board', [two.set('late', true)]),
				])
				expect(restore((await second.loadBoard('shared-board')).update).getMap('records').get('late')).toBe(true)
			} finally {
				await second.close()
			}
		})
	})
}
