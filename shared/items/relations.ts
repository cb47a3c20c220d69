/**
 * Links between items: a tldraw `arrow` bound at both ends (two `arrow`
 * binding records) to stickies or frames is a typed relation
 * (docs/protocol.md §6.1). Read from plain records, so the client's
 * inspector, the server's export and the CLI agree.
 *
 * The type is inferred from the kinds of the two ends; `meta.relationType` on
 * the arrow (chosen in the inspector) overrides it, `meta.weight` (1–3) weighs
 * a `supports` link. Arrow meta arrives from any Yjs client: an invalid value
 * is reported and ignored, never trusted.
 */
import { z } from 'zod'
import { toRecordMap, type RecordLike, type RecordsInput } from './containment'
import { parseFrameMeta } from './frameMeta'
import { parseItemMeta, type MetaIssue } from './itemMeta'
import type { ItemKind } from './kinds'

export const RELATION_TYPES = ['solves', 'supports', 'tests', 'measures', 'relates'] as const
export const RelationTypeSchema = z.enum(RELATION_TYPES)
export type RelationType = z.infer<typeof RelationTypeSchema>

export const RELATION_TYPE_LABELS: Readonly<Record<RelationType, { forward: string; backward: string }>> = {
	solves: { forward: 'solves', backward: 'solved by' },
	supports: { forward: 'supports', backward: 'supported by' },
	tests: { forward: 'tests', backward: 'tested by' },
	measures: { forward: 'measures', backward: 'measured by' },
	relates: { forward: 'relates to', backward: 'related to' },
}

export const MIN_RELATION_WEIGHT = 1
export const MAX_RELATION_WEIGHT = 3
export const RelationWeightSchema = z.number().int().min(MIN_RELATION_WEIGHT).max(MAX_RELATION_WEIGHT)

/** Keys of an arrow's `meta` (nested Y.Map, one key per field). */
export const RelationMetaKey = {
	relationType: 'relationType',
	weight: 'weight',
} as const

/** What one end of a link is: a sticky of some kind, a theme frame, or another frame. */
export type RelationEndKind = ItemKind | 'theme' | 'frame'

/** Which ends each typed relation joins (from → to); `relates` joins anything. */
export const RELATION_SIGNATURES: Readonly<Record<Exclude<RelationType, 'relates'>, { from: readonly RelationEndKind[]; to: readonly RelationEndKind[] }>> = {
	solves: { from: ['idea', 'feature'], to: ['problem', 'jtbd'] },
	supports: { from: ['insight'], to: ['idea', 'feature'] },
	tests: { from: ['experiment'], to: ['idea', 'feature'] },
	measures: { from: ['kpi'], to: ['theme', 'feature'] },
}

const TYPED = ['solves', 'supports', 'tests', 'measures'] as const

function fits(type: RelationType, from: RelationEndKind, to: RelationEndKind): boolean {
	if (type === 'relates') return true
	const signature = RELATION_SIGNATURES[type]
	return signature.from.includes(from) && signature.to.includes(to)
}

/**
 * The type a link between `start` and `end` (as drawn) gets, and whether its
 * ends must be swapped to read in the type's direction (a problem → idea
 * arrow is "idea solves problem").
 */
export function inferRelationType(start: RelationEndKind, end: RelationEndKind): { type: RelationType; swap: boolean } {
	for (const type of TYPED) {
		if (fits(type, start, end)) return { type, swap: false }
		if (fits(type, end, start)) return { type, swap: true }
	}
	return { type: 'relates', swap: false }
}

/** Whether a link of `type` drawn from `start` to `end` reads backwards (its ends fit the type only when swapped). */
export function relationReadsBackwards(type: RelationType, start: RelationEndKind, end: RelationEndKind): boolean {
	return !fits(type, start, end) && fits(type, end, start)
}

export interface Relation {
	/** The arrow's shape id. */
	id: string
	/** Ends in the type's direction (e.g. the insight of a `supports`). */
	from: string
	to: string
	type: RelationType
	/** 1–3 for `supports` (default 1), null otherwise. */
	weight: number | null
	/** The type came from the arrow's `meta.relationType`, not from the kinds. */
	explicit: boolean
	/** The arrow was drawn from `to` to `from`. */
	swapped: boolean
}

export interface RelationIssue extends MetaIssue {
	/** The arrow the problem is on. */
	arrowId: string
}

export interface BoardRelations {
	relations: Relation[]
	issues: RelationIssue[]
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function own(obj: Record<string, unknown>, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined
}

/** Kind of a shape as an end of a link, or null when it cannot be one (a text, a geo shape…). */
export function relationEndKind(record: RecordLike | undefined): RelationEndKind | null {
	if (!record || record.typeName !== 'shape') return null
	if (record.type === 'note') return parseItemMeta(record.meta).meta.kind
	if (record.type === 'frame') return parseFrameMeta(record.meta).meta.theme !== null ? 'theme' : 'frame'
	return null
}

/** Reads an arrow's `meta.relationType` and `meta.weight`; invalid values are reported and read as absent. */
export function readRelationMeta(arrowId: string, raw: unknown, issues: RelationIssue[]): { type: RelationType | null; weight: number | null } {
	if (raw === undefined || raw === null) return { type: null, weight: null }
	if (!isObject(raw)) {
		issues.push({ arrowId, path: '', message: 'meta is not an object' })
		return { type: null, weight: null }
	}
	let type: RelationType | null = null
	const rawType = own(raw, RelationMetaKey.relationType)
	if (rawType !== undefined && rawType !== null) {
		const parsed = RelationTypeSchema.safeParse(rawType)
		if (parsed.success) type = parsed.data
		else issues.push({ arrowId, path: 'relationType', message: `unknown relation type ${JSON.stringify(rawType)?.slice(0, 40)}` })
	}
	let weight: number | null = null
	const rawWeight = own(raw, RelationMetaKey.weight)
	if (rawWeight !== undefined && rawWeight !== null) {
		const parsed = RelationWeightSchema.safeParse(rawWeight)
		if (parsed.success) weight = parsed.data
		else issues.push({ arrowId, path: 'weight', message: `weight must be an integer from ${MIN_RELATION_WEIGHT} to ${MAX_RELATION_WEIGHT}` })
	}
	return { type, weight }
}

/**
 * Every link of a board: arrows with a start and an end binding to two
 * different notes or frames. Sorted by arrow id. Never throws on malformed
 * records; problems with arrow meta or bindings are listed in `issues`.
 */
export function readRelations(input: RecordsInput): BoardRelations {
	const records = toRecordMap(input)
	const issues: RelationIssue[] = []
	const ends = new Map<string, { start: string[]; end: string[] }>()
	for (const record of records.values()) {
		if (record.typeName !== 'binding' || record.type !== 'arrow') continue
		const { fromId, toId } = record
		const props = isObject(record.props) ? record.props : {}
		if (typeof fromId !== 'string' || typeof toId !== 'string') continue
		const terminal = props.terminal
		if (terminal !== 'start' && terminal !== 'end') continue
		let entry = ends.get(fromId)
		if (!entry) ends.set(fromId, (entry = { start: [], end: [] }))
		entry[terminal].push(toId)
	}
	const kindCache = new Map<string, RelationEndKind | null>()
	const kindOf = (id: string) => {
		if (!kindCache.has(id)) kindCache.set(id, relationEndKind(records.get(id)))
		return kindCache.get(id)!
	}
	const relations: Relation[] = []
	for (const [arrowId, { start, end }] of ends) {
		const arrow = records.get(arrowId)
		if (!arrow || arrow.typeName !== 'shape' || arrow.type !== 'arrow') continue
		if (start.length !== 1 || end.length !== 1) {
			if (start.length > 1 || end.length > 1) issues.push({ arrowId, path: 'bindings', message: 'more than one binding for one end of the arrow' })
			continue
		}
		const [startId, endId] = [start[0], end[0]]
		const startKind = kindOf(startId)
		const endKind = kindOf(endId)
		if (startKind === null || endKind === null || startId === endId) continue
		const meta = readRelationMeta(arrowId, arrow.meta, issues)
		const inferred = inferRelationType(startKind, endKind)
		const type = meta.type ?? inferred.type
		const swap = meta.type === null ? inferred.swap : relationReadsBackwards(type, startKind, endKind)
		relations.push({
			id: arrowId,
			from: swap ? endId : startId,
			to: swap ? startId : endId,
			type,
			weight: type === 'supports' ? (meta.weight ?? MIN_RELATION_WEIGHT) : null,
			explicit: meta.type !== null,
			swapped: swap,
		})
	}
	relations.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
	return { relations, issues }
}

/** Importance of each idea or feature: the sum of the weights of the `supports` links that end on it. */
export function computeImportance(relations: readonly { to: string; type: RelationType; weight?: number | null }[]): Map<string, number> {
	const importance = new Map<string, number>()
	for (const relation of relations) {
		if (relation.type !== 'supports') continue
		const weight = typeof relation.weight === 'number' ? relation.weight : MIN_RELATION_WEIGHT
		importance.set(relation.to, (importance.get(relation.to) ?? 0) + weight)
	}
	return importance
}

/** The links of one shape, both ways: `outgoing` start at it (in the type's direction), `incoming` end at it. */
export function relationsOf(shapeId: string, relations: readonly Relation[]): { outgoing: Relation[]; incoming: Relation[] } {
	return {
		outgoing: relations.filter((r) => r.from === shapeId),
		incoming: relations.filter((r) => r.to === shapeId),
	}
}

/** Kinds whose importance is shown and exported (the targets of `supports`). */
export const IMPORTANCE_KINDS: readonly ItemKind[] = ['idea', 'feature']
