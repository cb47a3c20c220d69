/**
 * What someone opening the board later sees first (docs/sessions.md §3a):
 * while a vote with a closing time is open, a card "Vote open until <time> — N dots left" whose
 * "Vote now" takes them to the stickies that accept dots; once a vote with a
 * closing time has closed, its results (as visible to everyone after close:
 * counts, never who, for anonymous votes). Dismissed per vote on this device;
 * the vote pill in the session bar brings the card back.
 */
import { atom, Box, useEditor, useValue, type TLNoteShape, type TLShapeId } from 'tldraw'
import type { VotingSessionPublic } from '../../shared/session/messages'
import { richTextToPlainText } from '../../shared/text/richText'
import { openPanel } from '../items/boardUi'
import type { SessionClient, SessionSnapshot } from './sessionClient'
import { openVotingSignal } from './sessionView'
import { useServerNow } from './VoteClosingControls'
import { facilitatorZoneNote, formatClosingTime, formatTimeLeft } from './voteClosingFormat'

const STORAGE_KEY = 'workshop-board:vote-cards-dismissed'
/** Results cards are shown for votes closed in the last week; older ones are history (Votes panel). */
const RESULTS_CARD_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000

function readDismissed(): ReadonlySet<string> {
	try {
		const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown
		return new Set(Array.isArray(raw) ? raw.filter((key): key is string => typeof key === 'string').slice(-200) : [])
	} catch {
		return new Set()
	}
}

/** Dismissed cards: `open:<sessionId>` and `closed:<sessionId>`. */
const dismissedCards = atom<ReadonlySet<string>>('dismissed vote cards', readDismissed())

function setDismissed(key: string, dismissed: boolean): void {
	const next = new Set(dismissedCards.get())
	if (dismissed) next.add(key)
	else next.delete(key)
	dismissedCards.set(next)
	try {
		localStorage.setItem(STORAGE_KEY, JSON.stringify([...next].slice(-200)))
	} catch {
		// Private mode or full storage: the card is dismissed for this page only.
	}
}

/** The session bar's vote pill: shows the open vote's card again. */
export function showOpenVoteCard(sessionId: string): void {
	setDismissed(`open:${sessionId}`, false)
}

export function RemoteVoteCard({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const dismissed = useValue(dismissedCards)
	const sessions = snapshot.state?.votingSessions ?? []
	const open = sessions.find((s) => s.status === 'open')
	const now = client.serverNow()
	const closed = sessions
		.filter((s) => s.status === 'closed' && s.closesAt !== null && s.results && now - (s.closedAt ?? 0) < RESULTS_CARD_MAX_AGE_MS)
		.sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0))[0]
	// Only votes with a closing time (remote votes): in a live workshop the pill in the session bar is enough.
	if (open && open.closesAt !== null && snapshot.role === 'participant' && !dismissed.has(`open:${open.id}`)) return <OpenVoteCard client={client} snapshot={snapshot} vote={open} />
	if (!open && closed && snapshot.role !== null && !dismissed.has(`closed:${closed.id}`)) return <ClosedVoteCard vote={closed} />
	return null
}

function OpenVoteCard({ client, snapshot, vote }: { client: SessionClient; snapshot: SessionSnapshot; vote: VotingSessionPublic }) {
	const editor = useEditor()
	const now = useServerNow(client, vote.closesAt !== null)
	const eligible = useValue('eligible notes', () => openVotingSignal.get()?.eligible ?? null, [])
	const left = snapshot.ballots[vote.id]?.remaining ?? vote.config.votesPerParticipant
	const until = vote.closesAt === null ? 'Vote open' : `Vote open until ${formatClosingTime(vote.closesAt)}`
	const voteNow = () => {
		const bounds = [...(eligible ?? [])].map((id) => editor.getShapePageBounds(id as TLShapeId)).filter((b): b is Box => b !== undefined)
		if (bounds.length) editor.zoomToBounds(Box.Common(bounds), { inset: 80, targetZoom: 1, animation: { duration: 300 } })
		setDismissed(`open:${vote.id}`, true)
	}
	return (
		<section className="vote-card" role="dialog" aria-labelledby="vote-card-heading" data-testid="vote-card" data-state="open">
			<h2 id="vote-card-heading" className="vote-card__heading">
				{until} — <span data-testid="vote-card-dots">{left}</span> {left === 1 ? 'dot' : 'dots'} left
			</h2>
			<p className="vote-card__title">{vote.title}</p>
			{vote.closesAt !== null && (
				<p className="vote-card__when" data-testid="vote-card-when">
					Closes {formatTimeLeft(vote.closesAt - now)}
					{facilitatorZoneNote(vote.closesAt, vote.closeTimeZone)}
				</p>
			)}
			<p className="vote-card__help">
				Put your dots on the stickies: <strong>+</strong> adds one, <strong>−</strong> takes it back{vote.config.maxVotesPerItem > 1 ? ` (up to ${vote.config.maxVotesPerItem} on one sticky)` : ''}.
				{vote.config.hideResults ? ' Results stay hidden until the vote closes.' : ''}
				{vote.config.anonymous ? ' Anonymous: nobody sees who voted for what.' : ''}
			</p>
			<div className="vote-card__actions">
				<button type="button" className="button button--primary" data-testid="vote-card-vote" onClick={voteNow} disabled={eligible !== null && eligible.size === 0}>
					{eligible !== null && eligible.size === 0 ? 'No stickies to vote on yet' : 'Vote now'}
				</button>
				<button type="button" className="button" data-testid="vote-card-later" onClick={() => setDismissed(`open:${vote.id}`, true)}>
					Later
				</button>
			</div>
		</section>
	)
}

function ClosedVoteCard({ vote }: { vote: VotingSessionPublic }) {
	const editor = useEditor()
	const results = vote.results
	const textOf = (id: string) => {
		const shape = editor.getShape(id as TLShapeId)
		return shape?.type === 'note' ? richTextToPlainText((shape as TLNoteShape).props.richText) || '(empty sticky)' : '(deleted sticky)'
	}
	const when = vote.closedAt === null ? '' : ` ${formatClosingTime(vote.closedAt)}`
	return (
		<section className="vote-card" role="dialog" aria-labelledby="vote-card-heading" data-testid="vote-card" data-state="closed">
			<h2 id="vote-card-heading" className="vote-card__heading">
				Vote closed{when}
			</h2>
			<p className="vote-card__title">{vote.title}</p>
			{vote.closedBy === 'schedule' && <p className="vote-card__help">It closed by itself at the closing time the facilitator set.</p>}
			<p className="vote-card__when" data-testid="vote-card-turnout">
				{vote.turnout ? `${vote.turnout.voters} of ${vote.turnout.joined} voted` : `${vote.progress.voters} voted`} · {results?.totalDots ?? 0} {results?.totalDots === 1 ? 'dot' : 'dots'}
			</p>
			{results && results.items.length > 0 ? (
				<ol className="vote-card__results" data-testid="vote-card-results">
					{results.items.slice(0, 3).map((item) => (
						<li key={item.itemId}>
							<span className="vote-card__item">{textOf(item.itemId)}</span> <strong>{item.count}</strong>
						</li>
					))}
				</ol>
			) : (
				<p className="vote-card__help">No dots were placed.</p>
			)}
			<div className="vote-card__actions">
				<button
					type="button"
					className="button button--primary"
					data-testid="vote-card-results-all"
					onClick={() => {
						openPanel.set('votes')
						setDismissed(`closed:${vote.id}`, true)
					}}
				>
					All results
				</button>
				<button type="button" className="button" data-testid="vote-card-dismiss" onClick={() => setDismissed(`closed:${vote.id}`, true)}>
					Dismiss
				</button>
			</div>
		</section>
	)
}
