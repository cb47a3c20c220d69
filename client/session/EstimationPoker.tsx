/**
 * RICE estimation poker in the app (#13 item 7): the facilitator's tab
 * (start a round on the selected features, reveal, accept the median or
 * another value as the item's RICE) and every participant's card (estimate
 * each item privately; the server keeps it hidden until the reveal, then
 * everyone sees the spread). The server enforces all of it (docs/sessions.md
 * §10); this UI only asks.
 */
import { useEffect, useState } from 'react'
import { useEditor, useValue, type Editor, type TLNoteShape, type TLShapeId } from 'tldraw'
import { IMPACT_LABELS, IMPACT_VALUES, ItemMetaKey, parseItemMeta, RICE_FIELDS, type Impact, type RiceField } from '../../shared/items'
import { medianRice, MyEstimatesSchema, type AcceptedRice, type Estimate, type EstimationItemResult, type EstimationRoundPublic, type FieldSpread, type MyEstimates } from '../../shared/session/estimation'
import { richTextToPlainText } from '../../shared/text/richText'
import { updateNoteMeta } from '../items/itemLifecycle'
import type { SessionClient, SessionSnapshot } from './sessionClient'

const FIELD_LABELS: Readonly<Record<RiceField, string>> = { reach: 'Reach', impact: 'Impact', confidence: 'Confidence %', effort: 'Effort' }

function itemLabel(editor: Editor, id: string): string {
	const shape = editor.getShape(id as TLShapeId)
	if (!shape || shape.type !== 'note') return '(no longer on the board)'
	const text = richTextToPlainText((shape as TLNoteShape).props.richText).replace(/\s+/gu, ' ').trim()
	return text.length > 40 ? `${text.slice(0, 39)}…` : text || '(empty)'
}

function useItemLabels(ids: readonly string[]): string[] {
	const editor = useEditor()
	return useValue('estimation item labels', () => ids.map((id) => itemLabel(editor, id)), [editor, ids.join(' ')])
}

function useRun() {
	const [error, setError] = useState<string | null>(null)
	const run = (action: Promise<unknown>) => {
		setError(null)
		return action.catch((e: unknown) => setError((e as Error).message))
	}
	return { error, run }
}

function ImpactSelect({ label, testId, value, onChange }: { label: string; testId: string; value: Impact | undefined; onChange: (impact: Impact | undefined) => void }) {
	return (
		<select aria-label={label} data-testid={testId} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : (Number(e.target.value) as Impact))}>
			<option value="">impact</option>
			{IMPACT_VALUES.map((v) => (
				<option key={v} value={v}>
					{v} {IMPACT_LABELS[v]}
				</option>
			))}
		</select>
	)
}

function spreadText(spread: FieldSpread | null): string {
	if (!spread) return '—'
	return spread.min === spread.max ? `${spread.median}` : `${spread.min} – ${spread.median} – ${spread.max}`
}

/** One item's revealed spread: min – median – max per field, and who is an outlier (named rounds). */
function ResultRows({ result, label }: { result: EstimationItemResult; label: string }) {
	const outliers = RICE_FIELDS.flatMap((field) => (result[field]?.outliers ?? []).map((o) => `${o.name} (${FIELD_LABELS[field].toLowerCase()} ${o.value})`))
	return (
		<div className="poker-result" data-testid="poker-result" data-item-id={result.itemId}>
			<div className="poker-result__title">
				{label} <span className="muted">· {result.estimators} estimated</span>
			</div>
			<dl className="poker-result__fields">
				{RICE_FIELDS.map((field) => (
					<div key={field}>
						<dt>{FIELD_LABELS[field]}</dt>
						<dd data-testid={`poker-spread-${field}`}>{spreadText(result[field])}</dd>
					</div>
				))}
			</dl>
			{outliers.length > 0 && (
				<p className="poker-result__outliers" data-testid="poker-outliers">
					Outliers: {outliers.join(', ')}
				</p>
			)}
		</div>
	)
}

function AcceptForm({ client, round, result }: { client: SessionClient; round: EstimationRoundPublic; result: EstimationItemResult }) {
	const editor = useEditor()
	const median = medianRice(result)
	const [values, setValues] = useState<Partial<AcceptedRice>>(result.accepted ?? median ?? {})
	const { error, run } = useRun()
	const complete = RICE_FIELDS.every((f) => typeof values[f] === 'number')
	const accept = (rice: AcceptedRice) =>
		run(
			client.request({ type: 'estimation.accept', roundId: round.id, itemId: result.itemId, rice }).then(() => {
				// The decision becomes the item's RICE in the shared document (one undoable step).
				if (editor.getShape(result.itemId as TLShapeId)) updateNoteMeta(editor, result.itemId as TLShapeId, { [ItemMetaKey.rice]: { ...rice } })
			}),
		)
	return (
		<form
			className="poker-accept"
			onSubmit={(e) => {
				e.preventDefault()
				if (complete) void accept(values as AcceptedRice)
			}}
		>
			{RICE_FIELDS.map((field) => (
				<label key={field} className="poker-field">
					<span>{FIELD_LABELS[field]}</span>
				{field === 'impact' ? (
					<ImpactSelect label="Accepted impact" testId="accept-impact" value={values.impact} onChange={(impact) => setValues({ ...values, impact })} />
				) : (
					<input
						type="number"
						step="any"
						min={0}
						aria-label={`Accepted ${field}`}
						data-testid={`accept-${field}`}
						placeholder={field}
						value={values[field] ?? ''}
						onChange={(e) => setValues({ ...values, [field]: e.target.value === '' ? undefined : Number(e.target.value) })}
					/>
				)}
				</label>
			))}
			<div className="fac-row">
				{median && (
					<button type="button" className="button" data-testid="accept-median" onClick={() => void accept(median)}>
						Accept median
					</button>
				)}
				<button type="submit" className="button button--primary" data-testid="accept-values" disabled={!complete}>
					Accept these values
				</button>
				{result.accepted && (
					<span className="poker-accepted" data-testid="poker-accepted">
						✓ RICE set
					</span>
				)}
			</div>
			{error && <p className="wb-missing">{error}</p>}
		</form>
	)
}

/** The facilitator's Estimate tab. */
export function EstimationSection({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const editor = useEditor()
	const { error, run } = useRun()
	const [title, setTitle] = useState('RICE estimates')
	const [anonymous, setAnonymous] = useState(false)
	const selected = useValue(
		'selected features',
		() =>
			editor
				.getSelectedShapes()
				.filter((s) => s.type === 'note' && ['feature', 'idea'].includes(parseItemMeta(s.meta).meta.kind))
				.map((s) => s.id as string),
		[editor],
	)
	const rounds = snapshot.state?.estimationRounds ?? []
	const open = rounds.find((r) => r.status === 'open')
	const latest = [...rounds].reverse().find((r) => r.status === 'revealed')
	const people = snapshot.state?.people ?? []
	const openLabels = useItemLabels(open?.itemIds ?? [])
	const latestLabels = useItemLabels(latest?.results?.map((r) => r.itemId) ?? [])
	return (
		<section className="fac-section" data-testid="estimation-section">
			{open ? (
				<>
					<h3>Estimating: {open.title}</h3>
					<p className="muted" data-testid="estimation-progress">
						{open.estimators} of {people.filter((p) => p.role !== 'viewer').length} estimated · {open.anonymous ? 'anonymous' : 'named'} · hidden until you reveal
						{open.estimatedPersonKeys && open.estimatedPersonKeys.length > 0 && ` (${people.filter((p) => open.estimatedPersonKeys!.includes(p.key)).map((p) => p.name).join(', ')})`}
					</p>
					<p className="muted wb-inspector__small">{openLabels.join(' · ')}</p>
					<button type="button" className="button button--primary" data-testid="estimation-reveal" onClick={() => void run(client.request({ type: 'estimation.reveal', roundId: open.id }))}>
						Reveal estimates
					</button>
				</>
			) : (
				<>
					<h3>RICE estimation poker</h3>
					<label className="wb-field wb-field--stacked">
						<span>Round</span>
						<input data-testid="estimation-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
					</label>
					<label className="fac-check">
						<input type="checkbox" data-testid="estimation-anonymous" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />
						Anonymous (only the spread, no names)
					</label>
					<p className="muted wb-inspector__small" data-testid="estimation-selected">
						{selected.length === 0 ? 'Select the features (or ideas) to estimate on the board.' : `${selected.length} selected`}
					</p>
					<button
						type="button"
						className="button button--primary"
						data-testid="estimation-start"
						disabled={selected.length === 0}
						onClick={() => void run(client.request({ type: 'estimation.start', config: { title, itemIds: selected, anonymous } }))}
					>
						Start estimating
					</button>
				</>
			)}
			{error && <p className="wb-missing">{error}</p>}
			{latest?.results && !open && (
				<div data-testid="estimation-results">
					<h3>Revealed: {latest.title}</h3>
					<p className="muted wb-inspector__small">min – median – max · {latest.estimators} people</p>
					{latest.results.map((result, i) => (
						<div key={result.itemId}>
							<ResultRows result={result} label={latestLabels[i]} />
							<AcceptForm key={`${latest.id}-${result.itemId}`} client={client} round={latest} result={result} />
						</div>
					))}
				</div>
			)}
		</section>
	)
}

function EstimateFields({ value, onChange }: { value: Estimate; onChange: (next: Estimate) => void }) {
	const number = (field: 'reach' | 'confidence' | 'effort', placeholder: string, max?: number) => (
		<label className="poker-field">
			<span>{FIELD_LABELS[field]}</span>
		<input
			type="number"
			step="any"
			min={field === 'effort' ? 0.1 : 0}
			max={max}
			inputMode="decimal"
			aria-label={FIELD_LABELS[field]}
			data-testid={`estimate-${field}`}
			placeholder={placeholder}
			value={value[field] ?? ''}
			onChange={(e) => {
				const next = { ...value }
				if (e.target.value === '') delete next[field]
				else next[field] = Number(e.target.value)
				onChange(next)
			}}
		/>
		</label>
	)
	return (
		<div className="poker-card__fields">
			{number('reach', 'reach')}
			<label className="poker-field">
			<span>{FIELD_LABELS.impact}</span>
			<ImpactSelect
				label="Impact"
				testId="estimate-impact"
				value={value.impact}
				onChange={(impact) => {
					const next = { ...value }
					if (impact === undefined) delete next.impact
					else next.impact = impact
					onChange(next)
				}}
			/>
			</label>
			{number('confidence', '0–100', 100)}
			{number('effort', 'effort')}
		</div>
	)
}

/** Every participant's card while a round is open: private estimates, then the spread once revealed. */
export function EstimationCard({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const rounds = snapshot.state?.estimationRounds ?? []
	const open = rounds.find((r) => r.status === 'open')
	const latest = [...rounds].reverse().find((r) => r.status === 'revealed')
	const [dismissed, setDismissed] = useState<string | null>(null)
	const round = open ?? (latest && latest.id !== dismissed ? latest : undefined)
	const labels = useItemLabels(round?.itemIds ?? [])
	const [draft, setDraft] = useState<Record<string, Estimate>>({})
	const [mine, setMine] = useState<MyEstimates | null>(null)
	const { error, run } = useRun()
	const canEstimate = snapshot.role !== null && snapshot.role !== 'viewer'
	useEffect(() => {
		if (!open || !canEstimate) return
		let live = true
		client
			.request({ type: 'estimate.get', roundId: open.id })
			.then((result) => {
				const parsed = MyEstimatesSchema.safeParse(result)
				if (live && parsed.success) {
					setMine(parsed.data)
					setDraft(parsed.data.estimates)
				}
			})
			.catch(() => {})
		return () => {
			live = false
		}
	}, [client, open?.id, canEstimate])
	// Seen this round's reveal once on a board opened later: no need to pop up old results.
	if (!round || (round.status === 'revealed' && latest && Date.now() - (latest.revealedAt ?? 0) > 60 * 60 * 1000)) return null
	if (round.status === 'open' && !canEstimate) return null
	const submit = async () => {
		let last: MyEstimates | null = null
		for (const itemId of round.itemIds) {
			const result = await client.request({ type: 'estimate.set', roundId: round.id, itemId, estimate: draft[itemId] ?? {} })
			const parsed = MyEstimatesSchema.safeParse(result)
			if (parsed.success) last = parsed.data
		}
		if (last) setMine(last)
	}
	const submitted = mine?.roundId === round.id && Object.keys(mine.estimates).length > 0
	return (
		<aside className="poker-card" data-testid="poker-card" data-status={round.status} aria-label="RICE estimation">
			<div className="poker-card__header">
				<strong>{round.title}</strong>
				{round.status === 'revealed' && (
					<button type="button" className="poker-card__close" aria-label="Close" data-testid="poker-card-close" onClick={() => setDismissed(round.id)}>
						×
					</button>
				)}
			</div>
			{round.status === 'open' ? (
				<form
					onSubmit={(e) => {
						e.preventDefault()
						void run(submit())
					}}
				>
					<p className="muted poker-card__note">Your estimates stay hidden — from the facilitator too — until the reveal.</p>
					{round.itemIds.map((itemId, i) => (
						<div key={itemId} className="poker-card__item" data-testid="poker-item">
							<div className="poker-card__label">{labels[i]}</div>
							<EstimateFields value={draft[itemId] ?? {}} onChange={(next) => setDraft({ ...draft, [itemId]: next })} />
						</div>
					))}
					<div className="fac-row">
						<button type="submit" className="button button--primary" data-testid="estimate-submit">
							{submitted ? 'Update my estimates' : 'Submit my estimates'}
						</button>
						{submitted && (
							<span className="poker-accepted" data-testid="estimate-submitted">
								✓ submitted
							</span>
						)}
					</div>
					{error && <p className="wb-missing">{error}</p>}
				</form>
			) : (
				<div data-testid="poker-card-results">
					<p className="muted poker-card__note">Revealed · min – median – max · {round.estimators} people</p>
					{round.results?.map((result, i) => <ResultRows key={result.itemId} result={result} label={labels[i]} />)}
				</div>
			)}
		</aside>
	)
}
