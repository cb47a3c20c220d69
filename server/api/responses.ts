/**
 * Response bodies of the boards API. Creating and importing a board answer
 * with the same body, built here only (role tokens join it in a later issue).
 */
import type { IncomingMessage } from 'node:http'
import type { BoardId } from '../../shared/boardId'
import { BOARD_PATH_PREFIX } from '../../shared/protocol'

export interface BoardCreatedResponse {
	id: BoardId
	/** Absolute URL of the board page, e.g. http://localhost:8787/b/<id>. */
	url: string
}

/** host[:port] or [ipv6][:port]; anything else in a Host header is not echoed back. */
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/** The origin the client used to reach us, from the Host header (and a proxy's X-Forwarded-Proto). */
export function requestOrigin(req: IncomingMessage): string {
	const forwarded = req.headers['x-forwarded-proto']
	const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
	const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true
	const scheme = proto === 'https' || encrypted ? 'https' : 'http'
	const host = req.headers.host
	if (host && HOST_HEADER.test(host)) return `${scheme}://${host}`
	const address = req.socket.localAddress ?? '127.0.0.1'
	const hostname = address.includes(':') ? `[${address}]` : address
	return `${scheme}://${hostname}:${req.socket.localPort ?? 80}`
}

export function boardCreatedResponse(req: IncomingMessage, boardId: BoardId): BoardCreatedResponse {
	return { id: boardId, url: `${requestOrigin(req)}${BOARD_PATH_PREFIX}${boardId}` }
}
