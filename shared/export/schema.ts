/**
 * The board export format ("board-export"), version BOARD_EXPORT_SCHEMA_VERSION.
 *
 * One JSON document per board, meant for backlogs and roadmaps: every sticky
 * as a typed item with its theme, lane, RICE score, JTBD parts, matrix
 * quadrant and dot votes; themes with goals; the Now/Next/Later lanes; the
 * structural frames (layout) so an import can rebuild the board; the
 * results of the board's closed voting sessions (version 2); and each
 * sticky's rotation, size and colour override, so a duplicated board looks
 * the same (version 3); links between items (`relations`, with each idea's
 * and feature's importance), experiments, the answers to the Vision prompts
 * and the MVP (version 4); comment threads on items and frames and the
 * reaction counts of items (version 5); KPIs with their dated measurements,
 * trend status and progress (`kpis`) and the aggregates of revealed RICE
 * estimation rounds (`estimationRounds`), version 6; each item's lifecycle status with
 * its reason and its CD3 score, and the optional closing time and turnout of a
 * voting session, version 7.
 *
 * Every change to this schema bumps the version and adds a named migration in
 * ./migrations.ts; docs/board-export.schema.json is generated from it
 * (`npm run schema:export`) and a unit test fails when that file is stale.
 */
import { z } from 'zod'
import { ExperimentResultSchema, MAX_EXPERIMENT_TEXT } from '../items/experiment'
import { LaneSchema, LANES, MatrixMetaSchema, QuadrantSchema, StageSchema, ThemeGoalSchema, VISION_PROMPT_KEYS, VisionPromptSchema } from '../items/frameMeta'
import { MAX_AUTHOR_NAME, MAX_COMMENT_TEXT, STICKY_REACTIONS, StickyReactionSchema } from '../comments/schema'
import { AuthorSchema } from '../items/itemMeta'
import { KpiDirectionSchema, KpiMeasurementSchema, KpiValueSchema, MAX_KPI_MEASUREMENTS, MAX_KPI_TEXT } from '../items/kpi'
import { ItemKindSchema, TLDRAW_COLORS } from '../items/kinds'
import { RELATION_SIGNATURES, RelationTypeSchema, RelationWeightSchema } from '../items/relations'
import { ExportLifecycleFields } from './lifecycleSchema'
import { ConfidenceSchema, EffortSchema, ImpactSchema, ReachSchema } from '../items/rice'
import { MAX_TAGS_PER_ITEM, TagSchema } from '../items/tags'

export const BOARD_EXPORT_SCHEMA_VERSION = 7
/** Caps that keep a hostile import file from exhausting memory; far above real boards. */
export const MAX_EXPORT_ITEMS = 100_000
export const MAX_EXPORT_FRAMES = 10_000
export const MAX_ITEM_TEXT = 20_000
/** Far above the server's MAX_VOTING_SESSIONS_PER_BOARD (200). */
export const MAX_EXPORT_VOTING_SESSIONS = 1_000
/** Same cap as the session protocol's MAX_TITLE_LENGTH. */
export const MAX_VOTING_TITLE = 200
/** Links are arrows: a board has far fewer than items. */
export const MAX_EXPORT_RELATIONS = 100_000

const Id = z.string().min(1).max(256)
const IsoDateTime = z.iso.datetime({ offset: true })
const Coordinate = z.number().finite()

/** Radians. Exports write (-π, π] rounded to 6 decimals, so a re-import never crosses the ±π seam. */
const Rotation = z.number().finite()

export const ExportPositionSchema = z
	.object({
		x: Coordinate,
		y: Coordinate,
		pageId: Id,
		rotation: Rotation.describe("page-space rotation in radians: the note's own rotation composed with its frames'; exports write (-π, π], rounded to 6 decimals"),
		scale: z.number().positive().finite().describe("tldraw note props.scale (the note is 200·scale wide), rounded to 6 decimals; 1 unless the note was made at another size, e.g. in tldraw's dynamic size mode"),
		growY: z
			.number()
			.min(0)
			.finite()
			.describe('tldraw note props.growY: extra height for overflowing text, in unscaled units (the note is (200 + growY)·scale high), rounded to 0.01'),
	})
	.describe('Page-space placement of the note: position of its origin (top-left corner when unrotated, rounded to 0.01), rotation and size')

/** tldraw's default colour names (TLDefaultColorStyle), the values a note's props.color can have. */
export const ExportNoteColorSchema = z.enum(TLDRAW_COLORS)

export const ExportRiceSchema = z
	.object({
		reach: ReachSchema.nullable(),
		impact: ImpactSchema.nullable(),
		confidence: ConfidenceSchema.nullable(),
		effort: EffortSchema.nullable(),
		score: z.number().min(0).nullable().describe('reach × impact × confidence/100 / effort; null unless complete'),
		status: z.enum(['complete', 'incomplete']),
	})
	.describe('RICE estimate; missing or invalid fields are null and make the status incomplete (never a score of 0)')

const JtbdPartText = z.string().min(1).max(2000).nullable()
export const ExportJtbdSchema = z
	.object({
		situation: JtbdPartText,
		motivation: JtbdPartText,
		outcome: JtbdPartText,
		persona: z.string().min(1).max(200).nullable(),
		status: z.enum(['complete', 'incomplete']),
	})
	.describe('Job-to-be-done parts of a jtbd item (null for other kinds)')

const PositiveCount = z.number().int().min(1)
/** Competition rank within one voting session: 1, 2, 2, 4 … (ties share a rank). */
const VoteRank = z.number().int().min(1)

export const ExportItemSessionVotesSchema = z.object({
	sessionId: Id.describe('id of an entry of votingSessions'),
	count: PositiveCount.describe('dots the item received in that session'),
	rank: VoteRank.describe("the item's rank in that session (1, 2, 2, 4 …; ties share a rank)"),
})

export const ExportItemVotesSchema = z
	.object({
		total: PositiveCount.describe('dots over every closed voting session of the board'),
		bySession: z.array(ExportItemSessionVotesSchema).min(1).describe('one entry per closed session in which the item received dots, in votingSessions order'),
	})
	.describe('Dot votes of the item in closed voting sessions: counts and ranks only, never who voted')

const ExperimentText = z.string().min(1).max(MAX_EXPERIMENT_TEXT).nullable()
export const ExportExperimentSchema = z
	.object({
		hypothesis: ExperimentText.describe('what we believe, e.g. "teams that see a checklist invite a colleague on day 1"'),
		metric: ExperimentText.describe('what is measured'),
		threshold: ExperimentText.describe('the value that validates the hypothesis'),
		result: ExperimentResultSchema.nullable().describe('null = no result recorded yet'),
	})
	.describe('Fields of an experiment item (null for other kinds); it tests the ideas and features its `tests` relations point to')

/** Far above a real sticky's conversation; keeps a hostile import bounded. */
export const MAX_EXPORT_COMMENTS_PER_SHAPE = 10_000

export const ExportCommentSchema = z
	.object({
		threadId: Id.describe('the thread the comment belongs to; its first comment opened it'),
		text: z.string().min(1).max(MAX_COMMENT_TEXT),
		author: z.string().max(MAX_AUTHOR_NAME).describe("the author's display name when they wrote it"),
		createdAt: IsoDateTime,
		editedAt: IsoDateTime.nullable(),
		resolved: z.boolean().describe('the thread is resolved (the same for every comment of a thread)'),
		reply: z.boolean().describe('false for the comment that opened the thread'),
	})
	.describe('One comment of a thread on the item or frame, threads oldest first, each thread in its order')

export const ExportReactionSchema = z
	.object({ emoji: StickyReactionSchema, count: z.number().int().min(1).describe('people who reacted with it') })
	.describe('How many people reacted to the sticky with one emoji (never who)')

const ExportComments = z.array(ExportCommentSchema).max(MAX_EXPORT_COMMENTS_PER_SHAPE)

export const ExportItemSchema = z.object({
	id: Id.describe('tldraw shape id of the note'),
	kind: ItemKindSchema,
	text: z.string().max(MAX_ITEM_TEXT).describe('Plain text of the sticky; paragraphs separated by \\n'),
	tags: z.array(TagSchema).max(MAX_TAGS_PER_ITEM),
	author: AuthorSchema.nullable(),
	createdAt: IsoDateTime.nullable(),
	updatedAt: IsoDateTime.nullable(),
	themeId: Id.nullable().describe('id of the theme the item is in (by containment), or null'),
	lane: LaneSchema.nullable().describe("roadmap horizon: its theme's lane, or the lane frame it is in"),
	rice: ExportRiceSchema,
	votes: ExportItemVotesSchema.nullable().describe('null when the item received no dots in any closed voting session'),
	jtbd: ExportJtbdSchema.nullable(),
	quadrant: QuadrantSchema.nullable().describe('quadrant of the value × effort matrix frame the item is in, or null'),
	position: ExportPositionSchema,
	color: ExportNoteColorSchema.nullable().describe("the sticky's colour when someone changed it from its kind's colour; null = the kind's colour"),
	importance: z
		.number()
		.int()
		.min(0)
		.nullable()
		.describe('ideas and features: the sum of the weights of the `supports` relations ending on the item (0 when none); null for other kinds'),
	experiment: ExportExperimentSchema.nullable(),
	mvp: z.boolean().describe('a feature in the MVP: inside an MVP scope frame or marked in the inspector; false for other kinds'),
	comments: ExportComments,
	reactions: z.array(ExportReactionSchema).max(STICKY_REACTIONS.length).describe(`reaction counts, in the order ${STICKY_REACTIONS.join(' ')}; empty when none`),
	...ExportLifecycleFields,
})

export const ExportThemeSchema = z.object({
	id: Id.describe('tldraw shape id of the theme frame'),
	title: z.string().max(200),
	description: z.string().max(4000),
	goal: ThemeGoalSchema,
	lane: LaneSchema.nullable(),
	itemIds: z.array(Id).describe('items in the theme, in item order'),
})

export const ExportLaneSchema = z.object({
	id: LaneSchema,
	themeIds: z.array(Id).describe('themes in the lane, in theme order'),
})

export const ExportFrameSchema = z
	.object({
		id: Id,
		name: z.string().max(1000),
		pageId: Id,
		parentFrameId: Id.nullable().describe('innermost enclosing frame (by parentId), or null'),
		x: Coordinate,
		y: Coordinate,
		w: z.number().positive().finite(),
		h: z.number().positive().finite(),
		rotation: Rotation.describe('page-space rotation in radians; exports write (-π, π], rounded to 6 decimals'),
		lane: LaneSchema.nullable().describe("this frame's own meta.lane (a roadmap lane frame)"),
		stage: StageSchema.nullable(),
		defaultKind: ItemKindSchema.nullable(),
		matrix: MatrixMetaSchema.nullable(),
		visionPrompt: VisionPromptSchema.nullable().describe("this frame is one of the Vision frame's prompts; the stickies inside answer it"),
		mvpScope: z.boolean().describe('meta.mvpScope: the MVP scope frame (a stage-6 frame is one too, without this flag)'),
		comments: ExportComments,
	})
	.describe('Layout of a frame (page space), so an import can rebuild themes, lanes, matrices and stages')

export const ExportVoteResultSchema = z.object({
	itemId: Id.describe('the voted item; may name an item no longer on the board (results are a record of the vote)'),
	count: PositiveCount,
	rank: VoteRank,
})

export const ExportVotingSessionSchema = z
	.object({
		id: Id,
		title: z.string().max(MAX_VOTING_TITLE),
		// Exports carry closed sessions only: an open session's results may be hidden from everyone until close.
		status: z.literal('closed'),
		anonymous: z.boolean().describe('no one can learn who cast which dot; named sessions show voters in the app, not in the export'),
		closedAt: IsoDateTime,
		totalDots: z.number().int().min(0),
		voterCount: z.number().int().min(0),
		results: z.array(ExportVoteResultSchema).describe('items with at least one dot, best first (rank, then item id)'),
		// Remote voting over days (docs/sessions.md §3a). Optional and additive: files without them stay valid.
		closesAt: IsoDateTime.optional().describe('the closing time the facilitator set (the server closes the vote by itself then); absent when it had none'),
		closedBy: z.enum(['facilitator', 'schedule']).optional().describe("'schedule': the server closed it at closesAt; 'facilitator': closed by hand"),
		turnout: z
			.object({
				voters: z.number().int().min(0).describe('people who placed at least one dot'),
				joined: z.number().int().min(0).describe('participants who opened the board while the vote was open, plus anyone else who voted'),
			})
			.optional()
			.describe('aggregate turnout, never who'),
	})
	.describe('Results of one closed dot-voting session (facilitated sessions): aggregate counts only, no voter identities')

export const ExportRelationSchema = z
	.object({
		id: Id.describe('tldraw shape id of the arrow'),
		from: Id.describe('an item, theme or frame id; for a typed relation the end the type reads from (the insight of `supports`)'),
		to: Id.describe('an item, theme or frame id'),
		type: RelationTypeSchema.describe(
			`solves (idea/feature → problem/jtbd), supports (insight → idea/feature), tests (experiment → idea/feature), measures (kpi → theme/feature), relates otherwise; inferred from the kinds unless chosen on the arrow`,
		),
		weight: RelationWeightSchema.optional().describe('supports only (always present there): how strongly the insight supports, 1–3'),
	})
	.describe('A link between two items: an arrow bound at both ends (docs/protocol.md §6.1)')

const VisionAnswers = z.array(Id).describe('ids of the items answering the prompt, in item order')
export const ExportVisionSchema = z
	.object({
		opportunity: VisionAnswers,
		willingnessToPay: VisionAnswers,
		existingSolutions: VisionAnswers,
		successMeasure: VisionAnswers,
	})
	.describe("Stage 2: the stickies under each of the Vision frame's four prompts (frames with visionPrompt), by containment")

const KpiText = z.string().min(1).max(MAX_KPI_TEXT).nullable()
export const ExportKpiSchema = z
	.object({
		itemId: Id.describe('the KPI item (kind kpi)'),
		metric: KpiText.describe('what is measured, e.g. "Monthly recurring revenue"'),
		unit: KpiText.describe('e.g. "€", "min", "NPS"'),
		baseline: KpiValueSchema.nullable().describe('value when measuring started'),
		target: KpiValueSchema.nullable().describe('value that meets the goal'),
		direction: KpiDirectionSchema.describe('increase: higher is better; decrease: lower is better (stored, or inferred: decrease when target < baseline)'),
		measurements: z.array(KpiMeasurementSchema).max(MAX_KPI_MEASUREMENTS).describe('dated values (UTC calendar days), oldest first; malformed entries on the board are left out'),
		latest: KpiMeasurementSchema.nullable().describe('the last measurement, or null'),
		status: z.enum(['met', 'not-met', 'no-target', 'no-data']).describe('latest value against the target, in the KPI direction'),
		progress: z.number().min(0).max(1).nullable().describe('share of the way from baseline to target (0–1, clamped; 1 when met); null without baseline, target or measurement'),
		measures: z.array(Id).describe('themes and features this KPI measures (its `measures` relations), in relation order'),
	})
	.describe('A KPI item measured over time (stage 7): its definition, series and status')

const ExportSpreadSchema = z
	.object({
		count: z.number().int().min(1).describe('people who estimated this field'),
		min: z.number(),
		median: z.number(),
		max: z.number(),
		outliers: z
			.array(z.object({ name: z.string().max(100), value: z.number() }))
			.nullable()
			.describe('named rounds: who was far from the others (|value − median| > 1.5 × MAD); null for anonymous rounds'),
	})
	.describe("One RICE field's spread of estimates")

export const ExportEstimationItemSchema = z.object({
	itemId: Id.describe('the estimated item; may name an item no longer on the board (a record of the round)'),
	estimators: z.number().int().min(0),
	reach: ExportSpreadSchema.nullable(),
	impact: ExportSpreadSchema.nullable(),
	confidence: ExportSpreadSchema.nullable(),
	effort: ExportSpreadSchema.nullable(),
	accepted: z
		.object({ reach: ReachSchema, impact: ImpactSchema, confidence: ConfidenceSchema, effort: EffortSchema })
		.nullable()
		.describe("the RICE the facilitator accepted (the median or another value), which became the item's RICE; null if none"),
})

export const ExportEstimationRoundSchema = z
	.object({
		id: Id,
		title: z.string().max(MAX_VOTING_TITLE),
		anonymous: z.boolean().describe('anonymous rounds carry aggregates only (no names, no outliers)'),
		createdAt: IsoDateTime,
		revealedAt: IsoDateTime,
		estimatorCount: z.number().int().min(0),
		items: z.array(ExportEstimationItemSchema),
	})
	.describe('A revealed RICE estimation poker round (facilitated sessions): spreads per field, never individual estimates')

export const ExportBoardSchema = z.object({
	id: Id,
	title: z.string().max(500),
	exportedAt: IsoDateTime,
	template: z.string().min(1).max(64).optional(),
})

interface CrossRefContext {
	addIssue: (issue: { code: 'custom'; message: string; path: (string | number)[] }) => void
}

function checkUnique(ids: readonly string[], path: string, ctx: CrossRefContext): void {
	const seen = new Set<string>()
	ids.forEach((id, i) => {
		if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${JSON.stringify(id)}`, path: [path, i, 'id'] })
		seen.add(id)
	})
}

interface VotesDoc {
	items: { id: string; votes: z.infer<typeof ExportItemVotesSchema> | null }[]
	votingSessions: z.infer<typeof ExportVotingSessionSchema>[]
}

/** items[].votes must agree with the sessions' results (same count and rank, total = sum). */
function checkVotes(doc: VotesDoc, ctx: CrossRefContext): void {
	checkUnique(
		doc.votingSessions.map((session) => session.id),
		'votingSessions',
		ctx,
	)
	const results = new Map<string, Map<string, { count: number; rank: number }>>()
	doc.votingSessions.forEach((session, s) => {
		const byItem = new Map<string, { count: number; rank: number }>()
		session.results.forEach((result, r) => {
			if (byItem.has(result.itemId)) {
				ctx.addIssue({ code: 'custom', message: `duplicate item ${JSON.stringify(result.itemId)}`, path: ['votingSessions', s, 'results', r, 'itemId'] })
			}
			byItem.set(result.itemId, result)
		})
		results.set(session.id, byItem)
	})
	doc.items.forEach((item, i) => {
		if (item.votes === null) return
		let sum = 0
		item.votes.bySession.forEach((entry, k) => {
			sum += entry.count
			const path = ['items', i, 'votes', 'bySession', k]
			const session = results.get(entry.sessionId)
			if (!session) return ctx.addIssue({ code: 'custom', message: `unknown voting session ${JSON.stringify(entry.sessionId)}`, path: [...path, 'sessionId'] })
			const result = session.get(item.id)
			if (!result || result.count !== entry.count || result.rank !== entry.rank) {
				ctx.addIssue({ code: 'custom', message: `does not match the results of voting session ${JSON.stringify(entry.sessionId)}`, path })
			}
		})
		if (sum !== item.votes.total) {
			ctx.addIssue({ code: 'custom', message: `total ${item.votes.total} is not the sum of bySession counts (${sum})`, path: ['items', i, 'votes', 'total'] })
		}
	})
}

interface RelationsDoc {
	items: { id: string; kind: string; importance: number | null }[]
	themes: { id: string }[]
	frames: { id: string }[]
	relations: z.infer<typeof ExportRelationSchema>[]
}

/** Relations name known ends, carry a weight exactly when they are `supports`, and add up to each item's importance. */
function checkRelations(doc: RelationsDoc, ctx: CrossRefContext): void {
	checkUnique(
		doc.relations.map((relation) => relation.id),
		'relations',
		ctx,
	)
	const ends = new Set([...doc.items.map((i) => i.id), ...doc.themes.map((t) => t.id), ...doc.frames.map((f) => f.id)])
	const importance = new Map<string, number>()
	doc.relations.forEach((relation, r) => {
		for (const end of ['from', 'to'] as const) {
			if (!ends.has(relation[end])) ctx.addIssue({ code: 'custom', message: `unknown item, theme or frame ${JSON.stringify(relation[end])}`, path: ['relations', r, end] })
		}
		if (relation.from === relation.to) ctx.addIssue({ code: 'custom', message: 'a relation needs two different ends', path: ['relations', r, 'to'] })
		if ((relation.type === 'supports') !== (relation.weight !== undefined)) {
			ctx.addIssue({ code: 'custom', message: 'weight is required for supports and not allowed otherwise', path: ['relations', r, 'weight'] })
		}
		if (relation.type === 'supports') importance.set(relation.to, (importance.get(relation.to) ?? 0) + (relation.weight ?? 0))
	})
	const importanceKinds: readonly string[] = RELATION_SIGNATURES.supports.to
	doc.items.forEach((item, i) => {
		const expected = importanceKinds.includes(item.kind) ? (importance.get(item.id) ?? 0) : null
		if (item.importance !== expected) {
			ctx.addIssue({
				code: 'custom',
				message: expected === null ? 'only ideas and features have an importance' : `importance ${item.importance} is not the sum of the weights of its supports relations (${expected})`,
				path: ['items', i, 'importance'],
			})
		}
	})
}

interface KpisDoc {
	items: { id: string; kind: string }[]
	relations: z.infer<typeof ExportRelationSchema>[]
	kpis: z.infer<typeof ExportKpiSchema>[]
}

/** Every KPI item has exactly one entry; `measures` are its measures relations. */
function checkKpis(doc: KpisDoc, ctx: CrossRefContext): void {
	const kinds = new Map(doc.items.map((item) => [item.id, item.kind]))
	const seen = new Set<string>()
	const measured = new Map<string, string[]>()
	for (const r of doc.relations) if (r.type === 'measures') measured.set(r.from, [...(measured.get(r.from) ?? []), r.to])
	doc.kpis.forEach((kpi, k) => {
		if (kinds.get(kpi.itemId) !== 'kpi') ctx.addIssue({ code: 'custom', message: `${JSON.stringify(kpi.itemId)} is not a KPI item`, path: ['kpis', k, 'itemId'] })
		if (seen.has(kpi.itemId)) ctx.addIssue({ code: 'custom', message: `duplicate KPI ${JSON.stringify(kpi.itemId)}`, path: ['kpis', k, 'itemId'] })
		seen.add(kpi.itemId)
		const expected = measured.get(kpi.itemId) ?? []
		if (expected.length !== kpi.measures.length || expected.some((id, i) => kpi.measures[i] !== id)) {
			ctx.addIssue({ code: 'custom', message: 'measures must list the KPI\'s measures relations, in relation order', path: ['kpis', k, 'measures'] })
		}
	})
	doc.items.forEach((item, i) => {
		if (item.kind === 'kpi' && !seen.has(item.id)) ctx.addIssue({ code: 'custom', message: 'KPI item without a kpis entry', path: ['items', i, 'kind'] })
	})
}

export const BoardExportSchema = z
	.object({
		schemaVersion: z.literal(BOARD_EXPORT_SCHEMA_VERSION),
		board: ExportBoardSchema,
		items: z.array(ExportItemSchema).max(MAX_EXPORT_ITEMS),
		themes: z.array(ExportThemeSchema).max(MAX_EXPORT_FRAMES),
		lanes: z.array(ExportLaneSchema).max(LANES.length),
		frames: z.array(ExportFrameSchema).max(MAX_EXPORT_FRAMES),
		votingSessions: z
			.array(ExportVotingSessionSchema)
			.max(MAX_EXPORT_VOTING_SESSIONS)
			.describe("closed voting sessions of the board, oldest first; empty when none (or in a migrated version-1 file)"),
		relations: z.array(ExportRelationSchema).max(MAX_EXPORT_RELATIONS).describe('links between items, in order of their from end, then to end (item order, then theme and frame order)'),
		vision: ExportVisionSchema,
		kpis: z.array(ExportKpiSchema).max(MAX_EXPORT_ITEMS).describe('one entry per KPI item, in item order'),
		estimationRounds: z.array(ExportEstimationRoundSchema).max(MAX_EXPORT_VOTING_SESSIONS).describe('revealed RICE estimation rounds, oldest first'),
	})
	.superRefine((doc, ctx) => {
		checkUnique(
			doc.items.map((item) => item.id),
			'items',
			ctx,
		)
		checkUnique(
			doc.themes.map((theme) => theme.id),
			'themes',
			ctx,
		)
		checkUnique(
			doc.frames.map((frame) => frame.id),
			'frames',
			ctx,
		)
		checkUnique(
			doc.lanes.map((lane) => lane.id),
			'lanes',
			ctx,
		)
		const themes = new Map(doc.themes.map((theme) => [theme.id, theme]))
		const items = new Map(doc.items.map((item) => [item.id, item]))
		const frameIds = new Set(doc.frames.map((frame) => frame.id))
		doc.items.forEach((item, i) => {
			if (item.themeId !== null && !themes.has(item.themeId)) {
				ctx.addIssue({ code: 'custom', message: `unknown theme ${JSON.stringify(item.themeId)}`, path: ['items', i, 'themeId'] })
			}
		})
		doc.themes.forEach((theme, t) => {
			theme.itemIds.forEach((itemId, k) => {
				const item = items.get(itemId)
				if (!item) ctx.addIssue({ code: 'custom', message: `unknown item ${JSON.stringify(itemId)}`, path: ['themes', t, 'itemIds', k] })
				else if (item.themeId !== theme.id) {
					ctx.addIssue({
						code: 'custom',
						message: `item ${JSON.stringify(itemId)} has themeId ${JSON.stringify(item.themeId)}, not this theme`,
						path: ['themes', t, 'itemIds', k],
					})
				}
			})
		})
		doc.lanes.forEach((lane, l) => {
			lane.themeIds.forEach((themeId, k) => {
				const theme = themes.get(themeId)
				if (!theme) ctx.addIssue({ code: 'custom', message: `unknown theme ${JSON.stringify(themeId)}`, path: ['lanes', l, 'themeIds', k] })
				else if (theme.lane !== lane.id) {
					ctx.addIssue({
						code: 'custom',
						message: `theme ${JSON.stringify(themeId)} has lane ${JSON.stringify(theme.lane)}, not ${lane.id}`,
						path: ['lanes', l, 'themeIds', k],
					})
				}
			})
		})
		doc.frames.forEach((frame, f) => {
			if (frame.parentFrameId !== null && !frameIds.has(frame.parentFrameId)) {
				ctx.addIssue({ code: 'custom', message: `unknown frame ${JSON.stringify(frame.parentFrameId)}`, path: ['frames', f, 'parentFrameId'] })
			}
		})
		checkVotes(doc, ctx)
		checkRelations(doc, ctx)
		doc.items.forEach((item, i) => {
			if (item.experiment !== null && item.kind !== 'experiment') {
				ctx.addIssue({ code: 'custom', message: 'only experiment items have experiment fields', path: ['items', i, 'experiment'] })
			}
			if (item.mvp && item.kind !== 'feature') ctx.addIssue({ code: 'custom', message: 'only features can be in the MVP', path: ['items', i, 'mvp'] })
			const emoji = item.reactions.map((r) => r.emoji)
			if (new Set(emoji).size !== emoji.length) ctx.addIssue({ code: 'custom', message: 'an emoji is listed twice', path: ['items', i, 'reactions'] })
		})
		checkKpis(doc, ctx)
		for (const prompt of VISION_PROMPT_KEYS) {
			doc.vision[prompt].forEach((itemId, k) => {
				if (!items.has(itemId)) ctx.addIssue({ code: 'custom', message: `unknown item ${JSON.stringify(itemId)}`, path: ['vision', prompt, k] })
			})
		}
	})
	.meta({
		title: 'Workshop Board export',
		description:
			'Typed workshop items (ideas, problems, JTBD, insights, features, questions, KPIs, experiments), KPI measurements, the links between them, themes, roadmap lanes, the Vision answers, the MVP, frame layout and closed dot-voting results of one board. See docs/items.md.',
	})

export type BoardExport = z.infer<typeof BoardExportSchema>
export type ExportItem = z.infer<typeof ExportItemSchema>
export type ExportTheme = z.infer<typeof ExportThemeSchema>
export type ExportLane = z.infer<typeof ExportLaneSchema>
export type ExportFrame = z.infer<typeof ExportFrameSchema>
export type ExportItemVotes = z.infer<typeof ExportItemVotesSchema>
export type ExportVotingSession = z.infer<typeof ExportVotingSessionSchema>
export type ExportVoteResult = z.infer<typeof ExportVoteResultSchema>
export type ExportRelation = z.infer<typeof ExportRelationSchema>
export type ExportVision = z.infer<typeof ExportVisionSchema>
export type ExportExperiment = z.infer<typeof ExportExperimentSchema>
export type ExportComment = z.infer<typeof ExportCommentSchema>
export type ExportReaction = z.infer<typeof ExportReactionSchema>
export type ExportKpi = z.infer<typeof ExportKpiSchema>
export type ExportEstimationRound = z.infer<typeof ExportEstimationRoundSchema>
