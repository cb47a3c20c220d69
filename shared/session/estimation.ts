/**
 * RICE estimation poker (#13 item 7, stage 5), the protocol part: the
 * facilitator starts a round on selected features; each participant
 * estimates reach, impact, confidence and effort privately; the server hides
 * every estimate until the reveal (as it hides dot counts), then publishes
 * each field's spread (min, median, max; outliers by name in a named round);
 * the facilitator accepts the median or another value as the item's RICE.
 * docs/sessions.md §10.
 */
import { z } from 'zod'
import { ConfidenceSchema, EffortSchema, IMPACT_VALUES, ImpactSchema, ReachSchema } from '../items/rice'

export const MAX_ESTIMATION_ITEMS = 20
/** Rounds kept per board (open + revealed); one open at a time, like votes. */
export const MAX_ESTIMATION_ROUNDS_PER_BOARD = 100

const ShapeId = z.string().regex(/^shape:[^\s]{1,120}$/, 'expected a shape id (shape:…)')
const RoundId = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/)

/** One person's estimate of one item: any subset of the four fields (validated as RICE inputs). */
export const EstimateSchema = z
	.object({ reach: ReachSchema.optional(), impact: ImpactSchema.optional(), confidence: ConfidenceSchema.optional(), effort: EffortSchema.optional() })
	.strict()
export type Estimate = z.infer<typeof EstimateSchema>

/** A complete RICE estimate: what the facilitator accepts. */
export const AcceptedRiceSchema = z.object({ reach: ReachSchema, impact: ImpactSchema, confidence: ConfidenceSchema, effort: EffortSchema }).strict()
export type AcceptedRice = z.infer<typeof AcceptedRiceSchema>

export const EstimationConfigSchema = z
	.object({
		title: z.string().trim().min(1, 'title must not be empty').max(200),
		itemIds: z
			.array(ShapeId)
			.min(1, 'select at least one feature')
			.max(MAX_ESTIMATION_ITEMS)
			.refine((ids) => new Set(ids).size === ids.length, 'items must be distinct'),
		/** No one learns who estimated what, even after the reveal: only aggregates. */
		anonymous: z.boolean(),
	})
	.strict()
export type EstimationConfig = z.infer<typeof EstimationConfigSchema>

export const OutlierSchema = z.object({ name: z.string(), value: z.number() })

export const FieldSpreadSchema = z.object({
	count: z.number().int().min(1),
	min: z.number(),
	median: z.number(),
	max: z.number(),
	/** Named rounds: who is far from the others (see spreadOf). Always null for anonymous rounds. */
	outliers: z.array(OutlierSchema).nullable(),
})
export type FieldSpread = z.infer<typeof FieldSpreadSchema>

export const EstimationItemResultSchema = z.object({
	itemId: ShapeId,
	/** People who estimated at least one field of this item. */
	estimators: z.number().int().min(0),
	reach: FieldSpreadSchema.nullable(),
	impact: FieldSpreadSchema.nullable(),
	confidence: FieldSpreadSchema.nullable(),
	effort: FieldSpreadSchema.nullable(),
	/** What the facilitator accepted as the item's RICE, or null. */
	accepted: AcceptedRiceSchema.nullable(),
})
export type EstimationItemResult = z.infer<typeof EstimationItemResultSchema>

export const EstimationRoundPublicSchema = z.object({
	id: RoundId,
	title: z.string(),
	status: z.enum(['open', 'revealed']),
	anonymous: z.boolean(),
	itemIds: z.array(ShapeId),
	createdAt: z.number(),
	revealedAt: z.number().nullable(),
	/** People who estimated at least one field so far (open) or in all (revealed). */
	estimators: z.number().int().min(0),
	/** Named open rounds: person keys of those who estimated (never what). Null otherwise. */
	estimatedPersonKeys: z.array(z.string()).nullable(),
	/** Null while open: nobody, facilitator included, sees an estimate before the reveal. */
	results: z.array(EstimationItemResultSchema).nullable(),
})
export type EstimationRoundPublic = z.infer<typeof EstimationRoundPublicSchema>

/** The caller's own estimates in one round (answer to estimate.set / estimate.get; only ever sent to them). */
export const MyEstimatesSchema = z.object({ roundId: RoundId, estimates: z.record(ShapeId, EstimateSchema) })
export type MyEstimates = z.infer<typeof MyEstimatesSchema>

/** Modified z-score above which an estimate is an outlier. */
export const OUTLIER_Z = 3.5

function medianOf(sorted: readonly number[]): number {
	const mid = Math.floor(sorted.length / 2)
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * min, median, max of one field's estimates and, when `named`, the outliers:
 * with three or more estimates, a value whose modified z-score
 * 0.6745 · |value − median| / MAD exceeds 3.5 (Iglewicz & Hoaglin; MAD =
 * median absolute deviation); when most agree exactly (MAD 0), every value
 * that differs from the median. Robust for the handful of estimates a round
 * has, where a standard deviation is pulled by the very outlier it should find.
 */
export function spreadOf(entries: readonly { name: string; value: number }[], named: boolean): FieldSpread | null {
	if (entries.length === 0) return null
	const values = entries.map((e) => e.value).sort((a, b) => a - b)
	const median = medianOf(values)
	let outliers: FieldSpread['outliers'] = named ? [] : null
	if (named && entries.length >= 3) {
		const mad = medianOf(values.map((v) => Math.abs(v - median)).sort((a, b) => a - b))
		outliers = entries
			.filter((e) => (mad === 0 ? e.value !== median : (0.6745 * Math.abs(e.value - median)) / mad > OUTLIER_Z))
			.map((e) => ({ name: e.name, value: e.value }))
			.sort((a, b) => a.name.localeCompare(b.name))
	}
	return { count: entries.length, min: values[0], median, max: values[values.length - 1], outliers }
}

/** The RICE a facilitator accepts "as the median": impact snaps to the nearest allowed value, the others are rounded sensibly. */
export function medianRice(result: EstimationItemResult): AcceptedRice | null {
	if (!result.reach || !result.impact || !result.confidence || !result.effort) return null
	const target = result.impact.median
	const impact = IMPACT_VALUES.reduce<(typeof IMPACT_VALUES)[number]>((best, v) => (Math.abs(v - target) < Math.abs(best - target) ? v : best), IMPACT_VALUES[0])
	const effort = Math.max(0.1, Math.round(result.effort.median * 10) / 10)
	return { reach: Math.round(result.reach.median), impact, confidence: Math.min(100, Math.round(result.confidence.median)), effort }
}
