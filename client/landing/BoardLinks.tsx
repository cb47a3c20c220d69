import { useState } from 'react'
import { navigate } from '../navigation'
import type { CreatedBoard } from './boardsApi'

const ROLES = [
	{ role: 'facilitator', label: 'Facilitator', hint: 'Runs the session: voting, timer, agenda, locks. Keep it to yourself.' },
	{ role: 'participant', label: 'Participant', hint: 'Share with the team: they add and edit stickies and vote.' },
	{ role: 'viewer', label: 'Viewer', hint: 'Read-only: for stakeholders who watch.' },
] as const

/** Shown once after creating a board: the three role links, each with its own token. */
export function BoardLinks({ board, links, onBack }: { board: CreatedBoard; links: NonNullable<CreatedBoard['links']>; onBack: () => void }) {
	const [copied, setCopied] = useState<string | null>(null)
	const copy = async (role: string, link: string) => {
		try {
			await navigator.clipboard.writeText(link)
			setCopied(role)
		} catch {
			window.prompt('Copy this link', link)
		}
	}
	const open = () => {
		const url = new URL(links.facilitator)
		navigate(`${url.pathname}${url.search}`)
	}
	return (
		<main className="landing" data-testid="board-links">
			<h1>Your board is ready</h1>
			<p className="muted">
				Each link carries its own access token. Copy them now: they are shown only once (the facilitator can issue new
				ones, which invalidates the old ones).
			</p>
			<ul className="landing__links">
				{ROLES.map(({ role, label, hint }) => (
					<li key={role}>
						<div>
							<strong>{label}</strong> <span className="muted">— {hint}</span>
						</div>
						<div className="landing__link-row">
							<input readOnly value={links[role]} data-testid={`link-${role}`} onFocus={(e) => e.target.select()} />
							<button type="button" className="button" onClick={() => void copy(role, links[role])}>
								{copied === role ? 'Copied' : 'Copy'}
							</button>
						</div>
					</li>
				))}
			</ul>
			<div className="landing__create">
				<button type="button" className="button button--primary" data-testid="open-as-facilitator" onClick={open}>
					Open board as facilitator
				</button>
				<button type="button" className="button button--link" onClick={onBack}>
					back
				</button>
			</div>
			<p className="muted">Board id: {board.id}</p>
		</main>
	)
}
