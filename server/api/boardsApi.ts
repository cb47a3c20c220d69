/**
 * The boards HTTP API:
 *
 * | route | body | answer |
 * |---|---|---|
 * | POST /api/boards | `{ title?, template? }` (JSON, ≤ 64 KiB) | 201 `{ id, url, links }` |
 * | POST /api/boards/import | a board export (JSON, ≤ 20 MiB) | 201 `{ id, url, links }`, or 422 `{ error, issues }` and nothing written |
 *
 * `links` = `{ facilitator, participant, viewer }`: full board URLs with each
 * role's token (docs/sessions.md), shown once. `url` has no token.
 * | GET /api/boards/:id/export.json, .csv, .md (or /export?format=) | — | the export as a download; 404 for an unknown board |
 *
 * Errors are JSON `{ error, issues? }`. Every handler passes through one
 * `authorize(request, boardId, action)` call, so token auth lands in one place.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { BoardIdSchema, newBoardId, randomBase64Url, type BoardId } from '../../shared/boardId'
import { boardExportToRecords, buildBoardExport, parseBoardImport, type ClosedVotingInput } from '../../shared/export'
import type { PlainRecord } from '../../shared/recordCodec'
import { withoutControlCharacters } from '../../shared/versions/schema'
import { BoardTemplateSchema, buildTemplateRecords, DEFAULT_PAGE_ID, defaultDocumentRecords } from '../../shared/templates'
import type { BoardRole } from '../auth'
import type { Router } from '../http/router'
import { sendJson } from '../http/router'
import { describeError, type Logger } from '../logger'
import type { BoardStorage } from '../storage/boardStorage'
import type { RoomRegistry } from '../sync/roomRegistry'
import type { ApiAction, Authorize } from './authorize'
import { readBoardContent, storeNewBoard, validateTldrawRecords } from './boardDocuments'
import { EXPORT_FORMATS, exportFileName, isExportFormat, renderBoardExport } from './exportFormats'
import { readJsonBody } from './jsonBody'
import { boardCreatedResponse } from './responses'

export const BOARDS_PATH = '/api/boards'
export const CREATE_BOARD_BODY_LIMIT = 64 * 1024
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024

export interface BoardsApiContext {
	rooms: RoomRegistry
	storage: BoardStorage
	authorize: Authorize
	logger: Logger
	/** Clock for createdAt / exportedAt (tests may fix it). */
	now?: () => number
	/** Issues the role tokens of a new board (server/auth); without it boards are created open (no links). */
	issueRoleTokens?: (boardId: BoardId) => Promise<Record<BoardRole, string>>
	/**
	 * The board's closed voting sessions for the export (server/session:
	 * `sessions.getVoteResults(id).sessions`). Without it exports carry no votes.
	 */
	closedVotingSessions?: (boardId: BoardId) => Promise<readonly ClosedVotingInput[]>
}

export interface ApiIssue {
	path: string
	message: string
}

export function sendApiError(res: ServerResponse, status: number, error: string, issues?: ApiIssue[]): void {
	sendJson(res, status, issues ? { error, issues } : { error })
}

const TitleSchema = z
	.string()
	.transform((s) => withoutControlCharacters(s).trim())
	.pipe(z.string().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters'))

export const CreateBoardBodySchema = z
	.object({
		title: TitleSchema.optional(),
		template: BoardTemplateSchema.default('blank'),
	})
	.strict()
export type CreateBoardBody = z.input<typeof CreateBoardBodySchema>

function newRecordId(): string {
	return randomBase64Url(12)
}

/** Body of POST /api/boards may be omitted entirely. */
function hasNoBody(req: IncomingMessage): boolean {
	return req.headers['content-length'] === '0' || (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)
}

export function registerBoardsApi(router: Router, context: BoardsApiContext): void {
	const { rooms, storage, authorize, logger } = context
	const now = context.now ?? Date.now

	/** Runs `authorize`; answers the refusal itself and returns false when refused. */
	const allowed = async (req: IncomingMessage, res: ServerResponse, boardId: BoardId | null, action: ApiAction) => {
		const decision = await authorize(req, boardId, action)
		if (!decision.ok) sendApiError(res, decision.status, decision.error)
		return decision.ok
	}

	/** Writes a new board's first update before anyone can know its id, then answers 201. */
	const createBoard = async (req: IncomingMessage, res: ServerResponse, records: PlainRecord[], meta: { title: string; template?: string }) => {
		const boardId = newBoardId()
		if (rooms.get(boardId)) throw new Error('fresh board id already has a room') // 128 random bits: never
		// Tokens first: a board is never stored without them, so it is never briefly open.
		const tokens = await context.issueRoleTokens?.(boardId)
		await storeNewBoard(storage, boardId, records, { ...meta, createdAt: now() })
		logger.info('api.board_created', { board: boardId, template: meta.template ?? null, records: records.length })
		sendJson(res, 201, boardCreatedResponse(req, boardId, tokens))
	}

	router.post(BOARDS_PATH, async (req, res) => {
		if (!(await allowed(req, res, null, 'board:create'))) return
		let json: unknown = {}
		if (!hasNoBody(req)) {
			const body = await readJsonBody(req, CREATE_BOARD_BODY_LIMIT)
			if (!body.ok) return sendApiError(res, body.status, body.error, body.detail ? [{ path: '', message: body.detail }] : undefined)
			json = body.value
		}
		const parsed = CreateBoardBodySchema.safeParse(json)
		if (!parsed.success) {
			const issues = parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
			return sendApiError(res, 400, 'invalid request body', issues)
		}
		const { template } = parsed.data
		const built = buildTemplateRecords(template, { newId: newRecordId, pageId: DEFAULT_PAGE_ID })
		const records = [...defaultDocumentRecords(DEFAULT_PAGE_ID), ...built.records]
		const invalid = validateTldrawRecords(records)
		if (invalid.length > 0) throw new Error(`template ${template} has ${invalid.length} invalid records: ${invalid[0].message}`)
		await createBoard(req, res, records, { title: parsed.data.title ?? built.title, template })
	})

	router.post(`${BOARDS_PATH}/import`, async (req, res) => {
		if (!(await allowed(req, res, null, 'board:import'))) return
		const body = await readJsonBody(req, IMPORT_BODY_LIMIT)
		if (!body.ok) return sendApiError(res, body.status, body.error, body.detail ? [{ path: '', message: body.detail }] : undefined)
		const parsed = parseBoardImport(body.value)
		if (!parsed.ok) return sendApiError(res, 422, 'invalid board export', parsed.issues)
		const { data } = parsed
		// Pages come from the export (at least one); the document record every board needs is added.
		const records = [defaultDocumentRecords()[0], ...boardExportToRecords(data, { newId: newRecordId })]
		const invalid = validateTldrawRecords(records)
		if (invalid.length > 0) {
			const issues = invalid.slice(0, 50).map((issue) => ({ path: `records.${issue.index}`, message: `${issue.id}: ${issue.message}` }))
			return sendApiError(res, 422, 'invalid board export', issues)
		}
		await createBoard(req, res, records, { title: data.board.title.trim() || 'Imported board', template: data.board.template })
	})

	const exportBoard = async (req: IncomingMessage, res: ServerResponse, rawId: string | undefined, format: string) => {
		const id = BoardIdSchema.safeParse(rawId)
		if (!id.success) return sendApiError(res, 404, 'board not found')
		if (!isExportFormat(format)) return sendApiError(res, 400, `unknown export format ${JSON.stringify(format.slice(0, 20))}; use json, csv or md`)
		if (!(await allowed(req, res, id.data, 'board:export'))) return
		const content = await readBoardContent(rooms, storage, id.data)
		if (!content) return sendApiError(res, 404, 'board not found')
		const exportedAt = now()
		let body: string
		try {
			const votingSessions = (await context.closedVotingSessions?.(id.data)) ?? []
			const data = buildBoardExport({ boardId: id.data, title: content.title, template: content.template, records: content.records, now: exportedAt, votingSessions, conversation: content.conversation })
			body = renderBoardExport(data, format)
		} catch (error) {
			// The builder is meant to never throw; if a document (or the session store) still breaks it, say so without its contents.
			logger.error('api.export_failed', { board: id.data, format, error: describeError(error) })
			return sendApiError(res, 500, 'export failed')
		}
		res.writeHead(200, {
			'content-type': EXPORT_FORMATS[format].contentType,
			'content-length': Buffer.byteLength(body),
			'content-disposition': `attachment; filename="${exportFileName(content.title, exportedAt, format)}"`,
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff',
		})
		res.end(body)
	}

	router.get(`${BOARDS_PATH}/:id/export.:format`, (req, res, { params }) => exportBoard(req, res, params.id, params.format))
	router.get(`${BOARDS_PATH}/:id/export`, (req, res, { params, url }) => exportBoard(req, res, params.id, url.searchParams.get('format') ?? 'json'))
}
