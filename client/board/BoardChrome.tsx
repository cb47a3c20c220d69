/**
 * The workshop UI drawn inside tldraw's slots. The slot components are stable
 * (defined once) and read what they show from context, so a status or
 * session change re-renders them instead of remounting them.
 */
import { useContext, useEffect, useRef } from 'react'
import type { TLComponents } from 'tldraw'
import { ItemInspector } from '../items/ItemInspector'
import { SelectionStylePanel } from '../items/SelectionStylePanel'
import { RemoteCursorLayer } from '../presence/RemoteCursorLayer'
import { RoomReactionsBar, RoomReactionsLayer } from '../presence/RoomReactions'
import { useSearchShortcut } from '../search/searchShortcut'
import { WorkshopPanel, WorkshopToolbar } from '../items/WorkshopPanel'
import { SessionBar } from '../session/SessionBar'
import { useSessionContext } from '../session/SessionContext'
import { BoardChromeContext } from './boardChromeContext'
import { BoardStatus } from './BoardStatus'
import { ShareLinks } from './ShareLinks'

/**
 * Keeps `--wb-top-chrome-bottom` (on the page root) at the bottom edge of the pills along the
 * top, which wrap onto more rows on a narrow screen: a panel opened below them on a phone
 * (app.css) then never covers them.
 */
function useTopChromeBottom() {
	const ref = useRef<HTMLDivElement>(null)
	useEffect(() => {
		const el = ref.current
		if (!el) return
		const update = () => document.documentElement.style.setProperty('--wb-top-chrome-bottom', `${Math.ceil(el.getBoundingClientRect().bottom)}px`)
		const observer = new ResizeObserver(update)
		observer.observe(el)
		update()
		return () => observer.disconnect()
	}, [])
	return ref
}

function BoardTopPanel() {
	const chrome = useContext(BoardChromeContext)
	const session = useSessionContext()
	const ref = useTopChromeBottom()
	if (!chrome) return null
	return (
		<div className="board-top" ref={ref}>
			<BoardStatus status={chrome.status} title={chrome.title || 'Untitled board'} onRename={session?.snapshot.role === 'viewer' ? undefined : chrome.renameBoard} />
			{session && <SessionBar client={session.client} snapshot={session.snapshot} />}
			{/* Share sits in the pills' row: a row of its own covered the board under it. */}
			<div className="board-top__row">
				<WorkshopToolbar />
				<ShareLinks boardId={chrome.boardId} />
			</div>
		</div>
	)
}

function BoardInFrontOfCanvas() {
	const chrome = useContext(BoardChromeContext)
	useSearchShortcut()
	if (!chrome) return null
	return (
		<>
			{/* First, so the workshop panels stay above other people's pointers. */}
			<RemoteCursorLayer />
			<RoomReactionsLayer />
			<RoomReactionsBar />
			<ItemInspector />
			<WorkshopPanel boardId={chrome.boardId} title={chrome.title} template={chrome.template} />
		</>
	)
}

export const boardComponents: TLComponents = {
	TopPanel: BoardTopPanel,
	InFrontOfTheCanvas: BoardInFrontOfCanvas,
	StylePanel: SelectionStylePanel,
	// Other people's pointers are drawn by RemoteCursorLayer (one canvas), not one DOM node each.
	CollaboratorCursor: null,
}
