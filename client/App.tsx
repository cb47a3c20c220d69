import { useEffect, useState } from 'react'
import { BoardIdSchema } from '../shared/boardId'
import { BOARD_PATH_PREFIX } from '../shared/protocol'
import { BoardPage } from './board/BoardPage'
import { LandingPage } from './landing/LandingPage'

/** `/` is the landing page, `/b/<boardId>` a board; anything else falls back to the landing page. */
function parseRoute(pathname: string): { page: 'landing' } | { page: 'board'; boardId: string } | { page: 'bad-board' } {
	if (!pathname.startsWith(BOARD_PATH_PREFIX)) return { page: 'landing' }
	const candidate = decodeURIComponent(pathname.slice(BOARD_PATH_PREFIX.length).replace(/\/+$/, ''))
	return BoardIdSchema.safeParse(candidate).success ? { page: 'board', boardId: candidate } : { page: 'bad-board' }
}

export function App() {
	const [pathname, setPathname] = useState(window.location.pathname)
	useEffect(() => {
		const onPop = () => setPathname(window.location.pathname)
		window.addEventListener('popstate', onPop)
		return () => window.removeEventListener('popstate', onPop)
	}, [])
	const route = parseRoute(pathname)
	switch (route.page) {
		case 'landing':
			return <LandingPage />
		case 'board':
			return <BoardPage key={route.boardId} boardId={route.boardId} />
		case 'bad-board':
			return <LandingPage error="That board link is not valid. Check the link or create a new board." />
	}
}
