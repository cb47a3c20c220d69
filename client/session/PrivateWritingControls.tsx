/**
 * The facilitator's private-writing controls as an explicit state: what is
 * happening now and the one next step, so "Reveal" never silently turns into
 * "Start" (#10 item 8). The state comes from the server (privateMode):
 *   off, never used → "Start private writing"
 *   on              → "Reveal notes" (ends the round) or "End without revealing"
 *   ended, unrevealed (changedAt after the last reveal) → "Reveal notes" or "Resume"
 *   revealed        → "Revealed at 14:32" and "Start a new private round"
 */
import { useState } from 'react'
import type { SessionState } from '../../shared/session/messages'
import type { SessionClient } from './sessionClient'

export type PrivateWritingPhase = 'idle' | 'writing' | 'ended-unrevealed' | 'revealed'

export function privateWritingPhase(mode: SessionState['privateMode'] | undefined): PrivateWritingPhase {
	if (!mode) return 'idle'
	if (mode.on) return 'writing'
	const revealedAt = mode.lastReveal?.at ?? null
	if (mode.changedAt !== null && (revealedAt === null || mode.changedAt > revealedAt)) return 'ended-unrevealed'
	return revealedAt === null ? 'idle' : 'revealed'
}

const clockTime = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

export function PrivateWritingControls({ client, mode, run }: { client: SessionClient; mode: SessionState['privateMode'] | undefined; run: (action: Promise<unknown>) => void }) {
	const [anonymousReveal, setAnonymousReveal] = useState(false)
	const phase = privateWritingPhase(mode)
	const setOn = (on: boolean) => run(client.request({ type: 'private.set', on }))
	const reveal = () => run(client.request({ type: 'private.reveal', anonymous: anonymousReveal }))
	const status = {
		idle: 'Off. Start it to let everyone write on their own first.',
		writing: `Writing privately since ${mode?.changedAt ? clockTime(mode.changedAt) : 'now'}: participants' new notes are visible only to them.`,
		'ended-unrevealed': 'Ended, not revealed: the notes written are still hidden on participants\u2019 devices.',
		revealed: `Revealed at ${mode?.lastReveal ? clockTime(mode.lastReveal.at) : ''}${mode?.lastReveal?.anonymous ? ' (without authors)' : ''}: everyone sees the notes.`,
	}[phase]
	const revealControls = (
		<>
			<button type="button" className="button button--primary" data-testid="private-reveal" onClick={reveal}>
				{phase === 'writing' ? 'Reveal notes and end' : 'Reveal notes'}
			</button>
			<label className="fac-check">
				<input type="checkbox" checked={anonymousReveal} onChange={(e) => setAnonymousReveal(e.target.checked)} /> without authors
			</label>
		</>
	)
	return (
		<>
			<p className={`fac-status fac-status--${phase}`} data-testid="private-status" data-phase={phase} role="status">
				{status}
			</p>
			<div className="fac-row">
				{phase === 'writing' && (
					<>
						{revealControls}
						<button type="button" className="button" data-testid="private-toggle" onClick={() => setOn(false)}>
							End without revealing
						</button>
					</>
				)}
				{phase === 'ended-unrevealed' && (
					<>
						{revealControls}
						<button type="button" className="button" data-testid="private-toggle" onClick={() => setOn(true)}>
							Resume private writing
						</button>
					</>
				)}
				{(phase === 'idle' || phase === 'revealed') && (
					<button type="button" className="button" data-testid="private-toggle" onClick={() => setOn(true)}>
						{phase === 'revealed' ? 'Start a new private round' : 'Start private writing'}
					</button>
				)}
			</div>
		</>
	)
}
