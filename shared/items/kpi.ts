/**
 * KPIs (stage 7, measured): a sticky of kind `kpi` carries its metric, unit,
 * baseline, target and dated measurements in the note's `meta.kpi`, one JSON
 * value replaced as a whole (docs/protocol.md §6.5):
 *
 * `{ metric?, unit?, baseline?, target?, direction?, measurements?: [{ date: 'YYYY-MM-DD', value }] }`
 *
 * Meta arrives from any Yjs client: `readKpi` never throws, reports every
 * malformed field or measurement (path `kpi.<field>` / `kpi.measurements.<i>`)
 * and skips it. The trend, the "target met" status and a theme's progress are
 * all computed here from the valid series, so the canvas, the inspector and
 * the export agree.
 */
import { z } from 'zod'
import type { MetaIssue } from './itemMeta'

export const KPI_DIRECTIONS = ['increase', 'decrease'] as const
export const KpiDirectionSchema = z.enum(KPI_DIRECTIONS)
export type KpiDirection = z.infer<typeof KpiDirectionSchema>

export const MAX_KPI_TEXT = 200
/** A year of daily measurements and then some; older ones are for a spreadsheet. */
export const MAX_KPI_MEASUREMENTS = 500
/** Measurement values are plain finite numbers in a sane range (no 1e300 garbage). */
export const MAX_KPI_ABS_VALUE = 1e15

const KpiText = z.string().max(MAX_KPI_TEXT)
export const KpiValueSchema = z.number().finite().min(-MAX_KPI_ABS_VALUE).max(MAX_KPI_ABS_VALUE)
/** A calendar day, UTC: 'YYYY-MM-DD' (a real date: '2026-02-30' is refused). */
export const KpiDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/u).refine(isCalendarDate, 'not a calendar date')

export const KpiMeasurementSchema = z.object({ date: KpiDateSchema, value: KpiValueSchema })
export type KpiMeasurement = z.infer<typeof KpiMeasurementSchema>

/** `meta.kpi` as clients write it. */
export const KpiInputSchema = z.object({
	metric: KpiText.optional(),
	unit: KpiText.optional(),
	baseline: KpiValueSchema.optional(),
	target: KpiValueSchema.optional(),
	direction: KpiDirectionSchema.optional(),
	measurements: z.array(KpiMeasurementSchema).max(MAX_KPI_MEASUREMENTS).optional(),
})
export type KpiInput = z.infer<typeof KpiInputSchema>

/** A KPI's fields after tolerant reading: absent or invalid fields are null, measurements sorted by date. */
export interface KpiFields {
	metric: string | null
	unit: string | null
	baseline: number | null
	target: number | null
	/** As stored; null = inferred (see kpiDirection). */
	direction: KpiDirection | null
	/** Valid measurements, oldest first (same-day entries keep their stored order). */
	measurements: KpiMeasurement[]
}

export const EMPTY_KPI: KpiFields = { metric: null, unit: null, baseline: null, target: null, direction: null, measurements: [] }

export function isCalendarDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/u.test(value)) return false
	const ms = Date.parse(`${value}T00:00:00Z`)
	return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function own(obj: Record<string, unknown>, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined
}

export function isKpiValue(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_KPI_ABS_VALUE
}

/**
 * Reads `meta.kpi` without trusting it. Each invalid field is reported and
 * read as null; each malformed measurement is reported and skipped (the rest
 * of the series is kept); a series that is not an array is reported and read
 * as empty. Blank strings count as absent.
 */
export function readKpi(raw: unknown, issues: MetaIssue[] = []): KpiFields {
	const fields: KpiFields = { ...EMPTY_KPI, measurements: [] }
	if (raw === undefined || raw === null) return fields
	if (!isObject(raw)) {
		issues.push({ path: 'kpi', message: 'kpi is not an object' })
		return fields
	}
	for (const key of ['metric', 'unit'] as const) {
		const value = own(raw, key)
		if (value === undefined || value === null) continue
		if (typeof value === 'string' && value.length <= MAX_KPI_TEXT) {
			const trimmed = value.trim()
			if (trimmed) fields[key] = trimmed
		} else issues.push({ path: `kpi.${key}`, message: `${key} must be a string of at most ${MAX_KPI_TEXT} characters` })
	}
	for (const key of ['baseline', 'target'] as const) {
		const value = own(raw, key)
		if (value === undefined || value === null) continue
		if (isKpiValue(value)) fields[key] = value
		else issues.push({ path: `kpi.${key}`, message: `${key} must be a finite number` })
	}
	const direction = own(raw, 'direction')
	if (direction !== undefined && direction !== null) {
		if (direction === 'increase' || direction === 'decrease') fields.direction = direction
		else issues.push({ path: 'kpi.direction', message: `direction must be one of ${KPI_DIRECTIONS.join(', ')}` })
	}
	const series = own(raw, 'measurements')
	if (series !== undefined && series !== null) {
		if (!Array.isArray(series)) issues.push({ path: 'kpi.measurements', message: 'measurements is not an array' })
		else {
			series.forEach((entry: unknown, i) => {
				if (i >= MAX_KPI_MEASUREMENTS) {
					if (i === MAX_KPI_MEASUREMENTS) issues.push({ path: `kpi.measurements.${i}`, message: `more than ${MAX_KPI_MEASUREMENTS} measurements; the rest are skipped` })
					return
				}
				const date = isObject(entry) ? own(entry, 'date') : undefined
				const value = isObject(entry) ? own(entry, 'value') : undefined
				if (typeof date === 'string' && isCalendarDate(date) && isKpiValue(value)) fields.measurements.push({ date, value })
				else issues.push({ path: `kpi.measurements.${i}`, message: 'a measurement must be { date: "YYYY-MM-DD", value: finite number }' })
			})
			// Stable: two measurements of the same day keep their stored order (the later one is "latest").
			fields.measurements.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
		}
	}
	return fields
}

/** Higher is better unless stored otherwise, or the target is below the baseline. */
export function kpiDirection(fields: Pick<KpiFields, 'direction' | 'baseline' | 'target'>): KpiDirection {
	if (fields.direction) return fields.direction
	if (fields.baseline !== null && fields.target !== null && fields.target < fields.baseline) return 'decrease'
	return 'increase'
}

export type KpiTargetStatus = 'met' | 'not-met' | 'no-target' | 'no-data'

export interface KpiStatus {
	/** The most recent measurement, or null. */
	latest: KpiMeasurement | null
	/** met / not met (latest vs target, in the KPI's direction); no-target or no-data otherwise. */
	status: KpiTargetStatus
	/**
	 * Share of the way from baseline to target the latest value has come, 0–1
	 * (clamped; 1 = met). Null without a baseline, a target or a measurement,
	 * or when baseline = target.
	 */
	progress: number | null
}

export function kpiStatus(fields: KpiFields): KpiStatus {
	const latest = fields.measurements.at(-1) ?? null
	if (latest === null) return { latest, status: 'no-data', progress: null }
	if (fields.target === null) return { latest, status: 'no-target', progress: null }
	const up = kpiDirection(fields) === 'increase'
	const met = up ? latest.value >= fields.target : latest.value <= fields.target
	let progress: number | null = null
	if (fields.baseline !== null && fields.baseline !== fields.target) {
		const share = (latest.value - fields.baseline) / (fields.target - fields.baseline)
		progress = Math.min(1, Math.max(0, share))
	}
	if (met) progress = 1
	return { latest, status: met ? 'met' : 'not-met', progress }
}

export const KPI_STATUS_LABELS: Readonly<Record<KpiTargetStatus, string>> = {
	met: 'target met',
	'not-met': 'target not met',
	'no-target': 'no target',
	'no-data': 'no measurements',
}

/** A number as people read it on a sticky: up to 2 decimals, thousands grouped. */
export function formatKpiValue(value: number, unit?: string | null): string {
	const text = Math.abs(value) >= 1e6 ? value.toExponential(2) : (Math.round(value * 100) / 100).toLocaleString('en-US')
	return unit ? `${text} ${unit}` : text
}

export interface SparklinePoint {
	x: number
	y: number
}

/**
 * Points of a sparkline of the series in a w × h box (y down), spaced by
 * date; the target, when given, is kept inside the vertical range so its
 * line can be drawn. One measurement gives one point in the middle.
 */
export function sparklinePoints(fields: KpiFields, w: number, h: number): { points: SparklinePoint[]; targetY: number | null } {
	const series = fields.measurements
	if (series.length === 0) return { points: [], targetY: null }
	const values = series.map((m) => m.value)
	if (fields.target !== null) values.push(fields.target)
	const min = Math.min(...values)
	const max = Math.max(...values)
	const yOf = (v: number) => (max === min ? h / 2 : h - ((v - min) / (max - min)) * h)
	const t0 = Date.parse(`${series[0].date}T00:00:00Z`)
	const t1 = Date.parse(`${series[series.length - 1].date}T00:00:00Z`)
	const points = series.map((m, i) => {
		const t = Date.parse(`${m.date}T00:00:00Z`)
		// Same-day points are spread evenly so none hides another.
		const x = t1 === t0 ? (series.length === 1 ? w / 2 : (i / (series.length - 1)) * w) : ((t - t0) / (t1 - t0)) * w
		return { x: Math.round(x * 100) / 100, y: Math.round(yOf(m.value) * 100) / 100 }
	})
	return { points, targetY: fields.target !== null ? Math.round(yOf(fields.target) * 100) / 100 : null }
}

export interface KpiPreset {
	id: 'mrr' | 'sessionDuration' | 'sessionsPerUser' | 'nps'
	label: string
	metric: string
	unit: string
	direction: KpiDirection
}

/** The seed's metrics (issue #13 item 10): one click fills metric, unit and direction. */
export const KPI_PRESETS: readonly KpiPreset[] = [
	{ id: 'mrr', label: 'MRR', metric: 'Monthly recurring revenue', unit: '€', direction: 'increase' },
	{ id: 'sessionDuration', label: 'Session duration', metric: 'Average session duration', unit: 'min', direction: 'increase' },
	{ id: 'sessionsPerUser', label: 'Sessions per user', metric: 'Sessions per user per week', unit: 'sessions', direction: 'increase' },
	{ id: 'nps', label: 'NPS', metric: 'Net Promoter Score', unit: 'NPS', direction: 'increase' },
]

/** `meta.kpi` to write for fields (what the inspector and the import store): only the set fields. */
export function kpiToMeta(fields: KpiFields): KpiInput {
	const out: KpiInput = {}
	if (fields.metric) out.metric = fields.metric
	if (fields.unit) out.unit = fields.unit
	if (fields.baseline !== null) out.baseline = fields.baseline
	if (fields.target !== null) out.target = fields.target
	if (fields.direction) out.direction = fields.direction
	if (fields.measurements.length > 0) out.measurements = fields.measurements.map((m) => ({ date: m.date, value: m.value }))
	return out
}
