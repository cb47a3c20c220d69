/**
 * The only place that touches tldraw internals (non-public API), so a tldraw upgrade
 * has one file to check.
 */
import type { TLStore } from '@tldraw/tlschema'

/**
 * Runs the store's pending change listeners now instead of on the next animation frame.
 * tldraw exposes this only as the private `store._flushHistory()`.
 */
export function flushStoreHistory(store: TLStore): void {
	store._flushHistory()
}
