/**
 * The awareness whose people a store shows (set by syncRemotePresence), so UI
 * inside tldraw's slots — which get the editor, not the connection — can read
 * and write room-wide presence such as reactions.
 */
import type { TLStore } from '@tldraw/tlschema'
import type { AwarenessLike } from '../sync/presence'

const awarenessByStore = new WeakMap<TLStore, AwarenessLike>()

export function setStoreAwareness(store: TLStore, awareness: AwarenessLike | null): void {
	if (awareness) awarenessByStore.set(store, awareness)
	else awarenessByStore.delete(store)
}

export function storeAwareness(store: TLStore): AwarenessLike | null {
	return awarenessByStore.get(store) ?? null
}
