/**
 * The panel for the selected sticky or frame: kind, tags, RICE, JTBD parts
 * for a sticky; theme, goal, lane and default kind for a frame. Every edit is
 * one undoable step written to the shared document.
 */
import { useRef, useState } from 'react'
import { useEditor, useValue, type TLFrameShape, type TLNoteShape, type TLShape } from 'tldraw'
import {
	FrameMetaKey,
	IMPACT_LABELS,
	IMPACT_VALUES,
	ITEM_KINDS,
	ITEM_KIND_INFO,
	ItemMetaKey,
	LANES,
	LANE_LABELS,
	computeRice,
	formatRiceScore,
	looksLikeJtbd,
	normalizeTag,
	parseFrameMeta,
	parseItemMeta,
	parseJtbd,
	tagColor,
	type ItemKind,
	type RiceField,
	type ThemeMeta,
} from '../../shared/items'
import { richTextToPlainText } from '../../shared/text/richText'
import { setKindOfNotes, updateNoteMeta } from './itemLifecycle'
import { useEditBlockedReason } from './editBlockedReason'
import { useKeepShapeAboveSheet } from './keepSelectionVisible'
import { FrameStageSections, StageSections } from './relationsPanel'
import { LifecycleSections } from './lifecycleSections'
import { NumberField } from './NumberField'

function formatTime(ms: number | null): string {
	return ms ? new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : '—'
}

/**
 * Why nothing in the inspector can be changed, said in words above its (disabled) fields:
 * a tooltip alone never shows on a touch screen.
 */
function EditBlockedNote({ reason }: { reason: string | null }) {
	if (!reason) return null
	return (
		<p className="wb-inspector__blocked" role="note" data-testid="edit-blocked-reason">
			{reason}
		</p>
	)
}

function NoteInspector({ note }: { note: TLNoteShape }) {
	const editor = useEditor()
	const { meta } = parseItemMeta(note.meta)
	const text = richTextToPlainText(note.props.richText)
	const [tagDraft, setTagDraft] = useState('')
	const blockedReason = useEditBlockedReason()
	const sheet = useRef<HTMLDivElement>(null)
	useKeepShapeAboveSheet(editor, note.id, sheet)
	const rawRice = (note.meta as Record<string, unknown>)[ItemMetaKey.rice]
	const riceValues = typeof rawRice === 'object' && rawRice !== null ? (rawRice as Record<string, unknown>) : {}
	const rice = computeRice(rawRice)
	const jtbdParse = parseJtbd(text)
	const setRiceField = (field: RiceField, value: number | undefined) => {
		const next: Record<string, unknown> = { ...riceValues }
		if (value === undefined) delete next[field]
		else next[field] = value
		updateNoteMeta(editor, note.id, { [ItemMetaKey.rice]: next })
	}
	const addTag = () => {
		const tag = normalizeTag(tagDraft)
		setTagDraft('')
		if (!tag || meta.tags.includes(tag)) return
		updateNoteMeta(editor, note.id, { [ItemMetaKey.tags]: [...meta.tags, tag] })
	}
	const acceptJtbd = () => {
		if (jtbdParse.status === 'not-jtbd') return
		const parts = jtbdParse.status === 'complete'
			? { situation: jtbdParse.situation, motivation: jtbdParse.motivation, outcome: jtbdParse.outcome, ...(jtbdParse.persona ? { persona: jtbdParse.persona } : {}) }
			: jtbdParse.parts
		setKindOfNotes(editor, [note.id], 'jtbd')
		updateNoteMeta(editor, note.id, { [ItemMetaKey.jtbd]: parts })
	}
	const storedJtbd = meta.jtbd
	const offerJtbd = looksLikeJtbd(text) && (meta.kind !== 'jtbd' || !storedJtbd)

	return (
		<div className="wb-inspector" data-testid="item-inspector" ref={sheet} onPointerDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
			<EditBlockedNote reason={blockedReason} />
			<fieldset className="wb-inspector__fields" disabled={blockedReason !== null}>
			<div className="wb-inspector__section">
				<div className="wb-inspector__label">Kind</div>
				<div className="wb-kind-picker" role="radiogroup" aria-label="Item kind">
					{ITEM_KINDS.map((kind: ItemKind) => (
						<button
							key={kind}
							type="button"
							role="radio"
							aria-checked={meta.kind === kind}
							className={`wb-kind wb-kind--${ITEM_KIND_INFO[kind].color}`}
							title={blockedReason ?? `${ITEM_KIND_INFO[kind].description} (key ${ITEM_KIND_INFO[kind].shortcut})`}
							disabled={blockedReason !== null}
							data-testid={`kind-${kind}`}
							onClick={() => setKindOfNotes(editor, [note.id], kind)}
						>
							{ITEM_KIND_INFO[kind].label} <kbd>{ITEM_KIND_INFO[kind].shortcut}</kbd>
						</button>
					))}
				</div>
			</div>

			{offerJtbd && (
				<div className="wb-inspector__offer" data-testid="jtbd-offer">
					This reads like a job to be done.
					<button type="button" className="button button--primary" data-testid="jtbd-accept" onClick={acceptJtbd}>
						Turn into JTBD
					</button>
				</div>
			)}
			{meta.kind === 'jtbd' && (
				<div className="wb-inspector__section" data-testid="jtbd-parts">
					<div className="wb-inspector__label">Job to be done</div>
					{storedJtbd ? (
						<dl className="wb-jtbd">
							<dt>When</dt><dd>{storedJtbd.situation ?? <em className="wb-missing">missing situation</em>}</dd>
							<dt>I want to</dt><dd>{storedJtbd.motivation ?? <em className="wb-missing">missing motivation</em>}</dd>
							<dt>So I can</dt><dd>{storedJtbd.outcome ?? <em className="wb-missing">missing outcome</em>}</dd>
							{storedJtbd.persona && (<><dt>As</dt><dd>{storedJtbd.persona}</dd></>)}
						</dl>
					) : (
						<p className="muted">Write “When …, I want to …, so I can …” on the sticky.</p>
					)}
				</div>
			)}

			<div className="wb-inspector__section">
				<div className="wb-inspector__label">Tags</div>
				<div className="wb-tags">
					{meta.tags.map((tag) => (
						<span key={tag} className={`wb-tag wb-tag--${tagColor(tag)}`}>
							{tag}
							<button
								type="button"
								aria-label={`Remove tag ${tag}`}
								onClick={() => updateNoteMeta(editor, note.id, { [ItemMetaKey.tags]: meta.tags.filter((t) => t !== tag) })}
							>
								×
							</button>
						</span>
					))}
				</div>
				<form
					className="wb-inline-form"
					onSubmit={(e) => {
						e.preventDefault()
						addTag()
					}}
				>
					<input data-testid="tag-input" aria-label="Add tag" value={tagDraft} onChange={(e) => setTagDraft(e.target.value)} placeholder="Add tag…" maxLength={40} disabled={blockedReason !== null} title={blockedReason ?? undefined} />
					<button type="submit" className="button" disabled={blockedReason !== null} title={blockedReason ?? undefined}>Add</button>
				</form>
			</div>

			{(meta.kind === 'idea' || meta.kind === 'feature') && (
				<div className="wb-inspector__section" data-testid="rice-editor">
					<div className="wb-inspector__label">
						RICE{' '}
						{rice.status === 'complete' ? (
							<strong data-testid="rice-score">{formatRiceScore(rice.score)}</strong>
						) : (
							<span className="wb-missing" data-testid="rice-score">incomplete: {rice.missing.join(', ')}</span>
						)}
					</div>
					<NumberField label="Reach" suffix="per quarter" min={0} value={typeof riceValues.reach === 'number' ? riceValues.reach : undefined} onChange={(v) => setRiceField('reach', v)} />
					<label className="wb-field">
						<span>Impact</span>
						<select
							value={typeof riceValues.impact === 'number' ? String(riceValues.impact) : ''}
							onChange={(e) => setRiceField('impact', e.target.value === '' ? undefined : Number(e.target.value))}
						>
							<option value="">—</option>
							{IMPACT_VALUES.map((v) => (
								<option key={v} value={v}>{v} · {IMPACT_LABELS[v]}</option>
							))}
						</select>
					</label>
					<NumberField label="Confidence" suffix="%" min={0} step={5} value={typeof riceValues.confidence === 'number' ? riceValues.confidence : undefined} onChange={(v) => setRiceField('confidence', v)} />
					<NumberField label="Effort" suffix="person-months" min={0} value={typeof riceValues.effort === 'number' ? riceValues.effort : undefined} onChange={(v) => setRiceField('effort', v)} />
				</div>
			)}

			<LifecycleSections note={note} kind={meta.kind} />
			<StageSections note={note} />
			</fieldset>
			<div className="wb-inspector__section muted wb-inspector__small">
				By {meta.author?.name || 'unknown'} · created {formatTime(meta.createdAt)} · updated {formatTime(meta.updatedAt)}
			</div>
		</div>
	)
}

const EMPTY_THEME: ThemeMeta = { title: '', description: '', goal: { metric: '', target: '', northStar: false } }

function FrameInspector({ frame }: { frame: TLFrameShape }) {
	const editor = useEditor()
	const { meta } = parseFrameMeta(frame.meta)
	const theme = meta.theme
	const setTheme = (next: ThemeMeta | null) => updateNoteMeta(editor, frame.id, { [FrameMetaKey.theme]: next })
	const blockedReason = useEditBlockedReason()
	const sheet = useRef<HTMLDivElement>(null)
	useKeepShapeAboveSheet(editor, frame.id, sheet)
	return (
		<div className="wb-inspector" data-testid="frame-inspector" ref={sheet} onPointerDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
			<EditBlockedNote reason={blockedReason} />
			<fieldset className="wb-inspector__fields" disabled={blockedReason !== null} title={blockedReason ?? undefined}>
			<div className="wb-inspector__section">
				<label className="wb-field">
					<input
						type="checkbox"
						data-testid="theme-toggle"
						checked={theme !== null}
						onChange={(e) => setTheme(e.target.checked ? { ...EMPTY_THEME, title: frame.props.name } : null)}
					/>
					<span>Roadmap theme</span>
				</label>
			</div>
			{theme && (
				<div className="wb-inspector__section">
					<label className="wb-field wb-field--stacked">
						<span>Theme title</span>
						<input data-testid="theme-title" value={theme.title} maxLength={200} onChange={(e) => setTheme({ ...theme, title: e.target.value })} />
					</label>
					<label className="wb-field wb-field--stacked">
						<span>Description</span>
						<textarea value={theme.description} maxLength={4000} rows={2} onChange={(e) => setTheme({ ...theme, description: e.target.value })} />
					</label>
					<label className="wb-field wb-field--stacked">
						<span>Goal metric</span>
						<input data-testid="theme-metric" value={theme.goal.metric} maxLength={200} placeholder="e.g. weekly active teams" onChange={(e) => setTheme({ ...theme, goal: { ...theme.goal, metric: e.target.value } })} />
					</label>
					<label className="wb-field wb-field--stacked">
						<span>Target</span>
						<input data-testid="theme-target" value={theme.goal.target} maxLength={200} placeholder="e.g. +20% by Q3" onChange={(e) => setTheme({ ...theme, goal: { ...theme.goal, target: e.target.value } })} />
					</label>
					<label className="wb-field">
						<input type="checkbox" checked={theme.goal.northStar} onChange={(e) => setTheme({ ...theme, goal: { ...theme.goal, northStar: e.target.checked } })} />
						<span>North Star metric</span>
					</label>
				</div>
			)}
			<div className="wb-inspector__section">
				<label className="wb-field wb-field--stacked">
					<span>Roadmap lane</span>
					<select
						value={meta.lane ?? ''}
						data-testid="lane-select"
						onChange={(e) => updateNoteMeta(editor, frame.id, { [FrameMetaKey.lane]: e.target.value || null })}
					>
						<option value="">not a lane</option>
						{LANES.map((lane) => (
							<option key={lane} value={lane}>{LANE_LABELS[lane]}</option>
						))}
					</select>
				</label>
				<label className="wb-field wb-field--stacked">
					<span>New stickies here are</span>
					<select
						value={meta.defaultKind ?? ''}
						onChange={(e) => updateNoteMeta(editor, frame.id, { [FrameMetaKey.defaultKind]: e.target.value || null })}
					>
						<option value="">(board default)</option>
						{ITEM_KINDS.map((kind) => (
							<option key={kind} value={kind}>{ITEM_KIND_INFO[kind].label}</option>
						))}
					</select>
				</label>
			</div>
			<FrameStageSections frame={frame} />
			</fieldset>
		</div>
	)
}

/** Shows the inspector for the only selected shape, if it is a sticky or a frame. */
export function ItemInspector() {
	const editor = useEditor()
	const selected = useValue('only selected shape', (): TLShape | null => editor.getOnlySelectedShape() ?? null, [editor])
	const isEditingText = useValue('editing', () => editor.getEditingShapeId() !== null, [editor])
	if (!selected || isEditingText) return null
	if (selected.type === 'note') return <NoteInspector key={selected.id} note={selected as TLNoteShape} />
	if (selected.type === 'frame') return <FrameInspector key={selected.id} frame={selected as TLFrameShape} />
	return null
}
