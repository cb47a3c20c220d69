/**
 * The parts of a sticky's inspector that come from #13: its links both ways
 * (type changeable, weight for `supports`, a jump to the other end), a
 * feature's or idea's importance, the states of an idea's experiments, an
 * experiment's fields, and a feature's MVP mark. Links are read with the same
 * shared reader as the export (shared/items/relations.ts), from the arrows
 * bound to this sticky, so the panel and the export always agree.
 */
import { useEditor, useValue, type Editor, type TLFrameShape, type TLNoteShape, type TLShape, type TLShapeId, type TLShapePartial } from 'tldraw'
import {
	computeContainment,
	computeImportance,
	EXPERIMENT_RESULT_LABELS,
	EXPERIMENT_RESULTS,
	FrameMetaKey,
	IMPORTANCE_KINDS,
	isMvpScopeFrame,
	ITEM_KIND_INFO,
	ItemMetaKey,
	MAX_EXPERIMENT_TEXT,
	MAX_RELATION_WEIGHT,
	MIN_RELATION_WEIGHT,
	MVP_STAGE,
	parseFrameMeta,
	parseItemMeta,
	readRelations,
	relationEndKind,
	RELATION_TYPE_LABELS,
	RELATION_TYPES,
	RelationMetaKey,
	inferRelationType,
	VISION_PROMPT_KEYS,
	VISION_PROMPT_LABELS,
	type ExperimentFields,
	type ExperimentResult,
	type Relation,
	type RelationType,
} from '../../shared/items'
import { richTextToPlainText } from '../../shared/text/richText'
import { useEditBlockedReason } from './editBlockedReason'
import { updateNoteMeta } from './itemLifecycle'
import { KpiEditor } from './kpiPanel'
import './relationsPanel.css'

/** One link of the inspected sticky, seen from it. */
interface ItemLink {
	relation: Relation
	/** The sticky is the relation's `from` end. */
	outgoing: boolean
	otherId: TLShapeId
	otherLabel: string
	/** Kind label of the other end ("Insight", "Theme"…). */
	otherKind: string
	/** The other end's experiment result when it is an experiment that tests this sticky. */
	experimentResult: ExperimentResult | null | undefined
	/** Type the kinds infer (what "automatic" means in the type picker). */
	inferred: RelationType
}

function shortText(text: string, max = 48): string {
	const line = text.replace(/\s+/gu, ' ').trim()
	return line.length > max ? `${line.slice(0, max - 1)}…` : line || '(empty)'
}

function endLabel(shape: TLShape): { label: string; kind: string } {
	if (shape.type === 'note') {
		const { meta } = parseItemMeta(shape.meta)
		return { label: shortText(richTextToPlainText((shape as TLNoteShape).props.richText)), kind: ITEM_KIND_INFO[meta.kind].label }
	}
	const frameMeta = parseFrameMeta(shape.meta).meta
	const name = (shape.props as { name?: unknown }).name
	const title = frameMeta.theme?.title.trim() || (typeof name === 'string' ? name : '')
	return { label: shortText(title || 'Untitled frame'), kind: frameMeta.theme ? 'Theme' : 'Frame' }
}

/** A shape, the arrows bound to it, their bindings and their other ends: what readRelations needs for its links. */
export function recordsAroundShape(editor: Editor, shapeId: TLShapeId): Map<string, Record<string, unknown>> {
	const records = new Map<string, Record<string, unknown>>()
	const add = (record: { id: string } | undefined) => {
		if (record) records.set(record.id, record as unknown as Record<string, unknown>)
	}
	add(editor.getShape(shapeId))
	for (const binding of editor.getBindingsToShape(shapeId, 'arrow')) {
		add(editor.getShape(binding.fromId))
		for (const end of editor.getBindingsFromShape(binding.fromId, 'arrow')) {
			add(end)
			add(editor.getShape(end.toId))
		}
	}
	return records
}

/** The links of one sticky (or frame), read from the arrows bound to it and their other ends. */
function linksOf(editor: Editor, shapeId: TLShapeId): ItemLink[] {
	const records = recordsAroundShape(editor, shapeId)
	const links: ItemLink[] = []
	for (const relation of readRelations(records).relations) {
		if (relation.from !== shapeId && relation.to !== shapeId) continue
		const outgoing = relation.from === shapeId
		const otherId = (outgoing ? relation.to : relation.from) as TLShapeId
		const other = editor.getShape(otherId)
		if (!other) continue
		const { label, kind } = endLabel(other)
		const startKind = relationEndKind(records.get(relation.swapped ? relation.to : relation.from))
		const endKind = relationEndKind(records.get(relation.swapped ? relation.from : relation.to))
		const experiment = !outgoing && relation.type === 'tests' && other.type === 'note' ? parseItemMeta(other.meta).meta : null
		links.push({
			relation,
			outgoing,
			otherId,
			otherLabel: label,
			otherKind: kind,
			experimentResult: experiment?.kind === 'experiment' ? (experiment.experiment?.result ?? null) : undefined,
			inferred: startKind && endKind ? inferRelationType(startKind, endKind).type : 'relates',
		})
	}
	// A stable order (the arrows' ids are random): by type, links from this sticky first, then the other end.
	links.sort(
		(a, b) =>
			RELATION_TYPES.indexOf(a.relation.type) - RELATION_TYPES.indexOf(b.relation.type) ||
			Number(b.outgoing) - Number(a.outgoing) ||
			a.otherLabel.localeCompare(b.otherLabel) ||
			(a.relation.id < b.relation.id ? -1 : 1),
	)
	return links
}

/** Writes arrow meta keys (undefined removes a key), one undo step. */
function updateArrowMeta(editor: Editor, arrowId: TLShapeId, patch: Record<string, unknown>) {
	const arrow = editor.getShape(arrowId)
	if (!arrow) return
	const meta: Record<string, unknown> = { ...arrow.meta }
	for (const [key, value] of Object.entries(patch)) {
		if (value === undefined) delete meta[key]
		else meta[key] = value
	}
	editor.markHistoryStoppingPoint('update link')
	editor.updateShape({ id: arrow.id, type: arrow.type, meta } as TLShapePartial)
}

/** Selects a shape and brings it into view without changing the zoom. */
export function jumpToShape(editor: Editor, id: TLShapeId) {
	const bounds = editor.getShapePageBounds(id)
	if (!bounds) return
	editor.select(id)
	editor.centerOnPoint(bounds.center, { animation: { duration: 250 } })
}

function LinkRow({ link, disabled, title }: { link: ItemLink; disabled: boolean; title: string | undefined }) {
	const editor = useEditor()
	const { relation } = link
	const labels = RELATION_TYPE_LABELS[relation.type]
	return (
		<li className="wb-link" data-testid="item-link" data-link-type={relation.type} data-link-direction={link.outgoing ? 'out' : 'in'}>
			<div className="wb-link__line">
				<span className="wb-link__type">{link.outgoing ? labels.forward : labels.backward}</span>{' '}
				<button type="button" className="wb-link__jump" data-testid="item-link-jump" title={`Go to this ${link.otherKind.toLowerCase()}`} onClick={() => jumpToShape(editor, link.otherId)}>
					<span className="muted">{link.otherKind}:</span> {link.otherLabel}
				</button>
				{link.experimentResult !== undefined && <ExperimentState result={link.experimentResult} />}
			</div>
			<div className="wb-link__controls">
				<select
					aria-label="Link type"
					data-testid="item-link-type"
					value={relation.explicit ? relation.type : ''}
					disabled={disabled}
					title={title}
					onChange={(e) => updateArrowMeta(editor, relation.id as TLShapeId, { [RelationMetaKey.relationType]: e.target.value || undefined })}
				>
					<option value="">automatic ({link.inferred})</option>
					{RELATION_TYPES.map((type) => (
						<option key={type} value={type}>{type}</option>
					))}
				</select>
				{relation.type === 'supports' && (
					<select
						aria-label="Weight"
						data-testid="item-link-weight"
						value={relation.weight ?? MIN_RELATION_WEIGHT}
						disabled={disabled}
						title={title ?? 'How strongly the insight supports it (1–3)'}
						onChange={(e) => updateArrowMeta(editor, relation.id as TLShapeId, { [RelationMetaKey.weight]: Number(e.target.value) })}
					>
						{Array.from({ length: MAX_RELATION_WEIGHT - MIN_RELATION_WEIGHT + 1 }, (_, i) => MIN_RELATION_WEIGHT + i).map((w) => (
							<option key={w} value={w}>weight {w}</option>
						))}
					</select>
				)}
			</div>
		</li>
	)
}

function ExperimentState({ result }: { result: ExperimentResult | null }) {
	return (
		<span className={`wb-experiment-state wb-experiment-state--${result ?? 'none'}`} data-testid="experiment-state">
			{result ? EXPERIMENT_RESULT_LABELS[result] : 'No result yet'}
		</span>
	)
}

function ExperimentEditor({ note, disabled, title }: { note: TLNoteShape; disabled: boolean; title: string | undefined }) {
	const editor = useEditor()
	const fields: ExperimentFields = parseItemMeta(note.meta).meta.experiment ?? { hypothesis: null, metric: null, threshold: null, result: null }
	const raw = (note.meta as Record<string, unknown>)[ItemMetaKey.experiment]
	const stored = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {}
	// Edits keep what the user typed (including spaces); readers trim.
	const text = (key: 'hypothesis' | 'metric' | 'threshold') => (typeof stored[key] === 'string' ? (stored[key] as string) : (fields[key] ?? ''))
	const set = (key: string, value: string | undefined) => {
		const next: Record<string, unknown> = { ...stored }
		if (value === undefined || value === '') delete next[key]
		else next[key] = value
		updateNoteMeta(editor, note.id, { [ItemMetaKey.experiment]: next })
	}
	return (
		<div className="wb-inspector__section" data-testid="experiment-editor">
			<div className="wb-inspector__label">Experiment <ExperimentState result={fields.result} /></div>
			<label className="wb-field wb-field--stacked">
				<span>Hypothesis</span>
				<textarea data-testid="experiment-hypothesis" rows={2} maxLength={MAX_EXPERIMENT_TEXT} value={text('hypothesis')} placeholder="We believe that …" disabled={disabled} title={title} onChange={(e) => set('hypothesis', e.target.value)} />
			</label>
			<label className="wb-field wb-field--stacked">
				<span>Metric</span>
				<input data-testid="experiment-metric" maxLength={MAX_EXPERIMENT_TEXT} value={text('metric')} placeholder="e.g. day-1 invites" disabled={disabled} title={title} onChange={(e) => set('metric', e.target.value)} />
			</label>
			<label className="wb-field wb-field--stacked">
				<span>Threshold</span>
				<input data-testid="experiment-threshold" maxLength={MAX_EXPERIMENT_TEXT} value={text('threshold')} placeholder="e.g. ≥ 30% of new teams" disabled={disabled} title={title} onChange={(e) => set('threshold', e.target.value)} />
			</label>
			<label className="wb-field">
				<span>Result</span>
				<select data-testid="experiment-result" value={fields.result ?? ''} disabled={disabled} title={title} onChange={(e) => set('result', e.target.value || undefined)}>
					<option value="">no result yet</option>
					{EXPERIMENT_RESULTS.map((result) => (
						<option key={result} value={result}>{EXPERIMENT_RESULT_LABELS[result]}</option>
					))}
				</select>
			</label>
			<p className="muted wb-inspector__small">Draw an arrow from this sticky to the idea or feature it tests.</p>
		</div>
	)
}

function MvpToggle({ note, disabled, title }: { note: TLNoteShape; disabled: boolean; title: string | undefined }) {
	const editor = useEditor()
	const marked = parseItemMeta(note.meta).meta.mvp
	const inScopeFrame = useValue(
		'in MVP scope frame',
		() => {
			// Only what decides it: the page's frames, the sticky and its ancestors (not every other sticky).
			const shapes = [...editor.getCurrentPageShapes().filter((s) => s.type === 'frame'), ...editor.getShapeAncestors(note.id), editor.getShape(note.id)]
			const records = new Map(shapes.filter((s) => s !== undefined).map((s) => [s.id as string, s as unknown as Record<string, unknown>]))
			return computeContainment(records).notes.find((n) => n.id === note.id)?.inMvpScope ?? false
		},
		[editor, note.id],
	)
	return (
		<div className="wb-inspector__section" data-testid="mvp-section">
			<label className="wb-field">
				<input type="checkbox" data-testid="mvp-toggle" checked={marked || inScopeFrame} disabled={disabled || inScopeFrame} title={inScopeFrame ? 'Inside the MVP scope frame: move it out to take it out of the MVP' : title} onChange={(e) => updateNoteMeta(editor, note.id, { [ItemMetaKey.mvp]: e.target.checked })} />
				<span>In the MVP{inScopeFrame ? ' (inside the MVP scope frame)' : ''}</span>
			</label>
		</div>
	)
}

/** Importance, experiment states, experiment fields, MVP mark and links of the inspected sticky. */
export function StageSections({ note }: { note: TLNoteShape }) {
	const editor = useEditor()
	const blockedReason = useEditBlockedReason()
	const disabled = blockedReason !== null
	const title = blockedReason ?? undefined
	const { kind } = parseItemMeta(note.meta).meta
	const links = useValue('item links', () => linksOf(editor, note.id), [editor, note.id])
	const importance = links.filter((l) => !l.outgoing && l.relation.type === 'supports').reduce((sum, l) => sum + (l.relation.weight ?? MIN_RELATION_WEIGHT), 0)
	const experiments = links.filter((l) => l.experimentResult !== undefined)
	return (
		<>
			{IMPORTANCE_KINDS.includes(kind) && (
				<div className="wb-inspector__section" data-testid="importance">
					<div className="wb-inspector__label">
						Importance <strong data-testid="importance-value">{importance}</strong>
						<span className="muted"> · sum of the weights of the insights that support it</span>
					</div>
					{experiments.length > 0 && (
						<div className="wb-experiment-states" data-testid="idea-experiments">
							Experiments: {experiments.map((l) => <ExperimentState key={l.relation.id} result={l.experimentResult ?? null} />)}
						</div>
					)}
				</div>
			)}
			{kind === 'experiment' && <ExperimentEditor note={note} disabled={disabled} title={title} />}
			{kind === 'kpi' && <KpiEditor note={note} disabled={disabled} title={title} />}
			{kind === 'feature' && <MvpToggle note={note} disabled={disabled} title={title} />}
			<LinkList links={links} disabled={disabled} title={title} empty="No links yet. Draw an arrow from this sticky to another one (or to a theme frame)." />
		</>
	)
}

function LinkList({ links, disabled, title, empty }: { links: ItemLink[]; disabled: boolean; title: string | undefined; empty: string }) {
	return (
		<div className="wb-inspector__section" data-testid="item-links">
			<div className="wb-inspector__label">Links</div>
			{links.length === 0 ? (
				<p className="muted wb-inspector__small">{empty}</p>
			) : (
				<ul className="wb-links">
					{links.map((link) => (
						<LinkRow key={link.relation.id} link={link} disabled={disabled} title={title} />
					))}
				</ul>
			)}
		</div>
	)
}

/**
 * A frame's part in the stages: one of the Vision prompts, the MVP scope, and
 * its links (a KPI that measures a theme).
 */
export function FrameStageSections({ frame }: { frame: TLFrameShape }) {
	const editor = useEditor()
	const blockedReason = useEditBlockedReason()
	const disabled = blockedReason !== null
	const title = blockedReason ?? undefined
	const { meta } = parseFrameMeta(frame.meta)
	const links = useValue('frame links', () => linksOf(editor, frame.id), [editor, frame.id])
	return (
		<>
			<div className="wb-inspector__section">
				<label className="wb-field wb-field--stacked">
					<span>Vision prompt</span>
					<select
						data-testid="vision-prompt-select"
						value={meta.visionPrompt ?? ''}
						disabled={disabled}
						title={title ?? 'Stickies inside answer this question of the vision (stage 2)'}
						onChange={(e) => updateNoteMeta(editor, frame.id, { [FrameMetaKey.visionPrompt]: e.target.value || null })}
					>
						<option value="">none</option>
						{VISION_PROMPT_KEYS.map((prompt) => (
							<option key={prompt} value={prompt}>{VISION_PROMPT_LABELS[prompt]}</option>
						))}
					</select>
				</label>
				<label className="wb-field">
					<input
						type="checkbox"
						data-testid="mvp-scope-toggle"
						checked={isMvpScopeFrame(meta)}
						disabled={disabled || (meta.stage === MVP_STAGE && !meta.mvpScope)}
						title={meta.stage === MVP_STAGE && !meta.mvpScope ? 'The MVP stage frame is always the MVP scope' : title}
						onChange={(e) => updateNoteMeta(editor, frame.id, { [FrameMetaKey.mvpScope]: e.target.checked ? true : null })}
					/>
					<span>MVP scope: features inside are in the MVP</span>
				</label>
			</div>
			<LinkList links={links} disabled={disabled} title={title} empty="No links. A KPI measures a theme: draw an arrow from the KPI to the frame." />
		</>
	)
}

/**
 * Importance of every idea and feature on the current page (sum of the
 * weights of the `supports` links ending on it), for the ranking panel.
 */
export function usePageImportance(): ReadonlyMap<string, number> {
	const editor = useEditor()
	return useValue(
		'page importance',
		() => {
			const records = new Map<string, Record<string, unknown>>()
			for (const shape of editor.getCurrentPageShapes()) {
				records.set(shape.id, shape as unknown as Record<string, unknown>)
				if (shape.type !== 'arrow') continue
				for (const binding of editor.getBindingsFromShape(shape.id, 'arrow')) records.set(binding.id, binding as unknown as Record<string, unknown>)
			}
			return computeImportance(readRelations(records).relations)
		},
		[editor],
	)
}
