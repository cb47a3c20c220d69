/** Voting sessions of the board: progress of the open one, ranked results of closed ones. */
import { useEditor, type TLNoteShape, type TLShapeId } from 'tldraw'
import { richTextToPlainText } from '../../shared/text/richText'
import type { SessionSnapshot } from './sessionClient'

export function VoteResultsPanel({ snapshot }: { snapshot: SessionSnapshot }) {
	const editor = useEditor()
	const sessions = [...(snapshot.state?.votingSessions ?? [])].sort((a, b) => b.createdAt - a.createdAt)
	if (!sessions.length) return <p className="muted">No votes yet. The facilitator starts dot voting from the Facilitate panel.</p>
	const textOf = (id: string) => {
		const shape = editor.getShape(id as TLShapeId)
		return shape?.type === 'note' ? richTextToPlainText((shape as TLNoteShape).props.richText) || '(empty sticky)' : '(deleted sticky)'
	}
	return (
		<div data-testid="vote-results">
			{sessions.map((session) => (
				<section key={session.id} className="fac-section">
					<h3>
						{session.title} <span className="muted">· {session.status === 'open' ? 'open' : 'closed'}</span>
					</h3>
					<p className="muted">
						{session.progress.voters} voters · {session.progress.dotsCast} dots
						{session.status === 'open' && session.config.hideResults ? ' · results hidden until close' : ''}
					</p>
					{session.results && (
						<ol className="wb-results" data-testid={`results-${session.status}`}>
							{session.results.items.map((item) => (
								<li key={item.itemId}>
									<button type="button" className="wb-linkish" onClick={() => editor.select(item.itemId as TLShapeId)}>
										{textOf(item.itemId)}
									</button>{' '}
									<strong data-testid="result-count">{item.count}</strong>
									{item.voters && <span className="muted"> ({item.voters.map((v) => `${v.name} ×${v.count}`).join(', ')})</span>}
								</li>
							))}
						</ol>
					)}
				</section>
			))}
		</div>
	)
}
