import { createContext, useContext } from 'react'
import type { SessionClient, SessionSnapshot } from './sessionClient'

export interface SessionContextValue {
	client: SessionClient
	snapshot: SessionSnapshot
}

/** The board's facilitated-session client and its latest snapshot (null until connected). */
export const SessionContext = createContext<SessionContextValue | null>(null)

export function useSessionContext(): SessionContextValue | null {
	return useContext(SessionContext)
}
