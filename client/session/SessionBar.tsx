/**
 * The strip under the board status everyone sees: role, timer (server clock,
 * corrected for this device's offset), current phase, the open vote with the
 * dots left, private mode and locks.
 */
import { useEffect, useRef, useState } from 'react'
import { useEditor, useValue, type TLUserId } from 'tldraw'
import { ContributionNotice } from '../contributor/ContributionNotice'
import { EstimationCard } from './EstimationPoker'
import { PeopleControls } from './PeoplePanel'
import { FollowerSlideCounter, PresenterBar } from './presentation'
import { RemoteVoteCard, showOpenVoteCard } from './RemoteVoteCard'
import type { SessionClient, SessionSnapshot } from './sessionClient'
import { formatClosingTime } from './voteClosingFormat'
import './session.css'

export function remainingMs(snapshot: SessionSnapshot, serverNow: number): number {
	const timer = snapshot.state?.timer
	if (!timer) return 0
	if (timer.running && timer.endsAt !== null) return Math.max(0, timer.endsAt - serverNow)
	return timer.remainingMs
}

export function formatClock(ms: number): string {
	const total = Math.ceil(ms / 1000)
	const minutes = Math.floor(total / 60)
	const seconds = total % 60
	return `${minutes}:${String(seconds).padStart(2, '0')}`
}

function beep() {
	try {
		const ctx = new AudioContext()
		const osc = ctx.createOscillator()
		const gain = ctx.createGain()
		osc.frequency.value = 880
		gain.gain.value = 0.08
		osc.connect(gain).connect(ctx.destination)
		osc.start()
		osc.stop(ctx.currentTime + 0.35)
		osc.onended = () => void ctx.close()
	} catch {
		// No audio on this device: the visual cue remains.
	}
}

function useTimerDisplay(client: SessionClient, snapshot: SessionSnapshot, soundOn: boolean) {
	const [now, setNow] = useState(() => client.serverNow())
	const running = snapshot.state?.timer.running ?? false
	useEffect(() => {
		if (!running) return
		const interval = setInterval(() => setNow(client.serverNow()), 250)
		return () => clearInterval(interval)
	}, [client, running])
	const left = remainingMs(snapshot, running ? now : client.serverNow())
	// The cue fires once, on the transition to zero (not on load of an expired timer).
	const previousLeft = useRef(left)
	useEffect(() => {
		if (previousLeft.current > 0 && left === 0 && soundOn) beep()
		previousLeft.current = left
	}, [left, soundOn])
	return { left, done: (snapshot.state?.timer.durationMs ?? 0) > 0 && left === 0 }
}

/**
 * "Presenting: X" for someone following the presenter; once they pan away
 * (tldraw stops following), "Rejoin" takes them back instead of leaving them
 * silently on their own.
 */
function FollowPill({ presenter, snapshot }: { presenter: { participantId: string; name: string }; snapshot: SessionSnapshot }) {
	const editor = useEditor()
	const following = useValue('following user', () => editor.getInstanceState().followingUserId, [editor])
	const presenterUser = `user:${presenter.participantId}` as TLUserId
	const isPresenter = snapshot.participantId === presenter.participantId
	const away = !isPresenter && snapshot.role !== 'facilitator' && following !== presenterUser
	return (
		<span className={`session-bar__follow${away ? ' session-bar__follow--away' : ''}`} data-testid="follow-pill" data-away={away ? 'true' : 'false'}>
			Presenting: {presenter.name}
			{!isPresenter && !away && <FollowerSlideCounter snapshot={snapshot} />}
			{/* Viewers always follow (useSessionEffects takes them back); only participants choose to rejoin. */}
			{away && snapshot.role !== 'viewer' && (
				<button type="button" className="session-bar__pill-button session-bar__rejoin" data-testid="follow-rejoin" onClick={() => editor.startFollowingUser(presenterUser)}>
					Rejoin
				</button>
			)}
		</span>
	)
}

export function SessionBar({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const [soundOn, setSoundOn] = useState(false)
	const { left, done } = useTimerDisplay(client, snapshot, soundOn)
	const state = snapshot.state
	// Disconnected: keep the last known state on screen, marked as such, rather than hiding role, timer and phase.
	if (!state || !snapshot.role) return null
	const stale = !snapshot.joined
	const timer = state.timer
	const phase = state.agenda.phases.find((p) => p.id === state.agenda.currentPhaseId)
	const openVote = state.votingSessions.find((s) => s.status === 'open')
	const ballot = openVote ? snapshot.ballots[openVote.id] : undefined
	return (
		<>
		<EstimationCard client={client} snapshot={snapshot} />
		{snapshot.role === 'facilitator' && <ContributionNotice client={client} />}
		<div className={`session-bar${stale ? ' session-bar--stale' : ''}`} data-testid="session-bar" data-stale={stale ? 'true' : 'false'}>
			<span className={`session-bar__role session-bar__role--${snapshot.role}`} data-testid="role-badge">
				{snapshot.role}
			</span>
			{timer.durationMs > 0 && (
				<span
					className={`session-bar__timer session-bar__timer--big${done ? ' session-bar__timer--done' : ''}`}
					data-testid="timer"
					data-remaining-ms={left}
					role="timer"
					aria-label={done ? 'Time is up' : `${formatClock(left)} left`}
				>
					<span className="session-bar__clock" data-testid="timer-clock">
						{done ? 'Time’s up' : formatClock(left)}
					</span>
					{!timer.running && !done && <span className="session-bar__timer-note">{timer.remainingMs === timer.durationMs ? 'ready' : 'paused'}</span>}
					<button type="button" className="button--link session-bar__sound" aria-pressed={soundOn} title="Sound at zero" onClick={() => setSoundOn(!soundOn)}>
						{soundOn ? 'sound on' : 'sound off'}
					</button>
				</span>
			)}
			{phase && <span className="session-bar__phase" data-testid="current-phase">{phase.title}</span>}
			{openVote && (
				<span className="session-bar__vote" data-testid="vote-banner">
					<button type="button" className="session-bar__vote-button" title="Show the vote" onClick={() => showOpenVoteCard(openVote.id)}>
						Vote: {openVote.title}
						{openVote.closesAt !== null && <> · until {formatClosingTime(openVote.closesAt)}</>}
					</button>
					{snapshot.role !== 'viewer' && (
						<>
							{' '}· <strong data-testid="dots-left">{ballot?.remaining ?? openVote.config.votesPerParticipant}</strong> dots left
						</>
					)}
					{snapshot.role === 'facilitator' && openVote.turnout && (
						<span data-testid="bar-turnout">
							{' '}· {openVote.turnout.voters}/{openVote.turnout.joined} voted
						</span>
					)}
				</span>
			)}
			{state.privateMode.on && <span className="session-bar__private" data-testid="private-on">Private writing: your new notes are only visible to you</span>}
			{state.lock.board && <span className="session-bar__lock">Board locked</span>}
			{state.followMe && <FollowPill presenter={state.followMe} snapshot={snapshot} />}
			<PresenterBar client={client} snapshot={snapshot} />
			<PeopleControls client={client} snapshot={snapshot} />
			<RemoteVoteCard client={client} snapshot={snapshot} />
			{stale && (
				<span className="session-bar__stale" data-testid="session-stale" title="Not connected: this is what the server said last; it updates when the connection is back">
					last known · not live
				</span>
			)}
		</div>
		</>
	)
}
