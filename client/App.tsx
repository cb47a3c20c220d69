import { lazy, Suspense, useEffect, useState } from 'react'
import { isBoardId } from '../shared/boardIdFormat'
import { BOARD_PATH_PREFIX } from '../shared/protocol'
import { LandingPage } from './landing/LandingPage'

// The canvas (tldraw and everything on it) is its own chunk: the landing page never downloads it.
const loadBoardPage = () => import('./board/BoardPage')
const BoardPage = lazy(async () => ({ default: (await loadBoardPage()).BoardPage }))
// A saved version, read-only (client/versions): /b/<id>?version=<versionId>; it never connects to the live board.
const VersionPage = lazy(async () => ({ default: (await import('./versions/VersionPage')).VersionPage }))
// The stakeholder roadmap is a document: its chunk has no tldraw.
const RoadmapPage = lazy(async () => ({ default: (await import('./roadmap/RoadmapPage')).RoadmapPage }))

type Route =
	| { page: 'landing' }
	| { page: 'board'; boardId: string }
	| { page: 'version'; boardId: string; versionId: string }
	| { page: 'roadmap'; boardId: string }
	| { page: 'bad-board' }

const ROADMAP_SUFFIX = '/roadmap'

/** `/` is the landing page, `/b/<boardId>` a board, `/b/<boardId>/roadmap` its roadmap; anything else falls back to the landing page. */
function parseRoute(pathname: string): Route {
	if (!pathname.startsWith(BOARD_PATH_PREFIX)) return { page: 'landing' }
	let rest = pathname.slice(BOARD_PATH_PREFIX.length).replace(/\/+$/, '')
	const roadmap = rest.endsWith(ROADMAP_SUFFIX)
	if (roadmap) rest = rest.slice(0, -ROADMAP_SUFFIX.length)
	const candidate = decodeURIComponent(rest)
	if (!isBoardId(candidate)) return { page: 'bad-board' }
	if (roadmap) return { page: 'roadmap', boardId: candidate }
	const versionId = new URLSearchParams(window.location.search).get('version')
	return versionId ? { page: 'version', boardId: candidate, versionId } : { page: 'board', boardId: candidate }
}

/** A board starts syncing while its canvas code downloads, in parallel rather than one after the other. */
function startLoading(pathname: string): string {
	const route = parseRoute(pathname)
	if (route.page === 'board') {
		// The sync code is small and arrives first; it connects while the canvas chunk is still downloading.
		const boardId = route.boardId
		void import('./board/preopenedConnection').then(({ preopenBoardConnection }) => preopenBoardConnection(boardId))
		void loadBoardPage()
	}
	return pathname
}

export function App() {
	const [pathname, setPathname] = useState(() => startLoading(window.location.pathname))
	useEffect(() => {
		const onPop = () => setPathname(startLoading(window.location.pathname))
		window.addEventListener('popstate', onPop)
		return () => window.removeEventListener('popstate', onPop)
	}, [])
	const route = parseRoute(pathname)
	switch (route.page) {
		case 'landing':
			return <LandingPage />
		case 'board':
			return (
				<Suspense fallback={<div className="board-loading" role="status">Opening the board…</div>}>
					<BoardPage key={route.boardId} boardId={route.boardId} />
				</Suspense>
			)
		case 'version':
			return (
				<Suspense fallback={<div className="board-loading" role="status">Opening the version…</div>}>
					<VersionPage key={`${route.boardId}/${route.versionId}`} boardId={route.boardId} versionId={route.versionId} />
				</Suspense>
			)
		case 'roadmap':
			return (
				<Suspense fallback={<div className="board-loading" role="status">Opening the roadmap…</div>}>
					<RoadmapPage key={route.boardId} boardId={route.boardId} />
				</Suspense>
			)
		case 'bad-board':
			return <LandingPage error="That board link is not valid. Check the link or create a new board." />
	}
}
