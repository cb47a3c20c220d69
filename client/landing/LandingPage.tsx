import { useState } from 'react'
import type { ImportIssue } from '../../shared/export'
import { BOARD_PATH_PREFIX } from '../../shared/protocol'
import { navigate } from '../navigation'
import { BoardApiError, createBoard, importBoard, type BoardTemplate, type CreatedBoard } from './boardsApi'
import { BoardLinks } from './BoardLinks'
import { AdminTokenPrompt } from './AdminTokenPrompt'
import { forgetAdminToken, loadAdminToken, saveAdminToken } from './adminToken'
import { saveRoleLinks } from '../board/roleLinks'
import { forgetBoard, listRecentBoards, type RecentBoard } from './recentBoards'

const TEMPLATES: { id: BoardTemplate; label: string; description: string }[] = [
	{
		id: 'discovery',
		label: 'Product discovery workshop',
		description: 'The 7 stages: problem & JTBD, vision, solution ideas, roadmap themes, prioritize, MVP scope, measure & learn.',
	},
	{ id: 'storymap', label: 'Story map', description: 'Activities → steps → stories, cut into releases; release 1 is the MVP.' },
	{ id: 'ost', label: 'Opportunity solution tree', description: 'Outcome → opportunities → solutions → experiments, linked by arrows.' },
	{ id: 'retro', label: 'Retrospective', description: 'What went well, what didn’t, ideas, actions.' },
	{ id: 'blank', label: 'Blank', description: 'An empty canvas.' },
]

function formatWhen(ms: number): string {
	return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function LandingPage({ error }: { error?: string }) {
	const [recent, setRecent] = useState<RecentBoard[]>(() => listRecentBoards())
	const [template, setTemplate] = useState<BoardTemplate>('discovery')
	const [title, setTitle] = useState('')
	const [busy, setBusy] = useState(false)
	const [problem, setProblem] = useState<{ message: string; issues: ImportIssue[] } | null>(null)

	const [created, setCreated] = useState<CreatedBoard | null>(null)
	/** A create or import the server refused for want of the admin token, to run again with one. */
	const [adminPrompt, setAdminPrompt] = useState<{ purpose: string; error: string | null; retry: (token: string) => Promise<CreatedBoard> } | null>(null)
	const openCreated = (board: CreatedBoard) => {
		if (board.links) saveRoleLinks(board.id, board.links) // re-shown later from Share (client/board/roleLinks.ts)
		if (board.links) setCreated(board)
		else navigate(`${BOARD_PATH_PREFIX}${board.id}`)
	}
	/**
	 * Runs a create/import with the remembered admin token (if any). When the server wants one
	 * (BOARD_CREATION=admin) and has none or a stale one, asks for it instead of failing.
	 */
	const create = async (purpose: string, action: (adminToken: string | null) => Promise<CreatedBoard>): Promise<void> => {
		const remembered = loadAdminToken()
		try {
			openCreated(await action(remembered))
		} catch (error) {
			const tokenProblem = error instanceof BoardApiError ? error.adminTokenProblem : null
			if (tokenProblem === null) throw error
			forgetAdminToken()
			const stale = remembered !== null ? 'The admin token this tab remembered is no longer accepted.' : null
			setAdminPrompt({ purpose, error: stale, retry: (token) => action(token) })
		}
	}
	const onAdminToken = async (token: string) => {
		if (!adminPrompt) return
		setBusy(true)
		try {
			const board = await adminPrompt.retry(token)
			saveAdminToken(token)
			setAdminPrompt(null)
			openCreated(board)
		} catch (error) {
			if (error instanceof BoardApiError && error.adminTokenProblem !== null) {
				setAdminPrompt({ ...adminPrompt, error: 'That admin token is not accepted by this server. Check the ADMIN_TOKEN it was started with.' })
			} else {
				setAdminPrompt(null)
				setProblem({ message: `Could not ${adminPrompt.purpose}: ${(error as Error).message}`, issues: error instanceof BoardApiError ? error.issues : [] })
			}
		} finally {
			setBusy(false)
		}
	}
	const onCreate = async () => {
		setBusy(true)
		setProblem(null)
		setAdminPrompt(null)
		try {
			await create('create the board', (adminToken) => createBoard(template, title, adminToken))
		} catch (error) {
			setProblem({ message: `Could not create the board: ${(error as Error).message}`, issues: [] })
		} finally {
			setBusy(false)
		}
	}
	const onImport = async (file: File) => {
		setProblem(null)
		const text = await file.text()
		// Checked here for an instant answer; the server checks again and writes nothing if invalid.
		// The export parser loads on demand: most visitors of this page never import.
		const { parseBoardImportText } = await import('../../shared/export')
		const local = parseBoardImportText(text)
		if (!local.ok) {
			setProblem({ message: `${file.name} is not a valid board export. Nothing was imported.`, issues: local.issues })
			return
		}
		setBusy(true)
		setAdminPrompt(null)
		try {
			await create(`import ${file.name}`, (adminToken) => importBoard(text, adminToken))
		} catch (error) {
			const issues = error instanceof BoardApiError ? error.issues : []
			setProblem({ message: `Import failed: ${(error as Error).message}. Nothing was imported.`, issues })
		} finally {
			setBusy(false)
		}
	}

	if (created?.links) return <BoardLinks board={created} links={created.links} onBack={() => setCreated(null)} />

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
			<section className="landing__actions" aria-labelledby="new-heading">
				<h2 id="new-heading">New board</h2>
				<div className="landing__templates" role="radiogroup" aria-label="Template">
					{TEMPLATES.map((t) => (
						<button
							key={t.id}
							type="button"
							role="radio"
							aria-checked={template === t.id}
							data-testid={`template-${t.id}`}
							className="landing__template"
							onClick={() => setTemplate(t.id)}
						>
							<strong>{t.label}</strong>
							<span className="muted">{t.description}</span>
						</button>
					))}
				</div>
				<div className="landing__create">
					<input
						aria-label="Board title"
						data-testid="board-title"
						placeholder="Board title (optional)"
						maxLength={200}
						value={title}
						onChange={(e) => setTitle(e.target.value)}
					/>
					<button type="button" className="button button--primary" data-testid="new-board" disabled={busy} onClick={() => void onCreate()}>
						Create board
					</button>
					<label className="button">
						Import JSON export…
						<input
							type="file"
							accept="application/json,.json"
							data-testid="import-file"
							hidden
							onChange={(e) => {
								const file = e.target.files?.[0]
								e.target.value = ''
								if (file) void onImport(file)
							}}
						/>
					</label>
				</div>
				{adminPrompt && (
					<AdminTokenPrompt
						purpose={adminPrompt.purpose}
						error={adminPrompt.error}
						busy={busy}
						onSubmit={(token) => void onAdminToken(token)}
						onCancel={() => setAdminPrompt(null)}
					/>
				)}
				{problem && (
					<div className="landing__error" role="alert" data-testid="landing-problem">
						<p>{problem.message}</p>
						{problem.issues.length > 0 && (
							<ul>
								{problem.issues.map((issue, i) => (
									<li key={i}>
										<code>{issue.path || '(file)'}</code>: {issue.message}
									</li>
								))}
							</ul>
						)}
					</div>
				)}
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
