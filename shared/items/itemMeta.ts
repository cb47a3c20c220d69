/**
 * The typed fields of a sticky, stored in a tldraw `note` shape's `meta`.
 *
 * In the Y.Doc, `meta` is a nested Y.Map (docLayout.NESTED_RECORD_FIELDS), one
 * key per field below, so two people editing different fields of the same
 * sticky (one the tags, one the RICE estimate) both win. Each value is a plain
 * JSON value replaced as a whole (e.g. the whole `tags` array, the whole `rice`
 * object).
 *
 * | key        | value                                                   |
 * |------------|---------------------------------------------------------|
 * | kind       | ItemKind ('idea' | 'problem' | 'jtbd' | …)             |
 * | tags       | string[] (normalised, see tags.ts)                      |
 * | author     | { id, name } — participant who created the sticky      |
 * | createdAt  | ms since epoch                                          |
 * | updatedAt  | ms since epoch of the last edit of text or a typed field |
 * | rice       | { reach?, impact?, confidence?, effort? } (rice.ts)     |
 * | jtbd       | { situation?, motivation?, outcome?, persona? } (jtbd.ts)|
 * | experiment | { hypothesis?, metric?, threshold?, result? } (experiment.ts) |
 * | mvp        | boolean — marked as in the MVP (besides the MVP scope frame) |
 * | kpi        | { metric?, unit?, baseline?, target?, direction?, measurements? } (kpi.ts) |
 * | votes      | reserved for facilitated sessions (#4); ignored here    |
 *
 * Other keys are left alone (other features may add their own).
 *
 * Meta arrives from any Yjs client, so reading it never throws:
 * `parseItemMeta` validates field by field, keeps what is valid, falls back to
 * defaults for the rest and reports each problem as an issue.
 */
import { z } from 'zod'
import { ExperimentInputSchema, readExperiment, type ExperimentFields } from './experiment'
import { JtbdPartsSchema, type JtbdParts } from './jtbd'
import { KpiInputSchema, readKpi, type KpiFields } from './kpi'
import { DEFAULT_ITEM_KIND, ITEM_KINDS, ItemKindSchema, type ItemKind } from './kinds'
import { readRiceInput, RiceInputSchema, type RiceInput } from './rice'
import { MAX_TAGS_PER_ITEM, normalizeTags, TagSchema } from './tags'

/** Keys of a typed note's `meta` (one nested Y.Map entry each). */
export const ItemMetaKey = {
	kind: 'kind',
	tags: 'tags',
	author: 'author',
	createdAt: 'createdAt',
	updatedAt: 'updatedAt',
	rice: 'rice',
	jtbd: 'jtbd',
	experiment: 'experiment',
	mvp: 'mvp',
	kpi: 'kpi',
	/** Reserved for facilitated sessions (#4). */
	votes: 'votes',
} as const

/** A participant: stable id (kept across reloads) and the display name they chose. */
export const AuthorSchema = z.object({
	id: z.string().min(1).max(128),
	name: z.string().max(100),
})
export type Author = z.infer<typeof AuthorSchema>

/** ms since epoch; a sane range so garbage (NaN, 1e300) is rejected. */
export const EpochMsSchema = z.number().int().min(0).max(8.64e15)

/** The typed part of a note's meta, as written by clients. Every field optional. */
export const ItemMetaSchema = z.object({
	kind: ItemKindSchema.optional(),
	tags: z.array(TagSchema).max(MAX_TAGS_PER_ITEM).optional(),
	author: AuthorSchema.optional(),
	createdAt: EpochMsSchema.optional(),
	updatedAt: EpochMsSchema.optional(),
	rice: RiceInputSchema.optional(),
	jtbd: JtbdPartsSchema.optional(),
	experiment: ExperimentInputSchema.optional(),
	mvp: z.boolean().optional(),
	kpi: KpiInputSchema.optional(),
})
export type ItemMetaInput = z.infer<typeof ItemMetaSchema>

/** A note's typed fields after tolerant parsing: defaults filled in. */
export interface ItemMeta {
	kind: ItemKind
	tags: string[]
	author: Author | null
	createdAt: number | null
	updatedAt: number | null
	/** Valid RICE fields only; see rice.computeRice for the score. */
	rice: RiceInput
	/** Stored JTBD parts, or null when the note has none. */
	jtbd: JtbdParts | null
	/** Stored experiment fields, or null when the note has none (any kind may keep them; the export reads them for experiments). */
	experiment: ExperimentFields | null
	/** `meta.mvp === true`: marked as in the MVP in the inspector. */
	mvp: boolean
	/** Stored KPI fields, or null when the note has none (the export reads them for KPIs). */
	kpi: KpiFields | null
}

export interface MetaIssue {
	/** Path inside meta, e.g. 'kind', 'rice.impact', 'tags.2'. */
	path: string
	message: string
}

export interface ParsedItemMeta {
	meta: ItemMeta
	/** Problems found; the corresponding fields fell back to defaults. */
	issues: MetaIssue[]
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const KINDS: ReadonlySet<string> = new Set(ITEM_KINDS)

/** Plain predicates equivalent to the schemas above, for the export hot path (tested against zod). */
export function isItemKind(value: unknown): value is ItemKind {
	return typeof value === 'string' && KINDS.has(value)
}

export function isAuthor(value: unknown): value is Author {
	if (!isObject(value)) return false
	const { id, name } = value
	return typeof id === 'string' && id.length >= 1 && id.length <= 128 && typeof name === 'string' && name.length <= 100
}

export function isEpochMs(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 8.64e15
}

function own(obj: Record<string, unknown>, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined
}

/**
 * Reads a note's meta without trusting it. Returns defaults (kind 'idea', no
 * tags, no author…) for absent or invalid fields and an issue per invalid
 * field. Tags are normalised; unusable tags are dropped one by one.
 */
export function parseItemMeta(raw: unknown): ParsedItemMeta {
	const issues: MetaIssue[] = []
	const meta: ItemMeta = {
		kind: DEFAULT_ITEM_KIND,
		tags: [],
		author: null,
		createdAt: null,
		updatedAt: null,
		rice: {},
		jtbd: null,
		experiment: null,
		mvp: false,
		kpi: null,
	}
	if (raw === undefined || raw === null) return { meta, issues }
	if (!isObject(raw)) {
		issues.push({ path: '', message: 'meta is not an object' })
		return { meta, issues }
	}

	const kind = own(raw, ItemMetaKey.kind)
	if (kind !== undefined) {
		if (isItemKind(kind)) meta.kind = kind
		else issues.push({ path: 'kind', message: `unknown kind ${JSON.stringify(kind)?.slice(0, 40)}` })
	}

	const tags = own(raw, ItemMetaKey.tags)
	if (tags !== undefined) {
		if (Array.isArray(tags)) {
			const strings: string[] = []
			tags.forEach((tag, i) => {
				if (typeof tag === 'string') strings.push(tag)
				else issues.push({ path: `tags.${i}`, message: 'tag is not a string' })
			})
			meta.tags = normalizeTags(strings)
		} else {
			issues.push({ path: 'tags', message: 'tags is not an array' })
		}
	}

	const author = own(raw, ItemMetaKey.author)
	if (author !== undefined) {
		if (isAuthor(author)) meta.author = { id: author.id, name: author.name }
		else issues.push({ path: 'author', message: 'author must be { id, name }' })
	}

	for (const key of [ItemMetaKey.createdAt, ItemMetaKey.updatedAt] as const) {
		const value = own(raw, key)
		if (value === undefined) continue
		if (isEpochMs(value)) meta[key] = value
		else issues.push({ path: key, message: `${key} must be ms since epoch` })
	}

	const rice = own(raw, ItemMetaKey.rice)
	if (rice !== undefined) {
		const { values, invalid } = readRiceInput(rice)
		meta.rice = values
		if (!isObject(rice)) issues.push({ path: 'rice', message: 'rice is not an object' })
		else for (const field of invalid) issues.push({ path: `rice.${field}`, message: `invalid ${field}` })
	}

	const jtbd = own(raw, ItemMetaKey.jtbd)
	if (jtbd !== undefined && jtbd !== null) {
		if (isObject(jtbd)) {
			const parts: JtbdParts = {}
			for (const key of ['situation', 'motivation', 'outcome', 'persona'] as const) {
				const value = own(jtbd, key)
				if (value === undefined || value === null || value === '') continue
				const max = key === 'persona' ? 200 : 2000
				if (typeof value === 'string' && value.length <= max) {
					const trimmed = value.trim()
					if (trimmed) parts[key] = trimmed
				} else {
					issues.push({ path: `jtbd.${key}`, message: `invalid ${key}` })
				}
			}
			meta.jtbd = parts
		} else {
			issues.push({ path: 'jtbd', message: 'jtbd is not an object' })
		}
	}

	const experiment = own(raw, ItemMetaKey.experiment)
	if (experiment !== undefined && experiment !== null) {
		const fields = readExperiment(experiment, issues)
		if (typeof experiment === 'object' && !Array.isArray(experiment)) meta.experiment = fields
	}

	const mvp = own(raw, ItemMetaKey.mvp)
	if (mvp !== undefined && mvp !== null) {
		if (typeof mvp === 'boolean') meta.mvp = mvp
		else issues.push({ path: 'mvp', message: 'mvp must be true or false' })
	}

	const kpi = own(raw, ItemMetaKey.kpi)
	if (kpi !== undefined && kpi !== null) {
		const fields = readKpi(kpi, issues)
		if (isObject(kpi)) meta.kpi = fields
	}

	return { meta, issues }
}
