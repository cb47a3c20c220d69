/**
 * Response bodies of the boards API. Creating and importing a board answer
 * with the same body, built here only.
 */
import type { IncomingMessage } from 'node:http'
import type { BoardId } from '../../shared/boardId'
import { BOARD_PATH_PREFIX } from '../../shared/protocol'
import { TOKEN_QUERY_PARAM, type BoardRole } from '../../shared/session/roles'

export interface BoardCreatedResponse {
	id: BoardId
	/** Absolute URL of the board page without a token, e.g. http://localhost:8787/b/<id>. */
	url: string
	/** The role links (URL + `?token=`), present when the server issues tokens. Shown only once. */
	links?: Record<BoardRole, string>
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

export function boardCreatedResponse(req: IncomingMessage, boardId: BoardId, tokens?: Record<BoardRole, string>): BoardCreatedResponse {
	const url = `${requestOrigin(req)}${BOARD_PATH_PREFIX}${boardId}`
	if (!tokens) return { id: boardId, url }
	const link = (role: BoardRole) => `${url}?${TOKEN_QUERY_PARAM}=${tokens[role]}`
	return { id: boardId, url, links: { facilitator: link('facilitator'), participant: link('participant'), viewer: link('viewer') } }
}
