/**
 * The versions HTTP API (#14 item 5). Reads are open to every role of the
 * board, writes need the facilitator's token (server/api/authorize.ts).
 *
 * | route | answer |
 * |---|---|
 * | GET /api/boards/:id/versions | 200 `{ versions (newest first), usage, limits }` |
 * | POST /api/boards/:id/versions `{ name }` | 201 the version; 400 for an empty or too long name; 409/413 over the board's caps |
 * | GET /api/boards/:id/versions/:versionId | 200 the version (summary) |
 * | GET /api/boards/:id/versions/:versionId/export.json | the version as a board export (download) |
 * | GET /api/boards/:id/versions/:versionId/document | the version's Yjs state (application/octet-stream), for the read-only view |
 * | POST /api/boards/:id/versions/:versionId/restore | 201 `{ id, url, links, title }`: a new board with the version's content |
 * | DELETE /api/boards/:id/versions/:versionId | 204 |
 * | GET /api/boards/:id/compare?from=<versionId or live>&to=<versionId or live> | 200 `{ from, to, comparison }` (shared/versions/compare.ts) |
 *
 * An unknown board, an unknown version and another board's version all answer 404 (through a
 * version's path: "version not found").
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { BoardIdSchema, type BoardId } from '../../shared/boardId'
import { CompareSideSchema, CreateVersionBodySchema, LIVE, VersionIdSchema, type CompareSide } from '../../shared/versions'
import type { ApiAction, Authorize } from '../api/authorize'
import { sendApiError } from '../api/boardsApi'
import { readJsonBody } from '../api/jsonBody'
import { boardCreatedResponse } from '../api/responses'
import type { Router } from '../http/router'
import { sendJson } from '../http/router'
import type { BoardStorage } from '../storage/boardStorage'
import type { RoomRegistry } from '../sync/roomRegistry'
import { BoardVersions, toSummary, VersionError } from './boardVersions'

const BOARD = '/api/boards/:id'
const CREATE_VERSION_BODY_LIMIT = 16 * 1024

export interface VersionsApiContext {
	versions: BoardVersions
	authorize: Authorize
	rooms: RoomRegistry
	storage: BoardStorage
}

export function registerVersionsApi(router: Router, context: VersionsApiContext): void {
	const { versions, authorize } = context

	/** The board id of the path when the request may run `action` on it; otherwise answers (404/401/403) and returns null. */
	const boardFor = async (req: IncomingMessage, res: ServerResponse, rawId: string | undefined, action: ApiAction): Promise<BoardId | null> => {
		const id = BoardIdSchema.safeParse(rawId)
		if (!id.success) {
			sendApiError(res, 404, 'board not found')
			return null
		}
		const decision = await authorize(req, id.data, action)
		if (!decision.ok) {
			sendApiError(res, decision.status, decision.error)
			return null
		}
		// Whether the board exists is asked only where it matters (a list without versions): reading a
		// version finds it or not, saving and comparing with live read the board anyway.
		return id.data
	}

	/** VersionError → its status; anything else is the router's 500. */
	const answering = async (res: ServerResponse, work: () => Promise<void>) => {
		try {
			await work()
		} catch (error) {
			if (error instanceof VersionError) return sendApiError(res, error.status, error.message)
			throw error
		}
	}

	const versionIdOf = (res: ServerResponse, raw: string | undefined): string | null => {
		const parsed = VersionIdSchema.safeParse(raw)
		if (!parsed.success) sendApiError(res, 404, 'version not found')
		return parsed.success ? parsed.data : null
	}

	router.get(`${BOARD}/versions`, async (req, res, { params }) => {
		const boardId = await boardFor(req, res, params.id, 'versions:read')
		if (!boardId) return
		const list = await versions.list(boardId)
		if (list.versions.length === 0 && !(await boardExists(context, boardId))) return sendApiError(res, 404, 'board not found')
		sendJson(res, 200, list)
	})

	router.post(`${BOARD}/versions`, async (req, res, { params }) => {
		const boardId = await boardFor(req, res, params.id, 'versions:write')
		if (!boardId) return
		const body = await readJsonBody(req, CREATE_VERSION_BODY_LIMIT)
		if (!body.ok) return sendApiError(res, body.status, body.error, body.detail ? [{ path: '', message: body.detail }] : undefined)
		const parsed = CreateVersionBodySchema.safeParse(body.value)
		if (!parsed.success) {
			const issues = parsed.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
			return sendApiError(res, 400, `invalid version: ${issues.map((issue) => issue.message).join('; ')}`, issues)
		}
		await answering(res, async () => sendJson(res, 201, toSummary(await versions.save(boardId, parsed.data.name))))
	})

	router.get(`${BOARD}/versions/:versionId`, async (req, res, { params }) => {
		const boardId = await boardFor(req, res, params.id, 'versions:read')
		const versionId = boardId && versionIdOf(res, params.versionId)
		if (!boardId || !versionId) return
		const version = await versions.load(boardId, versionId)
		if (!version) return sendApiError(res, 404, 'version not found')
		sendJson(res, 200, toSummary(version))
	})

	router.get(`${BOARD}/versions/:versionId/export.json`, async (req, res, { params }) => {
		const boardId = await boardFor(req, res, params.id, 'versions:read')
		const versionId = boardId && versionIdOf(res, params.versionId)
		if (!boardId || !versionId) return
		await answering(res, async () => {
			const data = await versions.exportOf(boardId, versionId)
			const body = JSON.stringify(data, null, 2)
			res.writeHead(200, {
				'content-type': 'application/json; charset=utf-8',
				'content-length': Buffer.byteLength(body),
				'content-disposition': `attachment; filename="board-${boardId}-version-${versionId}.json"`,
				'cache-control': 'no-store',
			})
			res.end(body)
		})
	})

	router.get(`${BOARD}/versions/:versionId/document`, async (req, res, { params }) => {
		const boardId = await boardFor(req, res, params.id, 'versions:read')
		const versionId = boardId && versionIdOf(res, params.versionId)
		if (!boardId || !versionId) return
		const version = await versions.load(boardId, versionId)
		if (!version) return sendApiError(res, 404, 'version not found')
		res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': version.doc.byteLength, 'cache-control': 'no-store' })
		res.end(Buffer.from(version.doc.buffer, version.doc.byteOffset, version.doc.byteLength))
	})

	router.post(`${BOARD}/versions/:versionId/restore`, async (req, res, { params }) => {
		const boardId = await boardFor(req, res, params.id, 'versions:write')
		const versionId = boardId && versionIdOf(res, params.versionId)
		if (!boardId || !versionId) return
		await answering(res, async () => {
			const copy = await versions.restoreAsNewBoard(boardId, versionId)
			sendJson(res, 201, { ...boardCreatedResponse(req, copy.boardId, copy.tokens), title: copy.title })
		})
	})

	router.delete(`${BOARD}/versions/:versionId`, async (req, res, { params }) => {
		const boardId = await boardFor(req, res, params.id, 'versions:write')
		const versionId = boardId && versionIdOf(res, params.versionId)
		if (!boardId || !versionId) return
		if (!(await versions.delete(boardId, versionId))) return sendApiError(res, 404, 'version not found')
		res.writeHead(204)
		res.end()
	})

	router.get(`${BOARD}/compare`, async (req, res, { params, url }) => {
		const boardId = await boardFor(req, res, params.id, 'versions:read')
		if (!boardId) return
		const side = (name: 'from' | 'to'): CompareSide | null => {
			const raw = url.searchParams.get(name)
			const parsed = CompareSideSchema.safeParse(raw)
			if (parsed.success) return parsed.data
			sendApiError(res, raw === null ? 400 : 404, raw === null ? `${name} is required: a version id or "${LIVE}"` : 'version not found')
			return null
		}
		const from = side('from')
		const to = from && side('to')
		if (!from || !to) return
		await answering(res, async () => {
			const comparison = await versions.compare(boardId, from, to)
			sendJson(res, 200, { from, to, comparison })
		})
	})
}

/** A board exists once something was stored for it (or its room is loaded). */
async function boardExists(context: VersionsApiContext, boardId: BoardId): Promise<boolean> {
	const room = context.rooms.get(boardId)
	if (room && room.state === 'ready') return true
	const stored = await context.storage.loadBoard(boardId)
	return stored.update !== null
}
