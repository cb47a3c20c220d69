import { useSyncExternalStore } from 'react'
import type { SessionClient, SessionSnapshot } from './sessionClient'

const EMPTY: SessionSnapshot = { joined: false, role: null, participantId: null, state: null, ballots: {}, clockOffsetMs: 0 }

export function useSession(client: SessionClient | null): SessionSnapshot {
	return useSyncExternalStore(
		(listener) => (client ? client.subscribe(listener) : () => {}),
		() => (client ? client.getSnapshot() : EMPTY),
	)
}
