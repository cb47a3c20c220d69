/**
 * KPIs on the canvas and in the inspector (#13 item 5): a KPI sticky shows
 * whether its target is met (a badge in its top row) and a sparkline of its
 * measurements hanging below it (so it never covers the text); the inspector
 * edits metric, unit, baseline, target, direction and the dated series; a
 * theme frame shows the progress of the KPIs that measure it. Everything is
 * read with the shared reader (shared/items/kpi.ts), as the export does.
 */
import { useState } from 'react'
import { useEditor, useValue, type Editor, type TLNoteShape, type TLShapeId } from 'tldraw'
import {
	formatKpiValue,
	ItemMetaKey,
	KPI_PRESETS,
	KPI_STATUS_LABELS,
	kpiDirection,
	kpiStatus,
	kpiToMeta,
	MAX_KPI_MEASUREMENTS,
	MAX_KPI_TEXT,
	parseItemMeta,
	readKpi,
	readRelations,
	sparklinePoints,
	EMPTY_KPI,
	isCalendarDate,
	isKpiValue,
	type KpiFields,
	type KpiStatus,
} from '../../shared/items'
import { updateNoteMeta } from './itemLifecycle'
import { recordsAroundShape } from './relationsPanel'
import './kpiPanel.css'

/** The status badge's text: `✓ target met`, `✗ 62% to target`… */
export function kpiStatusText(fields: KpiFields, status: KpiStatus): string {
	if (status.status === 'met') return '✓ target met'
	if (status.status === 'not-met') return `✗ ${status.progress !== null ? `${Math.round(status.progress * 100)}% to target` : 'target not met'}`
	return fields.target === null && status.latest === null ? 'no target' : KPI_STATUS_LABELS[status.status]
}

/** The series as an SVG polyline, with a dashed target line; `data-points` lets tests read it. */
export function KpiSparkline({ fields, width, height, testId }: { fields: KpiFields; width: number; height: number; testId: string }) {
	const { points, targetY } = sparklinePoints(fields, width - 4, height - 4)
	if (points.length === 0) return null
	const status = kpiStatus(fields).status
	const stroke = status === 'met' ? '#2b8a3e' : status === 'not-met' ? '#c92a2a' : '#1d1d1f'
	const path = points.map((p) => `${p.x + 2},${p.y + 2}`).join(' ')
	const last = points[points.length - 1]
	return (
		<svg className="wb-kpi-spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} data-testid={testId} data-points={points.length} aria-label={`Trend of ${points.length} measurement${points.length === 1 ? '' : 's'}`}>
			{targetY !== null && <line x1={0} x2={width} y1={targetY + 2} y2={targetY + 2} stroke="#868e96" strokeDasharray="3 2" strokeWidth={1} />}
			{points.length > 1 && <polyline points={path} fill="none" stroke={stroke} strokeWidth={1.6} strokeLinejoin="round" />}
			<circle cx={last.x + 2} cy={last.y + 2} r={2.4} fill={stroke} />
		</svg>
	)
}

/** Top-row badge of a KPI sticky: target met / not met (with progress). */
export function KpiStatusBadge({ shape }: { shape: TLNoteShape }) {
	const { meta } = parseItemMeta(shape.meta)
	if (meta.kind !== 'kpi' || !meta.kpi) return null
	const status = kpiStatus(meta.kpi)
	if (status.status === 'no-data' && meta.kpi.target === null) return null
	return (
		<span className={`wb-kpi-status wb-kpi-status--${status.status}`} data-testid="note-kpi-status" data-status={status.status} title={status.latest ? `Latest ${formatKpiValue(status.latest.value, meta.kpi.unit)} on ${status.latest.date}` : 'No measurements yet'}>
			{kpiStatusText(meta.kpi, status)}
		</span>
	)
}

/** Below a KPI sticky: its trend and latest value. */
export function KpiTrendBelow({ shape }: { shape: TLNoteShape }) {
	const { meta } = parseItemMeta(shape.meta)
	if (meta.kind !== 'kpi' || !meta.kpi || meta.kpi.measurements.length === 0) return null
	const latest = meta.kpi.measurements[meta.kpi.measurements.length - 1]
	return (
		<div className="wb-kpi-below" data-testid="note-kpi-trend">
			<KpiSparkline fields={meta.kpi} width={96} height={24} testId="note-kpi-spark" />
			<span className="wb-kpi-below__latest">{formatKpiValue(latest.value, meta.kpi.unit)}</span>
		</div>
	)
}

function todayUtc(): string {
	return new Date().toISOString().slice(0, 10)
}

/** The KPI part of a KPI sticky's inspector. */
export function KpiEditor({ note, disabled, title }: { note: TLNoteShape; disabled: boolean; title: string | undefined }) {
	const editor = useEditor()
	const fields = parseItemMeta(note.meta).meta.kpi ?? EMPTY_KPI
	const raw = (note.meta as Record<string, unknown>)[ItemMetaKey.kpi]
	const stored = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {}
	const [date, setDate] = useState(todayUtc)
	const [value, setValue] = useState('')
	const [error, setError] = useState<string | null>(null)
	const status = kpiStatus(fields)
	// Text edits keep what the user typed (spaces too); readers trim. Measurements are written back normalised.
	const write = (patch: Record<string, unknown>) => {
		const next: Record<string, unknown> = { ...stored, measurements: kpiToMeta(fields).measurements ?? [], ...patch }
		for (const [key, v] of Object.entries(next)) if (v === undefined || v === '' || v === null) delete next[key]
		updateNoteMeta(editor, note.id, { [ItemMetaKey.kpi]: next })
	}
	const text = (key: 'metric' | 'unit') => (typeof stored[key] === 'string' ? (stored[key] as string) : (fields[key] ?? ''))
	const numberInput = (key: 'baseline' | 'target', label: string) => (
		<label className="wb-field">
			<span>{label}</span>
			<input
				type="number"
				step="any"
				data-testid={`kpi-${key}`}
				value={fields[key] ?? ''}
				placeholder="—"
				disabled={disabled}
				title={title}
				onChange={(e) => {
					const parsed = e.target.value.trim() === '' ? undefined : Number(e.target.value)
					if (parsed === undefined || isKpiValue(parsed)) write({ [key]: parsed })
				}}
			/>
		</label>
	)
	const addMeasurement = () => {
		const parsed = Number(value)
		if (!isCalendarDate(date)) return setError('Pick a date.')
		if (value.trim() === '' || !isKpiValue(parsed)) return setError('Enter a number.')
		if (fields.measurements.length >= MAX_KPI_MEASUREMENTS) return setError(`At most ${MAX_KPI_MEASUREMENTS} measurements.`)
		setError(null)
		setValue('')
		write({ measurements: [...fields.measurements, { date, value: parsed }].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)) })
	}
	const removeMeasurement = (index: number) => write({ measurements: fields.measurements.filter((_, i) => i !== index) })
	const newestFirst = fields.measurements.map((m, index) => ({ ...m, index })).reverse()
	return (
		<div className="wb-inspector__section" data-testid="kpi-editor">
			<div className="wb-inspector__label">
				KPI{' '}
				<span className={`wb-kpi-status wb-kpi-status--${status.status}`} data-testid="kpi-status">
					{kpiStatusText(fields, status)}
				</span>
			</div>
			<div className="wb-kpi-presets" role="group" aria-label="KPI presets">
				{KPI_PRESETS.map((preset) => (
					<button key={preset.id} type="button" className="button" data-testid={`kpi-preset-${preset.id}`} disabled={disabled} title={title ?? `${preset.metric} (${preset.unit})`} onClick={() => write({ metric: preset.metric, unit: preset.unit, direction: preset.direction })}>
						{preset.label}
					</button>
				))}
			</div>
			<label className="wb-field wb-field--stacked">
				<span>Metric</span>
				<input data-testid="kpi-metric" maxLength={MAX_KPI_TEXT} value={text('metric')} placeholder="e.g. weekly active teams" disabled={disabled} title={title} onChange={(e) => write({ metric: e.target.value })} />
			</label>
			<label className="wb-field">
				<span>Unit</span>
				<input data-testid="kpi-unit" maxLength={MAX_KPI_TEXT} value={text('unit')} placeholder="e.g. €, min, %" disabled={disabled} title={title} onChange={(e) => write({ unit: e.target.value })} />
			</label>
			{numberInput('baseline', 'Baseline')}
			{numberInput('target', 'Target')}
			<label className="wb-field">
				<span>Better when</span>
				<select data-testid="kpi-direction" value={fields.direction ?? ''} disabled={disabled} title={title} onChange={(e) => write({ direction: e.target.value || undefined })}>
					<option value="">automatic ({kpiDirection({ ...fields, direction: null }) === 'increase' ? 'higher' : 'lower'})</option>
					<option value="increase">higher</option>
					<option value="decrease">lower</option>
				</select>
			</label>
			<div className="wb-kpi-chart">
				<KpiSparkline fields={fields} width={220} height={48} testId="kpi-editor-spark" />
			</div>
			<form
				className="wb-inline-form wb-kpi-add"
				onSubmit={(e) => {
					e.preventDefault()
					addMeasurement()
				}}
			>
				<input type="date" aria-label="Measurement date" data-testid="kpi-add-date" value={date} disabled={disabled} onChange={(e) => setDate(e.target.value)} />
				<input type="number" step="any" inputMode="decimal" aria-label="Measured value" data-testid="kpi-add-value" placeholder="value" value={value} disabled={disabled} onChange={(e) => setValue(e.target.value)} />
				<button type="submit" className="button" data-testid="kpi-add" disabled={disabled} title={title}>
					Add
				</button>
			</form>
			{error && (
				<p className="wb-missing wb-inspector__small" role="alert" data-testid="kpi-add-error">
					{error}
				</p>
			)}
			{newestFirst.length === 0 ? (
				<p className="muted wb-inspector__small">No measurements yet. Add the first one above; a sparkline appears under the sticky.</p>
			) : (
				<ul className="wb-kpi-series" data-testid="kpi-series">
					{newestFirst.map((m) => (
						<li key={`${m.index}-${m.date}`} data-testid="kpi-measurement">
							<span>{m.date}</span>
							<strong>{formatKpiValue(m.value, fields.unit)}</strong>
							<button type="button" aria-label={`Remove the measurement of ${m.date}`} data-testid="kpi-remove" disabled={disabled} title={title} onClick={() => removeMeasurement(m.index)}>
								×
							</button>
						</li>
					))}
				</ul>
			)}
			<p className="muted wb-inspector__small">Draw an arrow from this sticky to the theme frame (or feature) it measures.</p>
		</div>
	)
}

export interface MeasuredProgress {
	kpis: number
	met: number
	/** Mean progress of the KPIs that have one (0–1), or null. */
	progress: number | null
}

/** The KPIs that measure a shape (arrows bound to it whose relation is `measures`) and their combined progress. */
export function measuredProgress(editor: Editor, shapeId: TLShapeId): MeasuredProgress | null {
	const records = recordsAroundShape(editor, shapeId)
	const kpis = readRelations(records)
		.relations.filter((r) => r.type === 'measures' && r.to === shapeId)
		.map((r) => records.get(r.from))
		.filter((record): record is Record<string, unknown> => record !== undefined && record.type === 'note')
	if (kpis.length === 0) return null
	let met = 0
	const shares: number[] = []
	for (const record of kpis) {
		const status = kpiStatus(readKpi((record.meta as Record<string, unknown> | undefined)?.[ItemMetaKey.kpi]))
		if (status.status === 'met') met++
		if (status.progress !== null) shares.push(status.progress)
	}
	return { kpis: kpis.length, met, progress: shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : null }
}

export function measuredProgressText(p: MeasuredProgress): string {
	const share = p.progress !== null ? ` · ${Math.round(p.progress * 100)}%` : ''
	return `KPIs ${p.met}/${p.kpis} met${share}`
}

/** Badge on a theme frame: how far the KPIs that measure it have come. */
export function ThemeProgressBadge({ frameId }: { frameId: TLShapeId }) {
	const editor = useEditor()
	const progress = useValue('theme KPI progress', () => measuredProgress(editor, frameId), [editor, frameId])
	if (!progress) return null
	return (
		<span className="wb-frame-overlay__progress" data-testid="theme-progress" data-progress={progress.progress ?? ''}>
			<span className="wb-frame-overlay__bar" aria-hidden="true">
				<span style={{ width: `${Math.round((progress.progress ?? 0) * 100)}%` }} />
			</span>
			{measuredProgressText(progress)}
		</span>
	)
}
