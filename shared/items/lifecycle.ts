/**
 * An item's lifecycle and its cost of delay (issue #13 item 10), kept apart
 * from itemMeta.ts so the two grow independently. Three keys of a note's
 * `meta` (nested Y.Map, one JSON value each, replaced as a whole —
 * docs/protocol.md §6.2):
 *
 * | key          | value |
 * |--------------|-------|
 * | status       | 'new' \| 'evaluating' \| 'accepted' \| 'parked' \| 'discarded' (absent = 'new') |
 * | statusReason | string ≤ 500 — why it was parked or discarded (or accepted) |
 * | cd3          | { costOfDelay?, duration? } — positive numbers: value lost per week of delay, weeks of work |
 *
 * CD3 = cost of delay ÷ duration (Reinertsen's "CD3"), the second scoring
 * model beside RICE: the ranking sorts by either. Meta arrives from any Yjs
 * client: invalid values are reported and read as absent, never trusted.
 */
import { z } from 'zod'
import type { MetaIssue } from './itemMeta'

export const ITEM_STATUSES = ['new', 'evaluating', 'accepted', 'parked', 'discarded'] as const
export const ItemStatusSchema = z.enum(ITEM_STATUSES)
export type ItemStatus = z.infer<typeof ItemStatusSchema>
export const DEFAULT_ITEM_STATUS: ItemStatus = 'new'

export const ITEM_STATUS_LABELS: Readonly<Record<ItemStatus, string>> = {
	new: 'New',
	evaluating: 'Evaluating',
	accepted: 'Accepted',
	parked: 'Parked',
	discarded: 'Discarded',
}

/** Statuses that ask for a reason in the inspector (any status may carry one). */
export const STATUSES_WITH_REASON: readonly ItemStatus[] = ['parked', 'discarded']

export const MAX_STATUS_REASON = 500

/** Keys of a note's `meta` for the lifecycle and CD3. */
export const LifecycleMetaKey = {
	status: 'status',
	statusReason: 'statusReason',
	cd3: 'cd3',
} as const

/** Upper bounds keep garbage (1e308) out; far above real estimates. */
export const MAX_COST_OF_DELAY = 1e12
export const MAX_DURATION = 1e6
export const CostOfDelaySchema = z.number().positive().max(MAX_COST_OF_DELAY)
export const DurationSchema = z.number().positive().max(MAX_DURATION)
export const Cd3InputSchema = z.object({ costOfDelay: CostOfDelaySchema.optional(), duration: DurationSchema.optional() })
export type Cd3Input = z.infer<typeof Cd3InputSchema>

export type Cd3Result =
	| { status: 'complete'; costOfDelay: number; duration: number; score: number }
	| { status: 'incomplete'; costOfDelay: number | null; duration: number | null; score: null }

export function computeCd3(input: Cd3Input): Cd3Result {
	const { costOfDelay, duration } = input
	if (costOfDelay !== undefined && duration !== undefined) return { status: 'complete', costOfDelay, duration, score: costOfDelay / duration }
	return { status: 'incomplete', costOfDelay: costOfDelay ?? null, duration: duration ?? null, score: null }
}

export interface Lifecycle {
	status: ItemStatus
	statusReason: string | null
	cd3: Cd3Input
}

const own = (raw: Record<string, unknown>, key: string) => (Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined)

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Reads the lifecycle keys of a note's meta; each invalid value is reported and read as absent. */
export function readLifecycle(meta: unknown, issues: MetaIssue[] = []): Lifecycle {
	const out: Lifecycle = { status: DEFAULT_ITEM_STATUS, statusReason: null, cd3: {} }
	if (!isObject(meta)) return out
	const status = own(meta, LifecycleMetaKey.status)
	if (status !== undefined && status !== null) {
		const parsed = ItemStatusSchema.safeParse(status)
		if (parsed.success) out.status = parsed.data
		else issues.push({ path: 'status', message: `status must be one of ${ITEM_STATUSES.join(', ')}` })
	}
	const reason = own(meta, LifecycleMetaKey.statusReason)
	if (reason !== undefined && reason !== null) {
		if (typeof reason === 'string' && reason.length <= MAX_STATUS_REASON) out.statusReason = reason.trim() || null
		else issues.push({ path: 'statusReason', message: `reason must be text of at most ${MAX_STATUS_REASON} characters` })
	}
	const cd3 = own(meta, LifecycleMetaKey.cd3)
	if (cd3 !== undefined && cd3 !== null) {
		if (!isObject(cd3)) issues.push({ path: 'cd3', message: 'cd3 is not an object' })
		else {
			const costOfDelay = CostOfDelaySchema.safeParse(own(cd3, 'costOfDelay'))
			if (costOfDelay.success) out.cd3.costOfDelay = costOfDelay.data
			else if (own(cd3, 'costOfDelay') !== undefined) issues.push({ path: 'cd3.costOfDelay', message: `cost of delay must be a number above 0, at most ${MAX_COST_OF_DELAY}` })
			const duration = DurationSchema.safeParse(own(cd3, 'duration'))
			if (duration.success) out.cd3.duration = duration.data
			else if (own(cd3, 'duration') !== undefined) issues.push({ path: 'cd3.duration', message: `duration must be a number above 0, at most ${MAX_DURATION}` })
		}
	}
	return out
}

/** Finds a status by its id, label or a prefix ("eval", "park"); null when none fits. */
export function statusForWord(word: string): ItemStatus | null {
	const needle = word.toLowerCase()
	if (!needle) return null
	return ITEM_STATUSES.find((s) => s === needle) ?? ITEM_STATUSES.find((s) => s.startsWith(needle)) ?? null
}

/** CD3 shown to a person: one decimal below 100, whole numbers above. */
export function formatCd3Score(score: number): string {
	if (!Number.isFinite(score)) return '–'
	return Math.abs(score) >= 100 ? String(Math.round(score)) : String(Math.round(score * 10) / 10)
}

/** Items with a complete CD3 first, highest first (ties keep the input order), then the incomplete ones in input order. */
export function rankByCd3<T>(items: readonly T[], cd3Of: (item: T) => Cd3Result): { item: T; cd3: Cd3Result }[] {
	const scored = items.map((item, order) => ({ item, cd3: cd3Of(item), order }))
	scored.sort((a, b) => (b.cd3.score ?? -1) - (a.cd3.score ?? -1) || a.order - b.order)
	return scored.map(({ item, cd3 }) => ({ item, cd3 }))
}
