/**
 * Structural meaning of tldraw `frame` shapes, stored in the frame's `meta`
 * (a nested Y.Map, one key per field, like a note's item meta):
 *
 * | key         | value                                                        |
 * |-------------|--------------------------------------------------------------|
 * | theme       | { title, description, goal: { metric, target, northStar } } — the frame is a roadmap theme; notes inside it belong to it |
 * | lane        | 'now' | 'next' | 'later' — a roadmap lane; theme frames inside it get that horizon |
 * | stage       | 1..7 — a stage frame of the product discovery template      |
 * | defaultKind | ItemKind new stickies created inside the frame get          |
 * | matrix      | { xAxis: 'effort' | 'feasibility', yAxis: 'value' } — a 2×2 matrix; an item's quadrant follows from its centre |
 * | visionPrompt | 'opportunity' | 'willingnessToPay' | 'existingSolutions' | 'successMeasure' — one of the Vision frame's four prompts; stickies inside answer it |
 * | mvpScope    | true — the MVP scope frame; features inside are in the MVP (a `stage: 6` frame counts too) |
 *
 * A frame may carry several keys (a stage frame with a defaultKind, a lane
 * frame that is also a stage). Reading is tolerant like parseItemMeta.
 */
import { z } from 'zod'
import { ItemKindSchema, type ItemKind } from './kinds'
import type { MetaIssue } from './itemMeta'

export const FrameMetaKey = {
	theme: 'theme',
	lane: 'lane',
	stage: 'stage',
	defaultKind: 'defaultKind',
	matrix: 'matrix',
	visionPrompt: 'visionPrompt',
	mvpScope: 'mvpScope',
} as const

/** The four questions of stage 2 (Vision), in the template's reading order. */
export const VISION_PROMPT_KEYS = ['opportunity', 'willingnessToPay', 'existingSolutions', 'successMeasure'] as const
export const VisionPromptSchema = z.enum(VISION_PROMPT_KEYS)
export type VisionPrompt = z.infer<typeof VisionPromptSchema>
export const VISION_PROMPT_LABELS: Readonly<Record<VisionPrompt, string>> = {
	opportunity: 'How big is the opportunity?',
	willingnessToPay: 'Will people pay for it?',
	existingSolutions: 'Do solutions exist, and do they work?',
	successMeasure: 'How will we measure success?',
}

/** The discovery template's MVP stage: a frame with this `stage` is an MVP scope frame even without `mvpScope`. */
export const MVP_STAGE = 6

/** A measurable goal of a theme, e.g. metric "weekly active teams", target "+20% by Q3". */
export const ThemeGoalSchema = z.object({
	metric: z.string().max(200),
	target: z.string().max(200),
	/** Marks the board's North Star metric. */
	northStar: z.boolean(),
})
export type ThemeGoal = z.infer<typeof ThemeGoalSchema>

export const ThemeMetaSchema = z.object({
	title: z.string().max(200),
	description: z.string().max(4000),
	goal: ThemeGoalSchema,
})
export type ThemeMeta = z.infer<typeof ThemeMetaSchema>

export const LANES = ['now', 'next', 'later'] as const
export const LaneSchema = z.enum(LANES)
export type Lane = z.infer<typeof LaneSchema>
export const LANE_LABELS: Readonly<Record<Lane, string>> = { now: 'Now', next: 'Next', later: 'Later' }

export const StageSchema = z.number().int().min(1).max(7)

/**
 * A value × effort (or value × feasibility) matrix frame. Value grows upwards
 * (page y decreases); effort or feasibility grows to the right.
 */
export const MatrixMetaSchema = z.object({
	xAxis: z.enum(['effort', 'feasibility']),
	yAxis: z.literal('value'),
})
export type MatrixMeta = z.infer<typeof MatrixMetaSchema>

/**
 * Quadrants of the matrix:
 * - quick-win: high value, low effort (high feasibility) — do first
 * - big-bet: high value, high effort (low feasibility) — plan carefully
 * - fill-in: low value, low effort — do when idle
 * - money-pit: low value, high effort — avoid
 */
export const QUADRANTS = ['quick-win', 'big-bet', 'fill-in', 'money-pit'] as const
export const QuadrantSchema = z.enum(QUADRANTS)
export type Quadrant = z.infer<typeof QuadrantSchema>

export interface FrameMeta {
	theme: ThemeMeta | null
	lane: Lane | null
	stage: number | null
	defaultKind: ItemKind | null
	matrix: MatrixMeta | null
	visionPrompt: VisionPrompt | null
	/** `meta.mvpScope === true`; see isMvpScopeFrame for the rule that also counts stage 6. */
	mvpScope: boolean
}

/** Features inside such a frame are in the MVP (docs/protocol.md §6.4). */
export function isMvpScopeFrame(meta: FrameMeta): boolean {
	return meta.mvpScope || meta.stage === MVP_STAGE
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function own(obj: Record<string, unknown>, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined
}

function str(value: unknown, max: number): string {
	return typeof value === 'string' ? value.slice(0, max) : ''
}

/**
 * Reads a theme from untrusted meta. Any object counts as a theme (a frame a
 * user marked as theme but has not filled in yet); missing or invalid fields
 * become '' / false and are reported.
 */
export function readThemeMeta(raw: unknown, issues: MetaIssue[] = []): ThemeMeta | null {
	if (raw === undefined || raw === null) return null
	if (!isObject(raw)) {
		issues.push({ path: 'theme', message: 'theme is not an object' })
		return null
	}
	const goal = own(raw, 'goal')
	const goalObj = isObject(goal) ? goal : {}
	if (goal !== undefined && !isObject(goal)) issues.push({ path: 'theme.goal', message: 'goal is not an object' })
	const theme: ThemeMeta = {
		title: str(own(raw, 'title'), 200),
		description: str(own(raw, 'description'), 4000),
		goal: {
			metric: str(own(goalObj, 'metric'), 200),
			target: str(own(goalObj, 'target'), 200),
			northStar: own(goalObj, 'northStar') === true,
		},
	}
	for (const [path, value] of [
		['theme.title', own(raw, 'title')],
		['theme.description', own(raw, 'description')],
		['theme.goal.metric', own(goalObj, 'metric')],
		['theme.goal.target', own(goalObj, 'target')],
	] as const) {
		if (value !== undefined && typeof value !== 'string') issues.push({ path, message: 'not a string' })
	}
	const northStar = own(goalObj, 'northStar')
	if (northStar !== undefined && typeof northStar !== 'boolean') {
		issues.push({ path: 'theme.goal.northStar', message: 'not a boolean' })
	}
	return theme
}

/** Reads a frame's meta without trusting it. */
export function parseFrameMeta(raw: unknown): { meta: FrameMeta; issues: MetaIssue[] } {
	const issues: MetaIssue[] = []
	const meta: FrameMeta = { theme: null, lane: null, stage: null, defaultKind: null, matrix: null, visionPrompt: null, mvpScope: false }
	if (raw === undefined || raw === null) return { meta, issues }
	if (!isObject(raw)) {
		issues.push({ path: '', message: 'meta is not an object' })
		return { meta, issues }
	}
	meta.theme = readThemeMeta(own(raw, FrameMetaKey.theme), issues)
	const simple = [
		[FrameMetaKey.lane, LaneSchema],
		[FrameMetaKey.stage, StageSchema],
		[FrameMetaKey.defaultKind, ItemKindSchema],
		[FrameMetaKey.matrix, MatrixMetaSchema],
		[FrameMetaKey.visionPrompt, VisionPromptSchema],
		[FrameMetaKey.mvpScope, z.boolean()],
	] as const
	for (const [key, schema] of simple) {
		const value = own(raw, key)
		if (value === undefined || value === null) continue
		const parsed = schema.safeParse(value)
		if (parsed.success) (meta as unknown as Record<string, unknown>)[key] = parsed.data
		else issues.push({ path: key, message: `invalid ${key}` })
	}
	return { meta, issues }
}
