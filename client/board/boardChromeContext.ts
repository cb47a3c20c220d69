/** What the workshop UI inside tldraw's slots needs from the board page. */
import { createContext } from 'react'
import type { BoardRole } from '../../shared/session/roles'
import type { ConnectionStatus } from './boardConnection'

export interface BoardChromeValue {
	boardId: string
	title: string
	/** boardMeta.template, carried by the JSON export like the API's. */
	template: string | undefined
	status: ConnectionStatus
	renameBoard(title: string): void
	rotateLink(role: BoardRole, isOwnRole: boolean): Promise<string>
}

export const BoardChromeContext = createContext<BoardChromeValue | null>(null)
