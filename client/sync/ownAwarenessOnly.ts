/**
 * Makes a y-websocket provider send only this client's own awareness state.
 *
 * y-websocket 3.x re-sends every awareness change it applies, other
 * participants' included (yjs/yjs#732). Our server already relays everyone's
 * state, so those echoes are pure waste: in a 200-person room each browser
 * would upload ~199 states × 20 Hz (~1 MB/s) and the server would decode 200×
 * the awareness it needs. Replacing the provider's handler (rather than adding
 * one) keeps `provider.destroy()` unsubscribing it. Our BroadcastChannel is
 * off (disableBc), so the socket is the only path.
 */
import type { WebsocketProvider } from 'y-websocket'
import { encodeAwarenessMessage } from '../../shared/awarenessMessage'

export function sendOnlyOwnAwareness(provider: WebsocketProvider): void {
	const awareness = provider.awareness
	awareness.off('update', provider._awarenessUpdateHandler)
	const sendOwnChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void => {
		const own = awareness.clientID
		if (!added.includes(own) && !updated.includes(own) && !removed.includes(own)) return
		const ws = provider.ws
		// Not connected: the provider sends our state when it reconnects.
		if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return
		ws.send(encodeAwarenessMessage(awareness, [own]))
	}
	provider._awarenessUpdateHandler = sendOwnChange
	awareness.on('update', sendOwnChange)
}
