/**
 * Undo/redo of this client's own changes only. tldraw's built-in history
 * reverts whole records, which would also revert a collaborator's concurrent
 * edit to another field of the same shape; a Y.UndoManager tracking only our
 * transaction origin reverts exactly the fields we wrote.
 */
import { atom } from '@tldraw/state'
import type { Editor } from '@tldraw/editor'
import * as Y from 'yjs'

export interface BoardUndo {
	undo(): void
	redo(): void
	/** Reactive (a tldraw signal is read): safe to use inside `useValue`/computed. */
	canUndo(): boolean
	canRedo(): boolean
	/** Ends the current undo step: the next local change starts a new one. */
	stopCapturing(): void
	clear(): void
	readonly undoManager: Y.UndoManager
	destroy(): void
}

export interface BoardUndoOptions {
	/** Transaction origin of this client's local writes (the only one tracked). */
	localOrigin: object
	/** Called before undo/redo/stopCapturing to push pending local store changes to the doc. */
	flushPending: () => void
	/** Undo/redo write to the doc; they are refused while this returns false (client too old). */
	canWrite: () => boolean
	/** Local transactions closer together than this merge into one step (ms). Default 500. */
	captureTimeout?: number
}

export function createBoardUndo(records: Y.Map<Y.Map<unknown>>, options: BoardUndoOptions): BoardUndo {
	const undoManager = new Y.UndoManager(records, {
		trackedOrigins: new Set([options.localOrigin]),
		captureTimeout: options.captureTimeout ?? 500,
		// false (Yjs' default, spelled out because it matters): a field a collaborator
		// changed after us is not restored, so undo never clobbers their later value.
		ignoreRemoteMapChanges: false,
	})
	const $canUndo = atom('BoardUndo.canUndo', false)
	const $canRedo = atom('BoardUndo.canRedo', false)
	const refresh = () => {
		$canUndo.set(undoManager.canUndo())
		$canRedo.set(undoManager.canRedo())
	}
	undoManager.on('stack-item-added', refresh)
	undoManager.on('stack-item-popped', refresh)
	undoManager.on('stack-cleared', refresh)

	return {
		undoManager,
		undo() {
			options.flushPending()
			if (!options.canWrite()) return
			undoManager.undo()
		},
		redo() {
			options.flushPending()
			if (!options.canWrite()) return
			undoManager.redo()
		},
		canUndo: () => $canUndo.get() && options.canWrite(),
		canRedo: () => $canRedo.get() && options.canWrite(),
		stopCapturing() {
			options.flushPending()
			undoManager.stopCapturing()
		},
		clear() {
			undoManager.clear()
		},
		destroy() {
			undoManager.off('stack-item-added', refresh)
			undoManager.off('stack-item-popped', refresh)
			undoManager.off('stack-cleared', refresh)
			undoManager.destroy()
		},
	}
}

/**
 * Routes the editor's undo/redo (keyboard shortcuts, menu and toolbar actions
 * all call `editor.undo()` / `editor.redo()` and read `editor.getCanUndo()`)
 * to the board's undo manager. Every tldraw history stopping point (start of
 * a drag, resize, text edit…) ends the current undo step, so a whole drag is
 * one step however long it lasts. tldraw's own history keeps recording, so
 * `bailToMark` (e.g. Escape during a drag) still works. Returns a function
 * that restores the editor's own methods.
 */
export function attachUndoToEditor(editor: Editor, undo: BoardUndo): () => void {
	const original = {
		undo: editor.undo,
		redo: editor.redo,
		getCanUndo: editor.getCanUndo,
		getCanRedo: editor.getCanRedo,
		canUndo: editor.canUndo,
		canRedo: editor.canRedo,
		markHistoryStoppingPoint: editor.markHistoryStoppingPoint,
	}
	const previousTimeout = undo.undoManager.captureTimeout
	// Steps are delimited by the editor's stopping points, not by pauses.
	undo.undoManager.captureTimeout = Number.MAX_SAFE_INTEGER

	editor.undo = function undoOwnChanges() {
		editor.complete()
		undo.undo()
		return editor
	}
	editor.redo = function redoOwnChanges() {
		editor.complete()
		undo.redo()
		return editor
	}
	editor.getCanUndo = () => undo.canUndo()
	editor.canUndo = () => undo.canUndo()
	editor.getCanRedo = () => undo.canRedo()
	editor.canRedo = () => undo.canRedo()
	editor.markHistoryStoppingPoint = function markAndStopCapturing(name?: string): string {
		// Push the previous step's pending changes to the doc before closing it.
		undo.stopCapturing()
		return original.markHistoryStoppingPoint.call(editor, name)
	}

	return () => {
		Object.assign(editor, original)
		undo.undoManager.captureTimeout = previousTimeout
	}
}
