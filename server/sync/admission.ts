/**
 * Who may open a sync socket, before any board data flows: browsers only
 * from our own origin (or configured ones), and within the server's caps.
 * Limits are per server and per board, never per IP: a whole workshop may
 * share one office NAT address.
 */
import type { IncomingMessage } from 'node:http'

/**
 * A browser always sends Origin on a WebSocket upgrade; other clients
 * (y-websocket in Node, scripts) usually send none and are allowed, since
 * origin checks only protect browsers from cross-site use of their tokens.
 */
export function isOriginAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
	const origin = request.headers.origin
	if (origin === undefined) return true
	if (allowedOrigins.includes('*')) return true
	let parsed: URL
	try {
		parsed = new URL(origin)
	} catch {
		return false
	}
	if (parsed.host === request.headers.host) return true
	return allowedOrigins.includes(`${parsed.protocol}//${parsed.host}`)
}

export interface CapacityLimits {
	maxConnections: number
	maxRooms: number
	maxConnectionsPerRoom: number
}

export interface CapacityUsage {
	connections: number
	rooms: number
	roomIsLoaded: boolean
	connectionsInRoom: number
}

/** Null when a new connection fits, else the reason it does not (sent as the close reason). */
export function capacityRefusal(limits: CapacityLimits, usage: CapacityUsage): string | null {
	if (usage.connections >= limits.maxConnections) return 'server is full: too many connections'
	if (!usage.roomIsLoaded && usage.rooms >= limits.maxRooms) return 'server is full: too many open boards'
	if (usage.connectionsInRoom >= limits.maxConnectionsPerRoom) return 'board is full: too many participants'
	return null
}
