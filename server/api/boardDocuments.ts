/**
 * Board documents outside a live room: building the Y.Doc of a new board
 * (records checked against tldraw's schema first) and reading a board for an
 * export, from the live room when it is loaded or from storage otherwise.
 */
import { createTLSchema } from '@tldraw/tlschema'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/boardId'
import { readConversation, type BoardConversation } from '../../shared/comments/conversation'
import { BOARD_META_MAP, BoardMetaKey, DOC_LAYOUT_VERSION, isDocumentRecordId } from '../../shared/docLayout'
import { getRecordsMap, readAllRecords, recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import type { BoardStorage } from '../storage/boardStorage'
import type { RoomRegistry } from '../sync/roomRegistry'

const tldrawSchema = createTLSchema()

export interface RecordIssue {
	/** Position of the record in the list that was checked. */
	index: number
	id: string
	message: string
}

/** Checks every record with tldraw 5.4.2's validators; returns one issue per invalid record. */
export function validateTldrawRecords(records: readonly PlainRecord[]): RecordIssue[] {
	const issues: RecordIssue[] = []
	const seen = new Set<string>()
	for (const [index, record] of records.entries()) {
		const id = typeof record.id === 'string' ? record.id : ''
		const fail = (message: string) => issues.push({ index, id, message })
		if (!isDocumentRecordId(id)) {
			fail(`not a document record id: ${JSON.stringify(id)}`)
			continue
		}
		if (seen.has(id)) {
			fail(`duplicate record id ${id}`)
			continue
		}
		seen.add(id)
		const type = (tldrawSchema.types as Record<string, { validate(record: unknown): unknown } | undefined>)[record.typeName]
		if (!type) {
			fail(`unknown record type ${JSON.stringify(record.typeName)}`)
			continue
		}
		try {
			type.validate(record)
		} catch (error) {
			fail(error instanceof Error ? error.message : String(error))
		}
	}
	return issues
}

export interface NewBoardMeta {
	title: string
	template?: string
	createdAt: number
}

/**
 * The first stored update of a new board: its records (per docs/protocol.md,
 * one Y.Map per record with nested props/meta) and its boardMeta, written in
 * one transaction.
 */
export function encodeNewBoard(records: readonly PlainRecord[], meta: NewBoardMeta): Uint8Array {
	const doc = new Y.Doc()
	try {
		doc.transact(() => {
			const map = getRecordsMap(doc)
			for (const record of records) map.set(record.id, recordToYMap(record))
			const boardMeta = doc.getMap<unknown>(BOARD_META_MAP)
			boardMeta.set(BoardMetaKey.tldrawSchema, tldrawSchema.serialize())
			boardMeta.set(BoardMetaKey.layoutVersion, DOC_LAYOUT_VERSION)
			boardMeta.set(BoardMetaKey.title, meta.title)
			if (meta.template) boardMeta.set(BoardMetaKey.template, meta.template)
			boardMeta.set(BoardMetaKey.createdAt, meta.createdAt)
		})
		return Y.encodeStateAsUpdate(doc)
	} finally {
		doc.destroy()
	}
}

export interface BoardContent {
	/** '' when boardMeta has no readable title. */
	title: string
	template: string | undefined
	records: Map<string, Record<string, unknown>>
	/** Comment threads and sticky reactions (layout version 2), validated. */
	conversation: BoardConversation
}

function readContent(doc: Y.Doc): BoardContent | null {
	const records = readAllRecords(doc)
	const meta = doc.getMap<unknown>(BOARD_META_MAP)
	// A board nobody wrote anything to (e.g. a room someone opened on a made-up id) does not exist.
	if (records.size === 0 && meta.size === 0) return null
	const title = meta.get(BoardMetaKey.title)
	const template = meta.get(BoardMetaKey.template)
	return {
		title: typeof title === 'string' ? title.slice(0, 500) : '',
		template: typeof template === 'string' && template.length > 0 && template.length <= 64 ? template : undefined,
		records,
		conversation: readConversation(doc),
	}
}

/**
 * The board's current content, or null for an unknown board. A loaded room is
 * read directly (it has every accepted update, flushed or not); otherwise the
 * stored state is applied to a scratch doc that is dropped afterwards, so an
 * export never keeps a board in memory.
 */
export async function readBoardContent(rooms: RoomRegistry, storage: BoardStorage, boardId: BoardId): Promise<BoardContent | null> {
	const room = rooms.get(boardId)
	if (room && room.state === 'ready') return readContent(room.doc)
	return readStoredBoardContent(storage, boardId)
}

/** The board's stored content (no live room involved), or null for an unknown board. */
export async function readStoredBoardContent(storage: BoardStorage, boardId: BoardId): Promise<BoardContent | null> {
	const stored = await storage.loadBoard(boardId)
	return stored.update ? readContentOfUpdate(stored.update) : null
}

/** The content of a whole board state (a stored snapshot, a version), read on a scratch doc. */
export function readContentOfUpdate(update: Uint8Array): BoardContent | null {
	const doc = new Y.Doc()
	try {
		Y.applyUpdate(doc, update)
		return readContent(doc)
	} finally {
		doc.destroy()
	}
}

export class BoardExistsError extends Error {
	override name = 'BoardExistsError'
	constructor(boardId: BoardId) {
		super(`board ${boardId} already exists`)
	}
}

/**
 * Brings a board into existence: the only way one is stored (API create and
 * import, `board-admin create`). A socket to a board that was never created
 * is refused with 4404. Rejects with BoardExistsError for a stored board.
 */
export async function storeNewBoard(storage: BoardStorage, boardId: BoardId, records: readonly PlainRecord[], meta: NewBoardMeta): Promise<void> {
	const existing = await storage.loadBoard(boardId)
	if (existing.update !== null || existing.lastSeq > 0) throw new BoardExistsError(boardId)
	await storage.appendUpdates(boardId, [encodeNewBoard(records, meta)])
}
