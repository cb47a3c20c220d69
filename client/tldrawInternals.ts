/**
 * The only place that touches tldraw internals (non-public API), so a tldraw upgrade
 * has one file to check.
 */
import type { TLStore } from '@tldraw/tlschema'
import type { Editor } from 'tldraw'

/**
 * Runs the store's pending change listeners now instead of on the next animation frame.
 * tldraw exposes this only as the private `store._flushHistory()`.
 */
export function flushStoreHistory(store: TLStore): void {
	store._flushHistory()
}

type ZoomToBounds = Editor['zoomToBounds']

/**
 * Replaces this editor's `zoomToBounds`, which tldraw's zoomToFit, zoomToSelection and the
 * zoom actions all go through, so one rule decides where fitted content lands. tldraw offers
 * no viewport inset for UI drawn over the canvas; the instance method is shadowed (the
 * prototype's stays untouched) and restored by the returned function. `replacement` gets
 * tldraw's own implementation to fall back on.
 */
export function overrideZoomToBounds(
	editor: Editor,
	replacement: (original: (...args: Parameters<ZoomToBounds>) => void, ...args: Parameters<ZoomToBounds>) => void,
): () => void {
	const original = (...args: Parameters<ZoomToBounds>) => {
		Object.getPrototypeOf(editor).zoomToBounds.apply(editor, args)
	}
	const patched: ZoomToBounds = function (this: Editor, ...args) {
		replacement(original, ...args)
		return this
	}
	Object.defineProperty(editor, 'zoomToBounds', { value: patched, configurable: true, writable: true })
	return () => {
		delete (editor as unknown as Record<string, unknown>).zoomToBounds
	}
}
