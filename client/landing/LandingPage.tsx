import { useState } from 'react'
import { newBoardId } from '../../shared/boardId'
import { BOARD_PATH_PREFIX } from '../../shared/protocol'
import { navigate } from '../App'
import { forgetBoard, listRecentBoards, type RecentBoard } from './recentBoards'

function formatWhen(ms: number): string {
	return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function LandingPage({ error }: { error?: string }) {
	const [recent, setRecent] = useState<RecentBoard[]>(() => listRecentBoards())

	const createBoard = () => navigate(`${BOARD_PATH_PREFIX}${newBoardId()}`)

	return (
		<main className="landing">
			<header className="landing__header">
				<h1>Workshop Board</h1>
				<p>A real-time whiteboard for product workshops: capture problems and ideas, vote, prioritize, export.</p>
			</header>
			{error && (
				<p className="landing__error" role="alert">
					{error}
				</p>
			)}
			<section className="landing__actions">
				<button type="button" className="button button--primary" data-testid="new-board" onClick={createBoard}>
					New board
				</button>
			</section>
			<section className="landing__recent" aria-labelledby="recent-heading">
				<h2 id="recent-heading">Recent boards</h2>
				{recent.length === 0 ? (
					<p className="muted">Boards you open appear here.</p>
				) : (
					<ul>
						{recent.map((board) => (
							<li key={board.id}>
								<a
									href={`${BOARD_PATH_PREFIX}${board.id}`}
									onClick={(e) => {
										e.preventDefault()
										navigate(`${BOARD_PATH_PREFIX}${board.id}`)
									}}
								>
									{board.title || `Board ${board.id.slice(0, 6)}…`}
								</a>
								<span className="muted"> · opened {formatWhen(board.openedAt)}</span>
								<button
									type="button"
									className="button button--link"
									aria-label={`Remove ${board.title || board.id} from recent boards`}
									onClick={() => {
										forgetBoard(board.id)
										setRecent(listRecentBoards())
									}}
								>
									remove
								</button>
							</li>
						))}
					</ul>
				)}
			</section>
		</main>
	)
}
