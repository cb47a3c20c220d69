import type { Editor } from '@tldraw/editor'
import { toRichText, type TLNoteShape } from '@tldraw/tlschema'
import { describe, expect, it, vi } from 'vitest'
import { attachUndoToEditor } from '../../client/sync/undo'
import { getShape, makeNote, updateRecord } from './helpers/boardFixtures'
import { createPeer } from './helpers/boardPeer'
import { YNetwork } from './helpers/yNetwork'

function twoPeersWithNote() {
	const net = new YNetwork()
	const a = createPeer(net, 'a', { clientID: 1 })
	net.flush()
	const b = createPeer(net, 'b', { clientID: 2 })
	a.store.put([makeNote('shape:sticky', 100, 100, 'draft')])
	a.binding.undo.stopCapturing()
	net.flush()
	return { net, a, b }
}

const sticky = (store: Parameters<typeof getShape>[0]) => getShape<TLNoteShape>(store, 'shape:sticky')

describe('undo/redo of own changes (Y.UndoManager)', () => {
	it("undo reverts only my move; a collaborator's concurrent text edit of the same sticky stays", () => {
		const { net, a, b } = twoPeersWithNote()
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, x: 500, y: 300 }))
		updateRecord<TLNoteShape>(b.store, 'shape:sticky', (s) => ({ ...s, props: { ...s.props, richText: toRichText('by b') } }))
		net.flush()
		expect(a.binding.undo.canUndo()).toBe(true)

		a.binding.undo.undo()
		net.flush()
		for (const peer of [a, b]) {
			expect(sticky(peer.store)).toMatchObject({ x: 100, y: 100 })
			expect(sticky(peer.store)!.props.richText).toEqual(toRichText('by b'))
		}
		expect(b.binding.undo.canUndo()).toBe(true) // b's own edit, untouched by a's undo

		a.binding.undo.redo()
		net.flush()
		for (const peer of [a, b]) {
			expect(sticky(peer.store)).toMatchObject({ x: 500, y: 300 })
			expect(sticky(peer.store)!.props.richText).toEqual(toRichText('by b'))
		}
	})

	it('undo does not clobber a later change of the same field by a collaborator', () => {
		const { net, a, b } = twoPeersWithNote()
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, x: 500, y: 300 }))
		net.flush()
		updateRecord<TLNoteShape>(b.store, 'shape:sticky', (s) => ({ ...s, x: 900 }))
		net.flush()
		a.binding.undo.undo()
		net.flush()
		for (const peer of [a, b]) expect(sticky(peer.store)).toMatchObject({ x: 900, y: 100 })
	})

	it('a drag between two stopping points is one undo step; creation is another', () => {
		const { net, a, b } = twoPeersWithNote()
		for (let frame = 1; frame <= 30; frame++) {
			updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, x: 100 + frame * 10 }))
		}
		a.binding.undo.stopCapturing()
		a.binding.undo.undo()
		net.flush()
		expect(sticky(b.store)!.x).toBe(100)
		a.binding.undo.undo()
		net.flush()
		expect(sticky(a.store)).toBeUndefined()
		expect(sticky(b.store)).toBeUndefined()
		expect(a.binding.undo.canUndo()).toBe(false)
		a.binding.undo.redo()
		a.binding.undo.redo()
		net.flush()
		expect(sticky(b.store)).toMatchObject({ x: 400 })
	})

	it("remote changes never enter the local undo stack", () => {
		const { net, a, b } = twoPeersWithNote()
		updateRecord<TLNoteShape>(b.store, 'shape:sticky', (s) => ({ ...s, y: 999 }))
		net.flush()
		a.binding.undo.clear()
		expect(a.binding.undo.canUndo()).toBe(false)
		updateRecord<TLNoteShape>(b.store, 'shape:sticky', (s) => ({ ...s, y: 1 }))
		net.flush()
		expect(a.binding.undo.canUndo()).toBe(false)
	})
})

describe('attachUndoToEditor', () => {
	function fakeEditor() {
		const own = {
			undo: vi.fn(),
			redo: vi.fn(),
			getCanUndo: () => false,
			getCanRedo: () => false,
			canUndo: () => false,
			canRedo: () => false,
			markHistoryStoppingPoint: vi.fn((name?: string) => `[${name ?? 'stop'}]_1`),
			complete: vi.fn(),
		}
		return { own, editor: { ...own } as unknown as Editor }
	}

	it("routes the editor's undo/redo and can-undo to the board undo, and marks end undo steps", () => {
		const { net, a, b } = twoPeersWithNote()
		const { own, editor } = fakeEditor()
		const detach = attachUndoToEditor(editor, a.binding.undo)

		editor.markHistoryStoppingPoint('translating')
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, x: 200 }))
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, x: 300 }))
		editor.markHistoryStoppingPoint('translating')
		updateRecord<TLNoteShape>(a.store, 'shape:sticky', (s) => ({ ...s, y: 700 }))
		expect(own.markHistoryStoppingPoint).toHaveBeenCalledTimes(2)
		expect(editor.getCanUndo()).toBe(true)

		editor.undo()
		net.flush()
		expect(own.complete).toHaveBeenCalled()
		expect(own.undo).not.toHaveBeenCalled()
		expect(sticky(b.store)).toMatchObject({ x: 300, y: 100 })
		editor.undo()
		net.flush()
		expect(sticky(b.store)).toMatchObject({ x: 100, y: 100 })
		expect(editor.getCanRedo()).toBe(true)
		editor.redo()
		net.flush()
		expect(sticky(b.store)).toMatchObject({ x: 300 })

		detach()
		editor.undo()
		expect(own.undo).toHaveBeenCalledTimes(1)
	})
})
