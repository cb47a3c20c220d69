/**
 * RICE prioritisation: score = Reach × Impact × (Confidence / 100) / Effort.
 *
 * Stored in a note's `meta.rice` as `{ reach?, impact?, confidence?, effort? }`;
 * every field is optional because people fill them in one at a time. A score
 * is only computed when all four are present and valid: a missing or invalid
 * field makes the result `incomplete` (listing what is missing), never 0, so a
 * half-estimated idea does not sink to the bottom of the ranking as if it were
 * worthless.
 */
import { z } from 'zod'

/** Impact scale (Intercom's RICE): massive 3, high 2, medium 1, low 0.5, minimal 0.25. */
export const IMPACT_VALUES = [0.25, 0.5, 1, 2, 3] as const
export type Impact = (typeof IMPACT_VALUES)[number]
export const IMPACT_LABELS: Readonly<Record<Impact, string>> = {
	0.25: 'minimal',
	0.5: 'low',
	1: 'medium',
	2: 'high',
	3: 'massive',
}

export const RICE_FIELDS = ['reach', 'impact', 'confidence', 'effort'] as const
export type RiceField = (typeof RICE_FIELDS)[number]

/** People (or events) reached per period; the period is the board's convention (e.g. per quarter). */
export const ReachSchema = z.number().min(0).finite().describe('people or events per period, >= 0')
export const ImpactSchema = z
	.union([z.literal(0.25), z.literal(0.5), z.literal(1), z.literal(2), z.literal(3)])
	.describe('0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive')
/** Confidence in the estimates, in percent. */
export const ConfidenceSchema = z.number().min(0).max(100).describe('percent, 0-100')
/** Person-months of work; must be positive (it is the divisor). */
export const EffortSchema = z.number().gt(0).finite().describe('person-months, > 0')

/** `meta.rice` of a note. Missing fields are allowed. */
export const RiceInputSchema = z.object({
	reach: ReachSchema.optional(),
	impact: ImpactSchema.optional(),
	confidence: ConfidenceSchema.optional(),
	effort: EffortSchema.optional(),
})
export type RiceInput = z.infer<typeof RiceInputSchema>

/**
 * Plain predicates equivalent to the field schemas above, used on the hot
 * path (exporting 10,000 items); a unit test checks they agree with zod.
 */
export const RICE_FIELD_CHECKS: Readonly<Record<RiceField, (value: unknown) => value is number>> = {
	reach: (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0,
	impact: (v): v is number => typeof v === 'number' && (IMPACT_VALUES as readonly number[]).includes(v),
	confidence: (v): v is number => typeof v === 'number' && v >= 0 && v <= 100,
	effort: (v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0,
}

export type RiceResult =
	| {
			status: 'complete'
			reach: number
			impact: Impact
			confidence: number
			effort: number
			score: number
	  }
	| {
			status: 'incomplete'
			/** Fields that are absent or invalid, in RICE order. */
			missing: RiceField[]
			/** The subset of `missing` that was present but invalid (e.g. impact 0.7, effort 0). */
			invalid: RiceField[]
			/** The valid fields that were present. */
			values: RiceInput
	  }

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Valid fields of an untrusted `meta.rice` value; invalid ones are dropped and reported. */
export function readRiceInput(raw: unknown): { values: RiceInput; invalid: RiceField[] } {
	const values: RiceInput = {}
	const invalid: RiceField[] = []
	if (!isObject(raw)) return { values, invalid: raw === undefined || raw === null ? [] : [...RICE_FIELDS] }
	for (const field of RICE_FIELDS) {
		const value = raw[field]
		if (value === undefined || value === null) continue
		if (RICE_FIELD_CHECKS[field](value)) (values as Record<RiceField, number>)[field] = value
		else invalid.push(field)
	}
	return { values, invalid }
}

/** Scores an untrusted `meta.rice` value. Never throws; never returns 0 for missing data. */
export function computeRice(raw: unknown): RiceResult {
	const { values, invalid } = readRiceInput(raw)
	const { reach, impact, confidence, effort } = values
	if (reach === undefined || impact === undefined || confidence === undefined || effort === undefined) {
		const missing = RICE_FIELDS.filter((field) => values[field] === undefined)
		return { status: 'incomplete', missing, invalid, values }
	}
	const score = (reach * impact * (confidence / 100)) / effort
	return { status: 'complete', reach, impact, confidence, effort, score }
}

/** Score for display: up to one decimal below 100, whole numbers above. */
export function formatRiceScore(score: number): string {
	if (!Number.isFinite(score)) return '–'
	if (Math.abs(score) >= 100) return String(Math.round(score))
	return String(Math.round(score * 10) / 10)
}

export interface RankedByRice<T> {
	item: T
	rice: RiceResult
	/** 1-based rank among complete items; null for incomplete ones. */
	rank: number | null
}

/**
 * Ranks items for the RICE panel: complete ones first by score (highest
 * first), then incomplete ones. Ties keep input order (stable), so pass items
 * in a meaningful order (e.g. reading order).
 */
export function rankByRice<T>(items: readonly T[], riceOf: (item: T) => RiceResult): RankedByRice<T>[] {
	const complete: { item: T; rice: RiceResult & { status: 'complete' }; order: number }[] = []
	const incomplete: RankedByRice<T>[] = []
	items.forEach((item, order) => {
		const rice = riceOf(item)
		if (rice.status === 'complete') complete.push({ item, rice, order })
		else incomplete.push({ item, rice, rank: null })
	})
	complete.sort((a, b) => b.rice.score - a.rice.score || a.order - b.order)
	return [...complete.map(({ item, rice }, i) => ({ item, rice, rank: i + 1 })), ...incomplete]
}
