/**
 * Opens a board's connection before the canvas code has arrived. The board
 * page's tldraw chunk is large; starting the sync (IndexedDB copy + socket) at
 * the same moment as that download means both finish together instead of one
 * after the other. tldraw-free on purpose: this module ships in the entry chunk.
 */
import { TOKEN_QUERY_PARAM } from '../../shared/session/roles'
import { takeTokenFromLocation } from './boardAccess'
import { openBoardConnection, type BoardConnection } from './boardConnection'

export interface OpenedConnection {
	connection: BoardConnection
	/** The role token the connection was opened with (taken out of the URL). */
	token: string | null
}

let pending: { boardId: string; opened: OpenedConnection } | null = null
/** The board whose page holds its connection now: opening it ahead again would connect twice. */
let openBoardId: string | null = null

/** Starts connecting to `boardId` now; the board page takes it over when it mounts. */
export function preopenBoardConnection(boardId: string): void {
	if (pending?.boardId === boardId || openBoardId === boardId) return
	pending?.opened.connection.destroy()
	pending = { boardId, opened: openConnection(boardId) }
}

/** The connection opened ahead for `boardId` (handed over once), or a new one. */
export function takeBoardConnection(boardId: string): OpenedConnection {
	openBoardId = boardId
	if (pending?.boardId === boardId) {
		const { opened } = pending
		pending = null
		return opened
	}
	return openConnection(boardId)
}

/** The board page closed its connection. */
export function boardConnectionClosed(boardId: string): void {
	if (openBoardId === boardId) openBoardId = null
}

function openConnection(boardId: string): OpenedConnection {
	const token = takeTokenFromLocation(boardId)
	const connection = openBoardConnection(boardId, token ? { params: { [TOKEN_QUERY_PARAM]: token } } : {})
	return { connection, token }
}
