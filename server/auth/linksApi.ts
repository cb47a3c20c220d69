/**
 * Role links over HTTP:
 *
 * | route | who | body | answer |
 * |---|---|---|---|
 * | POST /api/boards/:id/links/rotate | facilitator | `{ role }` | 200 `{ role, url, token }`; the old token stops working at once and its holders are disconnected (CloseCode.unauthorized) |
 *
 * Tokens are never logged; errors never echo them.
 */
import type { IncomingMessage } from 'node:http'
import { z } from 'zod'
import { BoardIdSchema, type BoardId } from '../../shared/boardId'
import { BOARD_PATH_PREFIX } from '../../shared/protocol'
import { BoardRoleSchema, TOKEN_QUERY_PARAM, type BoardRole } from '../../shared/session/roles'
import { sendJson, type Router } from '../http/router'
import type { Logger } from '../logger'
import { authorizeBoardRequest } from './requestAuth'
import type { BoardTokenStore } from './tokenStore'
import type { Authenticate } from './types'

export interface LinksApiContext {
	authenticate: Authenticate
	tokens: BoardTokenStore
	/** Closes the open connections of `boardId` that authenticated with `credentialId`; returns how many. */
	disconnectCredential(boardId: BoardId, credentialId: string): number
	logger: Logger
}

const RotateBodySchema = z.object({ role: BoardRoleSchema }).strict()
const BODY_LIMIT = 4 * 1024

/** host[:port] or [ipv6][:port]; anything else in a Host header is not echoed back. */
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/** Origin the caller used to reach us (Host header; X-Forwarded-Proto from a proxy). */
export function originOf(req: IncomingMessage): string {
	const forwarded = req.headers['x-forwarded-proto']
	const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
	const scheme = proto === 'https' || (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http'
	const host = req.headers.host
	if (host && HOST_HEADER.test(host)) return `${scheme}://${host}`
	return `${scheme}://127.0.0.1:${req.socket.localPort ?? 80}`
}

/** Full board URL carrying a role token. */
export function roleLink(origin: string, boardId: BoardId, token: string): string {
	return `${origin}${BOARD_PATH_PREFIX}${boardId}?${TOKEN_QUERY_PARAM}=${token}`
}

export function roleLinks(origin: string, boardId: BoardId, tokens: Record<BoardRole, string>): Record<BoardRole, string> {
	return {
		facilitator: roleLink(origin, boardId, tokens.facilitator),
		participant: roleLink(origin, boardId, tokens.participant),
		viewer: roleLink(origin, boardId, tokens.viewer),
	}
}

async function readSmallJson(req: IncomingMessage, limit: number): Promise<unknown> {
	let size = 0
	const chunks: Buffer[] = []
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.byteLength
		if (size > limit) throw new RangeError('body too large')
		chunks.push(chunk)
	}
	return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
}

export function registerLinksApi(router: Router, context: LinksApiContext): void {
	router.post('/api/boards/:id/links/rotate', async (req, res, { params }) => {
		const parsedId = BoardIdSchema.safeParse(params.id)
		if (!parsedId.success) return sendJson(res, 404, { error: 'not found' })
		const boardId = parsedId.data
		const decision = await authorizeBoardRequest(context.authenticate, req, boardId, ['facilitator'])
		if (!decision.ok) return sendJson(res, decision.status, { error: decision.error })
		let body: unknown
		try {
			body = await readSmallJson(req, BODY_LIMIT)
		} catch (error) {
			return sendJson(res, error instanceof RangeError ? 413 : 400, { error: error instanceof RangeError ? 'body too large' : 'invalid JSON' })
		}
		const parsed = RotateBodySchema.safeParse(body)
		if (!parsed.success) return sendJson(res, 400, { error: 'body must be { role: "facilitator" | "participant" | "viewer" }' })
		const { role } = parsed.data
		const { token, revokedCredentialId } = await context.tokens.rotate(boardId, role)
		const disconnected = revokedCredentialId === null ? 0 : context.disconnectCredential(boardId, revokedCredentialId)
		context.logger.info('auth.link_rotated', { board: boardId, role, disconnected })
		sendJson(res, 200, { role, token, url: roleLink(originOf(req), boardId, token) })
	})
}

