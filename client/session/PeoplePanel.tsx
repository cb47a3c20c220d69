/**
 * The people list a facilitator looks for first (Miro/FigJam): everyone
 * connected, idle ones dimmed, who has voted in the open vote (names only in
 * a named vote; an anonymous one shows just the count), raised hands
 * (the facilitator can lower them) and who is done with the current phase.
 * The list comes from the server's session state (docs/sessions.md §7), so
 * it never loses someone who sits still.
 */
import { useState } from 'react'
import type { Person, SessionState } from '../../shared/session/messages'
import { personKey } from '../../shared/session/personKey'
import { usePeopleActivity } from './peopleActivity'
import type { SessionClient, SessionSnapshot } from './sessionClient'
import './session.css'

export interface PeopleSummary {
	people: Person[]
	me: Person | null
	hands: Person[]
	/** People who take part in phases (participants): M in "N of M done". */
	takingPart: Person[]
	done: number
	openVote: SessionState['votingSessions'][number] | null
	voted: ReadonlySet<string> | null
}

export function summarisePeople(snapshot: SessionSnapshot): PeopleSummary {
	const state = snapshot.state
	const people = state?.people ?? []
	const myKey = snapshot.participantId ? personKey(snapshot.participantId) : null
	const takingPart = people.filter((p) => p.role === 'participant')
	const openVote = state?.votingSessions.find((s) => s.status === 'open') ?? null
	return {
		people,
		me: people.find((p) => p.key === myKey) ?? null,
		hands: people.filter((p) => p.handRaisedAt !== null).sort((a, b) => (a.handRaisedAt ?? 0) - (b.handRaisedAt ?? 0)),
		takingPart,
		done: takingPart.filter((p) => p.done).length,
		openVote,
		voted: openVote?.votedPersonKeys ? new Set(openVote.votedPersonKeys) : null,
	}
}

function useRun() {
	const [error, setError] = useState<string | null>(null)
	return {
		error,
		run: (action: Promise<unknown>) => {
			setError(null)
			action.catch((e: unknown) => setError((e as Error).message))
		},
	}
}

function PersonRow({ person, summary, idle, canLower, onLower }: { person: Person; summary: PeopleSummary; idle: boolean; canLower: boolean; onLower(): void }) {
	const isMe = person.key === summary.me?.key
	const phaseActive = summary.takingPart.length > 0
	return (
		<li className={`people__person${idle ? ' people__person--idle' : ''}`} data-testid="person" data-name={person.name} data-idle={idle ? 'true' : 'false'}>
			<span className="people__name">
				{person.name || 'Anonymous'}
				{isMe && <span className="muted"> (you)</span>}
			</span>
			<span className="people__role">{person.role}</span>
			{idle && <span className="people__tag">idle</span>}
			{summary.voted?.has(person.key) && (
				<span className="people__tag people__tag--voted" data-testid="person-voted">
					voted
				</span>
			)}
			{person.done && phaseActive && (
				<span className="people__tag people__tag--done" data-testid="person-done">
					done
				</span>
			)}
			{person.handRaisedAt !== null && (
				<span className="people__hand" data-testid="person-hand" title={`Hand raised at ${new Date(person.handRaisedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`}>
					<span className="people__tag people__tag--hand">hand up</span>
					{canLower && (
						<button type="button" className="button people__lower" data-testid="lower-hand" aria-label={`Lower ${person.name}’s hand`} onClick={onLower}>
							Lower
						</button>
					)}
				</span>
			)}
		</li>
	)
}

export function PeoplePanel({ client, snapshot, onClose }: { client: SessionClient; snapshot: SessionSnapshot; onClose(): void }) {
	const summary = summarisePeople(snapshot)
	const activity = usePeopleActivity()
	const { error, run } = useRun()
	const isFacilitator = snapshot.role === 'facilitator'
	const phase = snapshot.state?.agenda.phases.find((p) => p.id === snapshot.state?.agenda.currentPhaseId)
	const vote = summary.openVote
	return (
		<div className="people" role="dialog" aria-label="People" data-testid="people-panel" onPointerDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
			<header className="people__header">
				<strong>People · {summary.people.length}</strong>
				<button type="button" className="button button--link" aria-label="Close people list" onClick={onClose}>
					×
				</button>
			</header>
			{vote && (
				<p className="people__summary" data-testid="people-vote-summary">
					{vote.config.anonymous
						? `Anonymous vote: ${vote.progress.voters} of ${summary.people.filter((p) => p.role !== 'viewer').length} have voted (who is not shown)`
						: `${vote.progress.voters} have voted in “${vote.title}”`}
				</p>
			)}
			{phase && (
				<p className="people__summary" data-testid="people-done-summary">
					{summary.done} of {summary.takingPart.length} done with “{phase.title}”
				</p>
			)}
			<ul className="people__list">
				{summary.people.map((person) => (
					<PersonRow
						key={person.key}
						person={person}
						summary={summary}
						idle={person.key !== summary.me?.key && activity.isIdle(person.key)}
						canLower={isFacilitator || person.key === summary.me?.key}
						onLower={() => run(client.request({ type: 'hand.set', on: false, person: person.key }))}
					/>
				))}
			</ul>
			{error && <p className="wb-missing">{error}</p>}
		</div>
	)
}

/** The people pill in the session bar, with hand/done counts, and the participant's own hand/done toggles. */
export function PeopleControls({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const [open, setOpen] = useState(false)
	const { error, run } = useRun()
	const summary = summarisePeople(snapshot)
	const state = snapshot.state
	const phase = state?.agenda.phases.find((p) => p.id === state.agenda.currentPhaseId)
	const me = summary.me
	const canAct = snapshot.joined && me !== null
	return (
		<span className="session-bar__people">
			<button type="button" className="session-bar__pill-button" aria-expanded={open} data-testid="people-toggle" onClick={() => setOpen(!open)}>
				People {summary.people.length}
				{summary.hands.length > 0 && (
					<span className="session-bar__hands" data-testid="hands-count">
						{' '}
						· {summary.hands.length} {summary.hands.length === 1 ? 'hand' : 'hands'} up
					</span>
				)}
				{phase && summary.takingPart.length > 0 && (
					<span data-testid="done-count">
						{' '}
						· {summary.done}/{summary.takingPart.length} done
					</span>
				)}
			</button>
			{/* The facilitator runs the room: lowering hands is in the list, raising one is for the others. */}
			{snapshot.role !== null && snapshot.role !== 'facilitator' && (
				<button
					type="button"
					className="session-bar__pill-button"
					aria-pressed={me?.handRaisedAt != null}
					disabled={!canAct}
					data-testid="raise-hand"
					onClick={() => run(client.request({ type: 'hand.set', on: me?.handRaisedAt == null }))}
				>
					{me?.handRaisedAt != null ? 'Lower my hand' : 'Raise hand'}
				</button>
			)}
			{phase && snapshot.role === 'participant' && (
				<button
					type="button"
					className="session-bar__pill-button"
					aria-pressed={me?.done ?? false}
					disabled={!canAct}
					data-testid="mark-done"
					title={`Tell the facilitator you are done with “${phase.title}”`}
					onClick={() => run(client.request({ type: 'done.set', done: !(me?.done ?? false) }))}
				>
					{me?.done ? '✓ Done (undo)' : 'I’m done'}
				</button>
			)}
			{error && <span className="wb-missing">{error}</span>}
			{open && <PeoplePanel client={client} snapshot={snapshot} onClose={() => setOpen(false)} />}
		</span>
	)
}
