/**
 * The facilitator's controls: dot voting, timer, agenda, bring everyone here,
 * follow me, locks, private writing and link rotation. The server refuses all
 * of these for other roles; hiding them is only for clarity.
 */
import { useContext, useState } from 'react'
import { atom, useEditor, useValue, type Editor, type TLShapeId } from 'tldraw'
import { ITEM_KINDS, ITEM_KIND_INFO, parseFrameMeta, type ItemKind } from '../../shared/items'
import type { Phase, VotingConfigInput } from '../../shared/session/messages'
import { BOARD_ROLES, type BoardRole } from '../../shared/session/roles'
import { BoardChromeContext } from '../board/boardChromeContext'
import { summarisePeople } from './PeoplePanel'
import { ContributorLinkControls } from '../contributor/ContributorLinkControls'
import { EstimationSection } from './EstimationPoker'
import { PrivateWritingControls } from './PrivateWritingControls'
import { formatClock, remainingMs } from './SessionBar'
import { presentingSlide, startPresenting, stopPresenting, useSlides } from './presentation'
import type { SessionClient, SessionSnapshot } from './sessionClient'
import { ClosingTimeFields, OpenVoteClosing } from './VoteClosingControls'
import { closingTimeOf, ownTimeZone, type ClosingChoice } from './voteClosingFormat'

function useRunner() {
	const [error, setError] = useState<string | null>(null)
	const run = (action: Promise<unknown>) => {
		setError(null)
		action.catch((e: unknown) => setError((e as Error).message))
	}
	return { error, run }
}

function VotingSection({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const editor = useEditor()
	const { error, run } = useRunner()
	const [title, setTitle] = useState('Which ideas should we pursue?')
	const [kinds, setKinds] = useState<ItemKind[]>(['idea', 'feature'])
	const [votes, setVotes] = useState(5)
	const [perItem, setPerItem] = useState(3)
	const [anonymous, setAnonymous] = useState(true)
	const [hideResults, setHideResults] = useState(true)
	const [useFrame, setUseFrame] = useState(false)
	const [closing, setClosing] = useState<ClosingChoice>({ mode: 'manual' })
	const [closingProblem, setClosingProblem] = useState<string | null>(null)
	const selectedFrame = useValue('selected frame', () => {
		const shape = editor.getOnlySelectedShape()
		return shape?.type === 'frame' ? shape : null
	}, [editor])
	const open = snapshot.state?.votingSessions.find((s) => s.status === 'open')
	if (open) {
		return (
			<section className="fac-section" data-testid="voting-open">
				<h3>Voting: {open.title}</h3>
				<p className="muted">
					{open.progress.voters} voters · {open.progress.dotsCast} dots cast · {open.config.anonymous ? 'anonymous' : 'named'} ·{' '}
					{open.config.hideResults ? 'results hidden until close' : 'results visible'}
				</p>
				<OpenVoteClosing client={client} open={open} run={run} />
				<button type="button" className="button button--primary" data-testid="voting-close" onClick={() => run(client.request({ type: 'voting.close', sessionId: open.id }))}>
					Close voting and show results
				</button>
				{error && <p className="wb-missing">{error}</p>}
			</section>
		)
	}
	const start = () => {
		const config: VotingConfigInput = {
			title,
			eligible: { ...(kinds.length ? { kinds } : {}), ...(useFrame && selectedFrame ? { frameId: selectedFrame.id } : {}) },
			votesPerParticipant: votes,
			maxVotesPerItem: perItem,
			anonymous,
			hideResults,
		}
		const { closesAt, error: problem } = closingTimeOf(closing, client.serverNow())
		setClosingProblem(problem)
		if (problem) return
		run(client.request({ type: 'voting.start', config, ...(closesAt !== null ? { closesAt, timeZone: ownTimeZone() } : {}) }))
	}
	return (
		<section className="fac-section" data-testid="voting-setup">
			<h3>Dot voting</h3>
			<label className="wb-field wb-field--stacked">
				<span>Question</span>
				<input data-testid="voting-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
			</label>
			<div className="wb-kind-picker" aria-label="Eligible kinds">
				{ITEM_KINDS.map((kind) => (
					<label key={kind} className="fac-check">
						<input
							type="checkbox"
							checked={kinds.includes(kind)}
							onChange={(e) => setKinds(e.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))}
						/>
						{ITEM_KIND_INFO[kind].label}
					</label>
				))}
			</div>
			<label className="fac-check">
				<input type="checkbox" checked={useFrame} disabled={!selectedFrame} onChange={(e) => setUseFrame(e.target.checked)} />
				only inside the selected frame{selectedFrame ? ` (${selectedFrame.props.name || 'frame'})` : ' (select a frame)'}
			</label>
			<label className="wb-field">
				<span>Dots each</span>
				<input type="number" data-testid="voting-budget" min={1} max={99} value={votes} onChange={(e) => setVotes(Math.max(1, Math.min(99, Number(e.target.value) || 1)))} />
			</label>
			<label className="wb-field">
				<span>Max per item</span>
				<input type="number" data-testid="voting-per-item" min={1} max={99} value={perItem} onChange={(e) => setPerItem(Math.max(1, Math.min(99, Number(e.target.value) || 1)))} />
			</label>
			<label className="fac-check">
				<input type="checkbox" data-testid="voting-anonymous" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} /> anonymous
			</label>
			<label className="fac-check">
				<input type="checkbox" data-testid="voting-hide" checked={hideResults} onChange={(e) => setHideResults(e.target.checked)} /> hide results until close
			</label>
			<ClosingTimeFields choice={closing} onChange={setClosing} />
			<button type="button" className="button button--primary" data-testid="voting-start" disabled={!title.trim()} onClick={start}>
				Start voting
			</button>
			{closingProblem && <p className="wb-missing">{closingProblem}</p>}
			{error && <p className="wb-missing">{error}</p>}
		</section>
	)
}

const TIMER_PRESETS = [1, 3, 5, 10]

function TimerSection({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const { error, run } = useRunner()
	const [minutes, setMinutes] = useState(5)
	const timer = snapshot.state?.timer
	return (
		<section className="fac-section">
			<h3>Timer {timer && timer.durationMs > 0 && <span className="muted">({formatClock(remainingMs(snapshot, client.serverNow()))} left)</span>}</h3>
			<div className="fac-presets" role="group" aria-label="Start a timer">
				{TIMER_PRESETS.map((min) => (
					<button
						key={min}
						type="button"
						className="button"
						data-testid={`timer-preset-${min}`}
						title={`Set ${min} minute${min > 1 ? 's' : ''} and start`}
						onClick={() => {
							setMinutes(min)
							run(client.request({ type: 'timer.set', durationMs: min * 60_000 }).then(() => client.request({ type: 'timer.start' })))
						}}
					>
						{min} min
					</button>
				))}
			</div>
			<div className="wb-inline-form">
				<input type="number" aria-label="Minutes" data-testid="timer-minutes" min={0} max={1440} step={0.5} value={minutes} onChange={(e) => setMinutes(Number(e.target.value) || 0)} />
				<button type="button" className="button" data-testid="timer-set" onClick={() => run(client.request({ type: 'timer.set', durationMs: Math.round(minutes * 60_000) }))}>
					Set
				</button>
				{timer?.running ? (
					<button type="button" className="button" data-testid="timer-pause" onClick={() => run(client.request({ type: 'timer.pause' }))}>
						Pause
					</button>
				) : (
					<button type="button" className="button button--primary" data-testid="timer-start" onClick={() => run(client.request({ type: 'timer.start' }))}>
						Start
					</button>
				)}
				<button type="button" className="button" onClick={() => run(client.request({ type: 'timer.reset' }))}>
					Reset
				</button>
			</div>
			{error && <p className="wb-missing">{error}</p>}
		</section>
	)
}

/** Phases from the board's stage frames (the discovery template), else the classic flow. */
function defaultPhases(editor: Editor): Phase[] {
	const stages = editor
		.getCurrentPageShapes()
		.filter((s) => s.type === 'frame')
		.map((s) => ({ shape: s, stage: parseFrameMeta(s.meta).meta.stage }))
		.filter((f): f is { shape: (typeof f)['shape']; stage: number } => f.stage !== null)
		.sort((a, b) => a.stage - b.stage)
	if (stages.length) {
		return stages.map(({ shape, stage }) => ({
			id: `stage-${stage}`,
			title: ((shape.props as { name?: string }).name || `Stage ${stage}`).slice(0, 200),
			frameId: shape.id,
		}))
	}
	return ['Brainstorm', 'Cluster', 'Vote', 'Prioritize', 'Roadmap'].map((title) => ({ id: title.toLowerCase(), title, frameId: null }))
}

function AgendaSection({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const editor = useEditor()
	const { error, run } = useRunner()
	const agenda = snapshot.state?.agenda
	const people = summarisePeople(snapshot)
	return (
		<section className="fac-section">
			<h3>Agenda</h3>
			{!agenda?.phases.length ? (
				<button type="button" className="button" data-testid="agenda-create" onClick={() => run(client.request({ type: 'agenda.set', phases: defaultPhases(editor) }))}>
					Create agenda from the board
				</button>
			) : (
				<ol className="fac-agenda">
					{agenda.phases.map((phase) => (
						<li key={phase.id} className={phase.id === agenda.currentPhaseId ? 'fac-agenda__current' : ''}>
							<button type="button" className="wb-linkish" onClick={() => run(client.request({ type: 'agenda.goto', phaseId: phase.id, focus: true }))}>
								{phase.title}
							</button>
						</li>
					))}
				</ol>
			)}
			{agenda?.currentPhaseId && people.takingPart.length > 0 && (
				<p className="muted" data-testid="agenda-done">
					{people.done} of {people.takingPart.length} participants done with this phase (resets when you move on)
				</p>
			)}
			{error && <p className="wb-missing">{error}</p>}
		</section>
	)
}

function PresentSection({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const editor = useEditor()
	const { error, run } = useRunner()
	const following = snapshot.state?.followMe !== null && snapshot.state?.followMe !== undefined
	const summon = () => {
		const bounds = editor.getViewportPageBounds()
		run(client.request({ type: 'summon', pageId: editor.getCurrentPageId(), bounds: { x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h } }))
	}
	return (
		<section className="fac-section">
			<h3>Bring everyone along</h3>
			<div className="fac-row">
				<button type="button" className="button" data-testid="summon" onClick={summon}>
					Bring everyone here
				</button>
				<button type="button" className="button" aria-pressed={following} data-testid="follow-me" onClick={() => run(client.request({ type: 'follow.set', on: !following }))}>
					{following ? 'Stop presenting' : 'Follow me'}
				</button>
			</div>
			<p className="muted">Followers who pan away are offered “Rejoin”.</p>
			<PresentSlidesControl client={client} snapshot={snapshot} run={run} />
			{error && <p className="wb-missing">{error}</p>}
		</section>
	)
}

/** Presentation mode (presentation.tsx): the frames as slides, everyone following. */
function PresentSlidesControl({ client, snapshot, run }: { client: SessionClient; snapshot: SessionSnapshot; run: (request: Promise<unknown>) => void }) {
	const editor = useEditor()
	const { slides, order } = useSlides(snapshot)
	const presenting = useValue(presentingSlide) !== null
	return (
		<div className="fac-present-slides">
			<h3>Present frames as slides</h3>
			<button
				type="button"
				className={`button${presenting ? '' : ' button--primary'}`}
				data-testid="presentation-start"
				aria-pressed={presenting}
				disabled={!presenting && slides.length === 0}
				onClick={() => run(presenting ? stopPresenting(client) : startPresenting(editor, client, slides))}
			>
				{presenting ? 'Stop presenting' : `Present ${slides.length} frame${slides.length === 1 ? '' : 's'}`}
			</button>
			<p className="muted">
				{slides.length === 0
					? 'There are no frames on this page.'
					: `In ${order === 'agenda' ? 'agenda' : order === 'stage' ? 'stage' : 'page'} order; ← → move between slides. Everyone follows you; participants may leave and rejoin, viewers always follow.`}
			</p>
		</div>
	)
}

function LockSection({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const editor = useEditor()
	const { error, run } = useRunner()
	const lockedBoard = snapshot.state?.lock.board ?? false
	const lockedShapes = snapshot.state?.lock.shapeIds.length ?? 0
	const selection = useValue('selected ids', () => editor.getSelectedShapeIds(), [editor])
	return (
		<section className="fac-section">
			<h3>Locks</h3>
			<div className="fac-row">
				<button type="button" className="button" aria-pressed={lockedBoard} data-testid="lock-board" onClick={() => run(client.request({ type: 'lock.board', locked: !lockedBoard }))}>
					{lockedBoard ? 'Unlock board' : 'Lock board'}
				</button>
				<button
					type="button"
					className="button"
					disabled={!selection.length}
					onClick={() => run(client.request({ type: 'lock.shapes', shapeIds: selection as TLShapeId[], locked: true }))}
				>
					Lock selection
				</button>
				<button
					type="button"
					className="button"
					disabled={!selection.length}
					onClick={() => run(client.request({ type: 'lock.shapes', shapeIds: selection as TLShapeId[], locked: false }))}
				>
					Unlock selection
				</button>
			</div>
			<p className="muted">{lockedShapes ? `${lockedShapes} shapes locked for participants.` : 'Select shapes to lock them for participants.'}</p>
			{error && <p className="wb-missing">{error}</p>}
		</section>
	)
}

function PrivateSection({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const { error, run } = useRunner()
	return (
		<section className="fac-section">
			<h3>Private writing</h3>
			<PrivateWritingControls client={client} mode={snapshot.state?.privateMode} run={run} />
			{error && <p className="wb-missing">{error}</p>}
		</section>
	)
}

function LinksSection({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const chrome = useContext(BoardChromeContext)
	const { error, run } = useRunner()
	const [issued, setIssued] = useState<{ role: BoardRole; url: string } | null>(null)
	if (!chrome) return null
	const rotate = (role: BoardRole) => {
		if (!window.confirm(`Issue a new ${role} link? The current ${role} link stops working at once and everyone using it is disconnected.`)) return
		run(chrome.rotateLink(role, role === snapshot.role).then((url) => setIssued({ role, url })))
	}
	return (
		<section className="fac-section">
			<h3>Links</h3>
			<div className="fac-row">
				{BOARD_ROLES.map((role) => (
					<button key={role} type="button" className="button" data-testid={`rotate-${role}`} onClick={() => rotate(role)}>
						New {role} link
					</button>
				))}
			</div>
			{issued && (
				<div className="landing__link-row">
					<input readOnly value={issued.url} data-testid="rotated-link" aria-label={`New ${issued.role} link`} onFocus={(e) => e.target.select()} />
					<button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(issued.url)}>
						Copy
					</button>
				</div>
			)}
			{error && <p className="wb-missing">{error}</p>}
			<ContributorLinkControls client={client} snapshot={snapshot} boardId={chrome.boardId} />
		</section>
	)
}

type FacilitateTab = 'agenda' | 'timer' | 'voting' | 'estimate' | 'private' | 'present' | 'lock' | 'links'

/** The open tab, kept while the panel is closed and reopened. */
const facilitateTab = atom<FacilitateTab>('facilitate tab', 'agenda')

function tabBadge(tab: FacilitateTab, snapshot: SessionSnapshot): string | null {
	const state = snapshot.state
	if (!state) return null
	switch (tab) {
		case 'voting':
			return state.votingSessions.some((s) => s.status === 'open') ? 'open' : null
		case 'timer':
			return state.timer.running ? 'running' : null
		case 'estimate':
			return state.estimationRounds.some((r) => r.status === 'open') ? 'open' : null
		case 'private':
			return state.privateMode.on ? 'on' : null
		case 'present':
			return state.followMe ? 'on' : null
		case 'lock':
			return state.lock.board || state.lock.shapeIds.length > 0 ? 'on' : null
		default:
			return null
	}
}

const TABS: { id: FacilitateTab; label: string }[] = [
	{ id: 'agenda', label: 'Agenda' },
	{ id: 'timer', label: 'Timer' },
	{ id: 'voting', label: 'Voting' },
	{ id: 'estimate', label: 'Estimate' },
	{ id: 'private', label: 'Private writing' },
	{ id: 'present', label: 'Follow me' },
	{ id: 'lock', label: 'Lock' },
	{ id: 'links', label: 'Links' },
]

/**
 * One section at a time, picked from tabs: the whole panel then fits a
 * 1366×768 laptop screen without scrolling. A badge on a tab says what is
 * running there (an open vote, the timer, private writing…).
 */
export function FacilitatorPanel({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const tab = useValue(facilitateTab)
	if (snapshot.role !== 'facilitator') {
		return <p className="muted">Only the facilitator runs votes, the timer and the agenda.</p>
	}
	return (
		<div className="fac-panel" data-testid="facilitator-panel">
			<div className="fac-tabs" role="tablist" aria-label="Facilitation">
				{TABS.map(({ id, label }) => {
					const badge = tabBadge(id, snapshot)
					return (
						<button
							key={id}
							type="button"
							role="tab"
							id={`fac-tab-${id}`}
							aria-selected={tab === id}
							aria-controls="fac-tabpanel"
							data-testid={`fac-tab-${id}`}
							onClick={() => facilitateTab.set(id)}
						>
							{label}
							{badge && (
								<span className="fac-tabs__badge" aria-label={`(${badge})`}>
									●
								</span>
							)}
						</button>
					)
				})}
			</div>
			<div role="tabpanel" id="fac-tabpanel" aria-labelledby={`fac-tab-${tab}`}>
				{tab === 'agenda' && <AgendaSection client={client} snapshot={snapshot} />}
				{tab === 'timer' && <TimerSection client={client} snapshot={snapshot} />}
				{tab === 'voting' && <VotingSection client={client} snapshot={snapshot} />}
				{tab === 'estimate' && <EstimationSection client={client} snapshot={snapshot} />}
				{tab === 'private' && <PrivateSection client={client} snapshot={snapshot} />}
				{tab === 'present' && <PresentSection client={client} snapshot={snapshot} />}
				{tab === 'lock' && <LockSection client={client} snapshot={snapshot} />}
				{tab === 'links' && <LinksSection client={client} snapshot={snapshot} />}
			</div>
		</div>
	)
}
