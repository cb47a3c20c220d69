/**
 * The roadmap page's data: the board's Y.Doc synced read-only (the same
 * connection and token handling as the board page, without tldraw), turned
 * into a board export by the same builder as the JSON download each time the
 * doc changes. Closed voting results live on the server, not in the doc: they
 * come from the board's export API (allowed for every role) now and then.
 */
import { useEffect, useState } from 'react'
import { BOARD_META_MAP, readExportMeta } from '../../shared/docLayout'
import { readConversation } from '../../shared/comments/conversation'
import { buildBoardExport, type BoardExport, type ClosedVotingInput } from '../../shared/export'
import { readAllRecords } from '../../shared/recordCodec'
import { closedVotingFromExport } from '../../shared/roadmap/closedVoting'
import { TOKEN_QUERY_PARAM } from '../../shared/session/roles'
import { takeTokenFromLocation } from '../board/boardAccess'
import { openBoardConnection, type ConnectionStatus } from '../board/boardConnection'

/** Doc changes arrive in bursts while people type: rebuild at most this often. */
const REBUILD_EVERY_MS = 250
/** Votes close a few times per workshop; refreshing them twice a minute is plenty. */
const VOTES_REFRESH_MS = 30_000

export interface RoadmapData {
	data: BoardExport | null
	status: ConnectionStatus | null
	/** What the doc's readers skipped as malformed (comments, reactions). */
	issues: string[]
}

async function fetchClosedVoting(boardId: string, token: string | null): Promise<ClosedVotingInput[] | null> {
	const query = token ? `?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}` : ''
	try {
		const response = await fetch(`/api/boards/${encodeURIComponent(boardId)}/export.json${query}`, { cache: 'no-store' })
		if (!response.ok) return null
		return closedVotingFromExport(await response.json())
	} catch {
		return null
	}
}

export function useRoadmapExport(boardId: string): RoadmapData {
	const [state, setState] = useState<RoadmapData>({ data: null, status: null, issues: [] })
	useEffect(() => {
		const token = takeTokenFromLocation(boardId)
		const conn = openBoardConnection(boardId, token ? { params: { [TOKEN_QUERY_PARAM]: token } } : {})
		let votes: ClosedVotingInput[] = []
		let ready = false
		let timer: ReturnType<typeof setTimeout> | null = null
		const rebuild = () => {
			timer = null
			if (!ready) return
			const { title, template } = readExportMeta(conn.doc.getMap(BOARD_META_MAP))
			const conversation = readConversation(conn.doc)
			const data = buildBoardExport({ boardId, title, template, records: readAllRecords(conn.doc), now: Date.now(), votingSessions: votes, conversation })
			setState({ data, status: conn.getStatus(), issues: conversation.issues })
		}
		const schedule = () => {
			if (timer === null) timer = setTimeout(rebuild, REBUILD_EVERY_MS)
		}
		const offStatus = conn.onStatus((status) => setState((prev) => ({ ...prev, status })))
		setState((prev) => ({ ...prev, status: conn.getStatus() }))
		conn.doc.on('update', schedule)
		void conn.ready.then(() => {
			ready = true
			rebuild()
		})
		const refreshVotes = async () => {
			const fresh = await fetchClosedVoting(boardId, token)
			if (fresh === null) return
			votes = fresh
			schedule()
		}
		void refreshVotes()
		const votesTimer = setInterval(() => void refreshVotes(), VOTES_REFRESH_MS)
		return () => {
			if (timer !== null) clearTimeout(timer)
			clearInterval(votesTimer)
			conn.doc.off('update', schedule)
			offStatus()
			conn.destroy()
		}
	}, [boardId])
	return state
}
