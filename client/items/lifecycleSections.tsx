/**
 * The inspector's lifecycle and CD3 sections (issue #13 item 10): an item's
 * status (new → evaluating → accepted / parked / discarded, with a reason)
 * and, for ideas and features, cost of delay and duration, whose quotient
 * (CD3) the ranking can sort by. Writes `meta.status`, `meta.statusReason`
 * and `meta.cd3` (shared/items/lifecycle.ts), one undoable step each.
 */
import { useEffect, useRef, useState } from 'react'
import { useEditor, type TLNoteShape } from 'tldraw'
import type { ItemKind } from '../../shared/items'
import {
	computeCd3,
	formatCd3Score,
	ITEM_STATUSES,
	ITEM_STATUS_LABELS,
	LifecycleMetaKey,
	MAX_STATUS_REASON,
	readLifecycle,
	STATUSES_WITH_REASON,
	type Cd3Input,
	type ItemStatus,
} from '../../shared/items/lifecycle'
import { parseItemMeta } from '../../shared/items/itemMeta'
import { updateNoteMeta } from './itemLifecycle'
import { NumberField } from './NumberField'

export function LifecycleSections({ note, kind }: { note: TLNoteShape; kind: ItemKind }) {
	const editor = useEditor()
	const { status, statusReason, cd3 } = readLifecycle(note.meta)
	const score = computeCd3(cd3)
	const setStatus = (next: ItemStatus) => updateNoteMeta(editor, note.id, { [LifecycleMetaKey.status]: next })
	const setCd3 = (field: keyof Cd3Input, value: number | undefined) => {
		const next: Cd3Input = { ...cd3 }
		if (value === undefined || value <= 0) delete next[field]
		else next[field] = value
		updateNoteMeta(editor, note.id, { [LifecycleMetaKey.cd3]: next })
	}
	const showReason = STATUSES_WITH_REASON.includes(status) || statusReason !== null
	// Contributor notes carry the `contributor` tag (server/session/contributions.ts); their sender can read the status.
	const fromContributor = parseItemMeta(note.meta).meta.tags.includes('contributor')
	return (
		<>
			<div className="wb-inspector__section" data-testid="status-editor">
				<label className="wb-field">
					<span className="wb-inspector__label">Status</span>
					<select data-testid="status-select" value={status} onChange={(e) => setStatus(e.target.value as ItemStatus)}>
						{ITEM_STATUSES.map((s) => (
							<option key={s} value={s}>
								{ITEM_STATUS_LABELS[s]}
							</option>
						))}
					</select>
				</label>
				{showReason && (
					<StatusReasonField
						key={note.id}
						value={statusReason ?? ''}
						placeholder={status === 'discarded' ? 'Why it was discarded' : status === 'parked' ? 'Why it waits, and until when' : 'Why'}
						onCommit={(reason) => updateNoteMeta(editor, note.id, { [LifecycleMetaKey.statusReason]: reason })}
					/>
				)}
				{fromContributor && (
					<p className="wb-inspector__hint" data-testid="status-shared-with-sender">
						Sent through the contributor link: the sender sees this status{showReason ? ' and reason' : ''} on their page.
					</p>
				)}
			</div>
			{(kind === 'idea' || kind === 'feature') && (
				<div className="wb-inspector__section" data-testid="cd3-editor">
					<div className="wb-inspector__label">
						CD3{' '}
						{score.status === 'complete' ? (
							<strong data-testid="cd3-score">{formatCd3Score(score.score)}</strong>
						) : (
							<span className="wb-missing" data-testid="cd3-score">
								incomplete
							</span>
						)}
					</div>
					<NumberField label="Cost of delay" suffix="per week" min={0} value={cd3.costOfDelay} onChange={(v) => setCd3('costOfDelay', v)} />
					<NumberField label="Duration" suffix="weeks" min={0} value={cd3.duration} onChange={(v) => setCd3('duration', v)} />
				</div>
			)}
		</>
	)
}

const REASON_COMMIT_IDLE_MS = 800

/**
 * The reason is written when typing pauses, on Enter, on blur and when the
 * inspector closes — not per keystroke: one undo step per reason, and a
 * contributor polling their note's status never reads a half-typed one.
 */
function StatusReasonField({ value, placeholder, onCommit }: { value: string; placeholder: string; onCommit: (reason: string) => void }) {
	const [draft, setDraft] = useState(value)
	const pending = useRef<{ text: string; timer: ReturnType<typeof setTimeout> } | null>(null)
	const commitRef = useRef(onCommit)
	commitRef.current = onCommit
	const flush = () => {
		const current = pending.current
		if (!current) return
		clearTimeout(current.timer)
		pending.current = null
		commitRef.current(current.text)
	}
	// A remote edit shows unless this person is typing over it.
	useEffect(() => {
		if (!pending.current) setDraft(value)
	}, [value])
	useEffect(() => flush, [])
	return (
		<label className="wb-field">
			<span>Reason</span>
			<input
				data-testid="status-reason"
				value={draft}
				maxLength={MAX_STATUS_REASON}
				placeholder={placeholder}
				onChange={(e) => {
					const text = e.target.value
					setDraft(text)
					if (pending.current) clearTimeout(pending.current.timer)
					pending.current = { text, timer: setTimeout(flush, REASON_COMMIT_IDLE_MS) }
				}}
				onBlur={flush}
				onKeyDown={(e) => {
					if (e.key === 'Enter') flush()
				}}
			/>
		</label>
	)
}
