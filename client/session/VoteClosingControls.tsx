/**
 * The facilitator's side of remote voting over days (docs/sessions.md §3a):
 * a closing time when starting a vote ("when I close it", "in N minutes /
 * hours / days", "at a date and time" in the facilitator's zone), and, while
 * it is open, the closing time, turnout and extend / remove / close early.
 * A closed vote is never reopened: "New round" starts another vote.
 */
import { useEffect, useState } from 'react'
import type { VotingSessionPublic } from '../../shared/session/messages'
import type { SessionClient } from './sessionClient'
import { closingTimeOf, facilitatorZoneNote, formatClosingTime, formatTimeLeft, ownTimeZone, type ClosingChoice } from './voteClosingFormat'

/** Server time, re-read every second while `on`. */
export function useServerNow(client: SessionClient, on: boolean): number {
	const [now, setNow] = useState(() => client.serverNow())
	useEffect(() => {
		if (!on) return
		setNow(client.serverNow())
		const interval = setInterval(() => setNow(client.serverNow()), 1000)
		return () => clearInterval(interval)
	}, [client, on])
	return on ? now : client.serverNow()
}

export function ClosingTimeFields({ choice, onChange }: { choice: ClosingChoice; onChange(choice: ClosingChoice): void }) {
	return (
		<div className="vote-closing__fields">
			<label className="wb-field">
				<span>Closes</span>
				<select
					data-testid="voting-closes"
					value={choice.mode}
					onChange={(e) => {
						const mode = e.target.value
						onChange(mode === 'in' ? { mode, amount: 1, unit: 'days' } : mode === 'at' ? { mode, local: '' } : { mode: 'manual' })
					}}
				>
					<option value="manual">when I close it</option>
					<option value="in">after…</option>
					<option value="at">at a date and time…</option>
				</select>
			</label>
			{choice.mode === 'in' && (
				<div className="wb-inline-form">
					<input
						type="number"
						aria-label="Open for"
						data-testid="voting-closes-amount"
						min={0}
						step="any"
						value={Number.isFinite(choice.amount) ? choice.amount : ''}
						onChange={(e) => onChange({ ...choice, amount: Number(e.target.value) })}
					/>
					<select aria-label="Unit" data-testid="voting-closes-unit" value={choice.unit} onChange={(e) => onChange({ ...choice, unit: e.target.value as typeof choice.unit })}>
						<option value="minutes">minutes</option>
						<option value="hours">hours</option>
						<option value="days">days</option>
					</select>
				</div>
			)}
			{choice.mode === 'at' && (
				<label className="wb-field">
					<span>Your time ({ownTimeZone() ?? 'local'})</span>
					<input type="datetime-local" data-testid="voting-closes-at" value={choice.local} onChange={(e) => onChange({ ...choice, local: e.target.value })} />
				</label>
			)}
		</div>
	)
}

const HOUR = 60 * 60 * 1000

export function OpenVoteClosing({ client, open, run }: { client: SessionClient; open: VotingSessionPublic; run(action: Promise<unknown>): void }) {
	const now = useServerNow(client, open.closesAt !== null)
	const [editing, setEditing] = useState(false)
	const [choice, setChoice] = useState<ClosingChoice>({ mode: 'in', amount: 1, unit: 'days' })
	const [problem, setProblem] = useState<string | null>(null)
	const schedule = (closesAt: number | null) => run(client.request({ type: 'voting.schedule', sessionId: open.id, closesAt, timeZone: ownTimeZone() }))
	const apply = () => {
		const { closesAt, error } = closingTimeOf(choice, client.serverNow())
		setProblem(error)
		if (error) return
		schedule(closesAt)
		setEditing(false)
	}
	const turnout = open.turnout
	return (
		<div className="vote-closing" data-testid="vote-closing">
			<p data-testid="vote-closing-time">
				{open.closesAt === null ? (
					'No closing time: it stays open until you close it.'
				) : (
					<>
						Closes <strong>{formatClosingTime(open.closesAt)}</strong>
						{facilitatorZoneNote(open.closesAt, open.closeTimeZone)} · {formatTimeLeft(open.closesAt - now)}
					</>
				)}
			</p>
			{turnout && (
				<p data-testid="vote-turnout" title="Participants who opened the board while this vote was open, plus anyone else who voted. Counts only — never who voted for what.">
					Turnout: <strong>{turnout.voters} of {turnout.joined}</strong> {turnout.joined === 1 ? 'person who joined has' : 'people who joined have'} voted
				</p>
			)}
			<div className="fac-row">
				{open.closesAt !== null && (
					<>
						<button type="button" className="button" data-testid="vote-extend-hour" onClick={() => schedule(Math.max(open.closesAt ?? 0, client.serverNow()) + HOUR)}>
							+1 hour
						</button>
						<button type="button" className="button" data-testid="vote-extend-day" onClick={() => schedule(Math.max(open.closesAt ?? 0, client.serverNow()) + 24 * HOUR)}>
							+1 day
						</button>
					</>
				)}
				<button type="button" className="button" data-testid="vote-closing-edit" aria-expanded={editing} onClick={() => setEditing(!editing)}>
					{open.closesAt === null ? 'Set closing time' : 'Change'}
				</button>
			</div>
			{editing && (
				<div className="vote-closing__edit">
					<ClosingTimeFields choice={choice} onChange={setChoice} />
					<div className="fac-row">
						<button type="button" className="button button--primary" data-testid="vote-closing-apply" onClick={apply}>
							{choice.mode === 'manual' ? 'Remove closing time' : 'Apply'}
						</button>
					</div>
					{problem && <p className="wb-missing">{problem}</p>}
				</div>
			)}
		</div>
	)
}
