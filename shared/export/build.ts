/**
 * Builds a board export from plain records (e.g. `readAllRecords(doc)` on the
 * server, or the editor store's records in the client) and the board's closed
 * voting sessions (server: the session store; client: the session state).
 * Pure: no clock, no randomness, no I/O — `now` is passed in.
 *
 * Cost is linear in the number of records plus notes × frames-per-page (see
 * items/containment.ts); a 10,000-item board exports in well under 100 ms.
 */
import { threadsByTarget } from '../comments/commentsDoc'
import type { CommentThread, StickyReaction } from '../comments/schema'
import { computeContainment, type FrameInfo, type NotePlacement, type RecordsInput } from '../items/containment'
import { LANES } from '../items/frameMeta'
import { parseItemMeta, type ItemMeta } from '../items/itemMeta'
import { jtbdStatusOf, parseJtbd, type JtbdParts } from '../items/jtbd'
import { ITEM_KIND_INFO, type ItemKind } from '../items/kinds'
import { EMPTY_KPI, kpiDirection, kpiStatus } from '../items/kpi'
import { computeImportance, IMPORTANCE_KINDS, readRelations, type Relation } from '../items/relations'
import { computeCd3, readLifecycle } from '../items/lifecycle'
import { computeRice } from '../items/rice'
import { richTextToPlainText } from '../text/richText'
import { isoUtc } from './isoTime'
import {
	BOARD_EXPORT_SCHEMA_VERSION,
	ExportNoteColorSchema,
	MAX_EXPORT_COMMENTS_PER_SHAPE,
	MAX_EXPORT_VOTING_SESSIONS,
	MAX_ITEM_TEXT,
	MAX_VOTING_TITLE,
	type BoardExport,
	type ExportComment,
	type ExportFrame,
	type ExportReaction,
	type ExportItem,
	type ExportItemVotes,
	type ExportEstimationRound,
	type ExportKpi,
	type ExportRelation,
	type ExportVision,
	type ExportTheme,
	type ExportVoteResult,
	type ExportVotingSession,
} from './schema'

/**
 * One voting session as the server's session store (`loadClosedResults`,
 * `FacilitatedSessions.getVoteResults().sessions`) or the client's session
 * state (`VotingSessionPublic`, mapped) has it. Only closed sessions are
 * exported: a session with `status: 'open'`, no `closedAt` or no results is
 * skipped, so an open session's (possibly hidden) results never reach an
 * export even if a caller passes it. Voter identities (`voters` of named
 * sessions) are never copied.
 */
export interface ClosedVotingInput {
	id: string
	title: string
	/** Omitted by the server's closed-results API (closed by definition). */
	status?: 'open' | 'closed'
	anonymous: boolean
	/** ms since epoch. */
	closedAt: number | null
	results: {
		items: readonly { itemId: string; count: number; rank: number }[]
		totalDots: number
		voterCount: number
	} | null
	/** Remote voting over days (optional): closing time (ms since epoch), who closed it, turnout. */
	closesAt?: number | null
	closedBy?: 'facilitator' | 'schedule' | null
	turnout?: { voters: number; joined: number } | null
}

export interface BuildBoardExportInput {
	boardId: string
	title: string
	records: RecordsInput
	/** Export time, ms since epoch or a Date. */
	now: number | Date
	/** Template the board was created from (boardMeta.template), if any. */
	template?: string
	/** The board's voting sessions; only closed ones are exported (see ClosedVotingInput). */
	votingSessions?: readonly ClosedVotingInput[]
	/** Comment threads and reactions (`readConversation(doc)`, shared/comments); none when left out. */
	conversation?: ConversationInput
	/** The board's estimation rounds (session state `estimationRounds`); only revealed ones are exported. */
	estimationRounds?: readonly EstimationRoundInput[]
}

/** What the export needs of the `comments` and `reactions` maps, already validated by their readers. */
export interface ConversationInput {
	threads: readonly CommentThread[]
	reactions: ReadonlyMap<string, readonly { emoji: StickyReaction; count: number }[]>
}

/** Comments of one shape: threads oldest first, each in its order, every message a line. */
function exportComments(threads: readonly CommentThread[] | undefined): ExportComment[] {
	if (!threads) return []
	const out: ExportComment[] = []
	for (const thread of threads) {
		thread.messages.forEach((message, i) => {
			if (out.length >= MAX_EXPORT_COMMENTS_PER_SHAPE) return
			out.push({
				threadId: thread.id,
				text: message.text,
				author: message.authorName,
				createdAt: iso(message.createdAt) ?? new Date(0).toISOString(),
				editedAt: message.editedAt === null ? null : iso(message.editedAt),
				resolved: thread.resolved,
				reply: i > 0,
			})
		})
	}
	return out
}

/** An estimation round as the session state has it (EstimationRoundPublic). */
export interface EstimationRoundInput {
	id: string
	title: string
	status: 'open' | 'revealed'
	anonymous: boolean
	createdAt: number
	revealedAt: number | null
	estimators: number
	results: readonly ExportEstimationRound['items'][number][] | null
}

/**
 * Revealed rounds, oldest first (revealedAt, then id); open ones (whose
 * estimates are secret) and malformed ones are skipped. Anonymous rounds lose
 * any outlier names a caller might pass.
 */
export function exportEstimationRounds(input: readonly EstimationRoundInput[]): ExportEstimationRound[] {
	const seen = new Set<string>()
	const rounds = input.filter((r) => {
		if (r.status !== 'revealed' || r.results === null || typeof r.revealedAt !== 'number' || !isExportId(r.id) || seen.has(r.id)) return false
		if (iso(r.revealedAt) === null || iso(r.createdAt) === null) return false
		seen.add(r.id)
		return true
	})
	rounds.sort((a, b) => a.revealedAt! - b.revealedAt! || compareStrings(a.id, b.id))
	const spread = (s: ExportEstimationRound['items'][number]['reach'], anonymous: boolean) =>
		s === null ? null : { count: s.count, min: s.min, median: s.median, max: s.max, outliers: anonymous ? null : (s.outliers ?? []).map((o) => ({ name: String(o.name).slice(0, 100), value: o.value })) }
	return rounds.slice(0, MAX_EXPORT_VOTING_SESSIONS).map((r) => ({
		id: r.id,
		title: String(r.title).slice(0, MAX_VOTING_TITLE),
		anonymous: r.anonymous === true,
		createdAt: iso(r.createdAt)!,
		revealedAt: iso(r.revealedAt)!,
		estimatorCount: isCount(r.estimators, 0) ? r.estimators : 0,
		items: r.results!.map((item) => ({
			itemId: item.itemId,
			estimators: item.estimators,
			reach: spread(item.reach, r.anonymous),
			impact: spread(item.impact, r.anonymous),
			confidence: spread(item.confidence, r.anonymous),
			effort: spread(item.effort, r.anonymous),
			accepted: item.accepted ? { ...item.accepted } : null,
		})),
	}))
}

/** Rounds page coordinates to 0.01 so exports are stable under float noise. */
export function roundCoordinate(value: number): number {
	if (!Number.isFinite(value)) return 0
	// Beyond ~1e15 there are no hundredths to round (and value * 100 may overflow).
	if (Math.abs(value) >= 1e15) return value
	const rounded = Math.round(value * 100) / 100
	return Object.is(rounded, -0) ? 0 : rounded
}

function roundTo(value: number, digits: number): number {
	const f = 10 ** digits
	const rounded = Math.round(value * f) / f
	return Object.is(rounded, -0) ? 0 : rounded
}

/**
 * Rounds an angle in [-π, π] (what atan2 gives) to 6 decimals inside (-π, π].
 * Wrapping after rounding keeps the value off the ±π seam (π itself rounds to
 * 3.141593 > π), so a re-import, whose angle comes back from atan2, exports
 * the same number.
 */
export function roundRotation(radians: number): number {
	if (!Number.isFinite(radians)) return 0
	const rounded = roundTo(radians, 6)
	if (rounded > Math.PI) return roundTo(rounded - 2 * Math.PI, 6)
	if (rounded <= -Math.PI) return roundTo(rounded + 2 * Math.PI, 6)
	return rounded
}

const finiteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

/** Note `props.scale` to 6 decimals; unreadable or non-positive values count as 1, as in shapeSize. */
function exportScale(props: Record<string, unknown>): number {
	if (!finiteNumber(props.scale) || props.scale <= 0) return 1
	const rounded = roundTo(props.scale, 6)
	// Above ~1e302, scale · 10^6 overflows: keep the value. Below the rounding step, stay positive.
	return Number.isFinite(rounded) ? Math.max(rounded, 0.000001) : props.scale
}

/** Note `props.growY` to 0.01, never negative (as in shapeSize). */
function exportGrowY(props: Record<string, unknown>): number {
	return finiteNumber(props.growY) ? roundCoordinate(Math.max(0, props.growY)) : 0
}

/** The note's colour when it is not its kind's (someone recoloured it); null otherwise or when unreadable. */
function exportColor(props: Record<string, unknown>, kind: ItemKind): ExportItem['color'] {
	const color = ExportNoteColorSchema.safeParse(props.color)
	return color.success && color.data !== ITEM_KIND_INFO[kind].color ? color.data : null
}

function iso(ms: number | null): string | null {
	return ms === null ? null : isoUtc(ms)
}

function compareStrings(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0
}

function exportJtbd(meta: ItemMeta, text: string): ExportItem['jtbd'] {
	if (meta.kind !== 'jtbd') return null
	// Stored parts (set when the user accepted or edited the statement) win over re-parsing the text.
	const stored = meta.jtbd
	let parts: JtbdParts = {}
	if (stored && (stored.situation || stored.motivation || stored.outcome)) parts = stored
	else {
		const parsed = parseJtbd(text)
		if (parsed.status === 'complete') parts = parsed
		else if (parsed.status === 'incomplete') parts = parsed.parts
	}
	return {
		situation: parts.situation ?? null,
		motivation: parts.motivation ?? null,
		outcome: parts.outcome ?? null,
		persona: parts.persona ?? null,
		status: jtbdStatusOf(parts).status,
	}
}

/** Status, reason and CD3 of a note (meta read without trust: invalid values are left out). */
function exportLifecycle(rawMeta: unknown): Pick<ExportItem, 'status' | 'statusReason' | 'cd3'> {
	const { status, statusReason, cd3 } = readLifecycle(rawMeta)
	const result = computeCd3(cd3)
	return { status, statusReason, cd3: { ...result, score: result.score === null ? null : roundTo(result.score, 4) } }
}

function exportRice(meta: ItemMeta): ExportItem['rice'] {
	const rice = computeRice(meta.rice)
	if (rice.status === 'complete') {
		const { reach, impact, confidence, effort, score } = rice
		return { reach, impact, confidence, effort, score: roundTo(score, 4), status: 'complete' }
	}
	const { reach, impact, confidence, effort } = rice.values
	return {
		reach: reach ?? null,
		impact: impact ?? null,
		confidence: confidence ?? null,
		effort: effort ?? null,
		score: null,
		status: 'incomplete',
	}
}

function noteProps(record: Record<string, unknown>): Record<string, unknown> {
	return (typeof record.props === 'object' && record.props !== null ? record.props : {}) as Record<string, unknown>
}

function noteText(props: Record<string, unknown>): string {
	const text = richTextToPlainText(props.richText ?? props.text)
	return text.length > MAX_ITEM_TEXT ? text.slice(0, MAX_ITEM_TEXT) : text
}

const isCount = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min
const isExportId = (value: unknown): value is string => typeof value === 'string' && value.length >= 1 && value.length <= 256

/** The optional closing time, closer and turnout of a session; malformed values are left out. */
function remoteVotingFields(session: ClosedVotingInput): Pick<ExportVotingSession, 'closesAt' | 'closedBy' | 'turnout'> {
	const closesAt = typeof session.closesAt === 'number' ? iso(session.closesAt) : null
	const { turnout, closedBy } = session
	return {
		...(closesAt !== null ? { closesAt } : {}),
		...(closedBy === 'facilitator' || closedBy === 'schedule' ? { closedBy } : {}),
		...(turnout && isCount(turnout.voters, 0) && isCount(turnout.joined, 0) ? { turnout: { voters: turnout.voters, joined: turnout.joined } } : {}),
	}
}

/**
 * The closed sessions, oldest first (closedAt, then id), each with its results
 * best first (rank, then item id), and every item's votes over them. Malformed
 * entries (bad ids, counts or ranks; a repeated session or item) are skipped.
 */
export function exportVotingSessions(input: readonly ClosedVotingInput[]): { sessions: ExportVotingSession[]; byItem: Map<string, ExportItemVotes> } {
	const seen = new Set<string>()
	const closed: { session: ClosedVotingInput; closedAt: string; results: NonNullable<ClosedVotingInput['results']> }[] = []
	for (const session of input) {
		if (session.status === 'open' || session.results === null || typeof session.closedAt !== 'number') continue
		const closedAt = iso(session.closedAt)
		if (closedAt === null || !isExportId(session.id) || seen.has(session.id)) continue
		seen.add(session.id)
		closed.push({ session, closedAt, results: session.results })
	}
	closed.sort((a, b) => a.session.closedAt! - b.session.closedAt! || compareStrings(a.session.id, b.session.id))

	const sessions: ExportVotingSession[] = []
	const byItem = new Map<string, ExportItemVotes>()
	for (const { session, closedAt, results } of closed.slice(0, MAX_EXPORT_VOTING_SESSIONS)) {
		const entries: ExportVoteResult[] = []
		const itemIds = new Set<string>()
		for (const r of results.items) {
			if (!isExportId(r.itemId) || !isCount(r.count, 1) || !isCount(r.rank, 1) || itemIds.has(r.itemId)) continue
			itemIds.add(r.itemId)
			// Only these three fields: named sessions' `voters` stay out of the export.
			entries.push({ itemId: r.itemId, count: r.count, rank: r.rank })
		}
		entries.sort((a, b) => a.rank - b.rank || compareStrings(a.itemId, b.itemId))
		sessions.push({
			id: session.id,
			title: String(session.title).slice(0, MAX_VOTING_TITLE),
			status: 'closed',
			anonymous: session.anonymous === true,
			closedAt,
			totalDots: isCount(results.totalDots, 0) ? results.totalDots : entries.reduce((sum, r) => sum + r.count, 0),
			voterCount: isCount(results.voterCount, 0) ? results.voterCount : 0,
			results: entries,
			...remoteVotingFields(session),
		})
		for (const entry of entries) {
			const votes = byItem.get(entry.itemId)
			const bySession = { sessionId: session.id, count: entry.count, rank: entry.rank }
			if (votes) {
				votes.total += entry.count
				votes.bySession.push(bySession)
			} else byItem.set(entry.itemId, { total: entry.count, bySession: [bySession] })
		}
	}
	return { sessions, byItem }
}

/** One entry per KPI item: its stored definition and valid series, the status and progress they give. */
function exportKpis(items: readonly ExportItem[], metas: readonly ItemMeta[], relations: readonly ExportRelation[]): ExportKpi[] {
	const measures = new Map<string, string[]>()
	for (const r of relations) if (r.type === 'measures') measures.set(r.from, [...(measures.get(r.from) ?? []), r.to])
	const kpis: ExportKpi[] = []
	items.forEach((item, i) => {
		if (item.kind !== 'kpi') return
		const fields = metas[i].kpi ?? EMPTY_KPI
		const status = kpiStatus(fields)
		kpis.push({
			itemId: item.id,
			metric: fields.metric,
			unit: fields.unit,
			baseline: fields.baseline,
			target: fields.target,
			direction: kpiDirection(fields),
			measurements: fields.measurements.map((m) => ({ date: m.date, value: m.value })),
			latest: status.latest ? { ...status.latest } : null,
			status: status.status,
			progress: status.progress === null ? null : roundTo(status.progress, 4),
			measures: measures.get(item.id) ?? [],
		})
	})
	return kpis
}

function exportExperiment(meta: ItemMeta): ExportItem['experiment'] {
	if (meta.kind !== 'experiment') return null
	const fields = meta.experiment
	return { hypothesis: fields?.hypothesis ?? null, metric: fields?.metric ?? null, threshold: fields?.threshold ?? null, result: fields?.result ?? null }
}

/**
 * The links whose two ends are in the export, ordered by their from end's
 * place (items, then themes, then frames), then their to end's, then id, so
 * the order survives export → import (ids change, positions do not).
 */
function exportRelations(relations: readonly Relation[], endOrder: ReadonlyMap<string, number>): ExportRelation[] {
	const kept = relations.filter((r) => endOrder.has(r.from) && endOrder.has(r.to))
	kept.sort((a, b) => endOrder.get(a.from)! - endOrder.get(b.from)! || endOrder.get(a.to)! - endOrder.get(b.to)! || compareStrings(a.id, b.id))
	return kept.map((r) => (r.type === 'supports' ? { id: r.id, from: r.from, to: r.to, type: r.type, weight: r.weight ?? 1 } : { id: r.id, from: r.from, to: r.to, type: r.type }))
}

/** Builds the export. Never throws on malformed records; unreadable fields get defaults. */
export function buildBoardExport(input: BuildBoardExportInput): BoardExport {
	const containment = computeContainment(input.records)
	const threadsOf = threadsByTarget(input.conversation?.threads ?? [])
	const reactionsOf = (id: string): ExportReaction[] => (input.conversation?.reactions.get(id) ?? []).map(({ emoji, count }) => ({ emoji, count }))
	const voting = exportVotingSessions(input.votingSessions ?? [])
	const pageRank = new Map(containment.pageOrder.map((id, i) => [id, i]))
	const rankOf = (pageId: string) => pageRank.get(pageId) ?? Number.MAX_SAFE_INTEGER

	// Sort keys are computed once per entry; the comparator only compares numbers and ids.
	const byReadingOrder = <T extends { rank: number; pageId: string; x: number; y: number; id: string }>(a: T, b: T) =>
		a.rank - b.rank ||
		(a.rank === Number.MAX_SAFE_INTEGER ? compareStrings(a.pageId, b.pageId) : 0) ||
		a.y - b.y ||
		a.x - b.x ||
		compareStrings(a.id, b.id)

	// Items, in reading order (page, then top to bottom, left to right).
	const placedNotes: { note: NotePlacement; rank: number; id: string; pageId: string; x: number; y: number }[] = containment.notes.map(
		(note) => ({ note, rank: rankOf(note.pageId), id: note.id, pageId: note.pageId, x: roundCoordinate(note.origin.x), y: roundCoordinate(note.origin.y) }),
	)
	placedNotes.sort(byReadingOrder)
	const vision: ExportVision = { opportunity: [], willingnessToPay: [], existingSolutions: [], successMeasure: [] }
	const metas: ItemMeta[] = []
	const items: ExportItem[] = placedNotes.map(({ note, x, y }) => {
		const { meta } = parseItemMeta(note.record.meta)
		metas.push(meta)
		const props = noteProps(note.record)
		const text = noteText(props)
		return {
			id: note.id,
			kind: meta.kind,
			text,
			tags: meta.tags,
			author: meta.author,
			createdAt: iso(meta.createdAt),
			updatedAt: iso(meta.updatedAt),
			themeId: note.themeId,
			lane: note.lane,
			rice: exportRice(meta),
			votes: voting.byItem.get(note.id) ?? null,
			jtbd: exportJtbd(meta, text),
			quadrant: note.quadrant,
			// note.rotation is the page transform's angle: the note's own rotation composed with its frames'.
			position: { x, y, pageId: note.pageId, rotation: roundRotation(note.rotation), scale: exportScale(props), growY: exportGrowY(props) },
			color: exportColor(props, meta.kind),
			// Filled in below, once the links are known.
			importance: null,
			experiment: exportExperiment(meta),
			mvp: meta.kind === 'feature' && (note.inMvpScope || meta.mvp),
			comments: exportComments(threadsOf.get(note.id)),
			reactions: reactionsOf(note.id),
			...exportLifecycle(note.record.meta),
		}
	})
	placedNotes.forEach(({ note }, i) => {
		if (note.visionPrompt) vision[note.visionPrompt].push(items[i].id)
	})

	// Frames (layout), outer before inner, then reading order.
	const placedFrames = containment.frames
		.filter((frame) => frame.w > 0 && frame.h > 0)
		.map((frame) => ({ frame, rank: rankOf(frame.pageId), id: frame.id, pageId: frame.pageId, x: roundCoordinate(frame.origin.x), y: roundCoordinate(frame.origin.y) }))
	placedFrames.sort((a, b) => a.frame.depth - b.frame.depth || byReadingOrder(a, b))
	const exportedFrameIds = new Set(placedFrames.map((f) => f.id))
	const frames: ExportFrame[] = placedFrames.map(({ frame, x, y }) => ({
		id: frame.id,
		name: frame.name.slice(0, 1000),
		pageId: frame.pageId,
		parentFrameId: frame.ancestorIds.find((id) => exportedFrameIds.has(id)) ?? null,
		x,
		y,
		w: roundCoordinate(frame.w) || 0.01,
		h: roundCoordinate(frame.h) || 0.01,
		rotation: roundRotation(frame.rotation),
		lane: frame.meta.lane,
		stage: frame.meta.stage,
		defaultKind: frame.meta.defaultKind,
		matrix: frame.meta.matrix,
		visionPrompt: frame.meta.visionPrompt,
		mvpScope: frame.meta.mvpScope,
		comments: exportComments(threadsOf.get(frame.id)),
	}))

	// Themes, in reading order of their frames.
	const itemIdsByTheme = new Map<string, string[]>()
	for (const item of items) {
		if (item.themeId === null) continue
		const list = itemIdsByTheme.get(item.themeId)
		if (list) list.push(item.id)
		else itemIdsByTheme.set(item.themeId, [item.id])
	}
	const themeFrames: { frame: FrameInfo; rank: number; id: string; pageId: string; x: number; y: number }[] = containment.frames
		.filter((frame) => frame.meta.theme !== null)
		.map((frame) => ({ frame, rank: rankOf(frame.pageId), id: frame.id, pageId: frame.pageId, x: roundCoordinate(frame.origin.x), y: roundCoordinate(frame.origin.y) }))
	themeFrames.sort(byReadingOrder)
	const themes: ExportTheme[] = themeFrames.map(({ frame }) => {
		const theme = frame.meta.theme!
		return {
			id: frame.id,
			title: (theme.title.trim() || frame.name).slice(0, 200),
			description: theme.description,
			goal: { ...theme.goal },
			lane: containment.themeLanes.get(frame.id) ?? null,
			itemIds: itemIdsByTheme.get(frame.id) ?? [],
		}
	})

	const lanes = LANES.map((lane) => ({
		id: lane,
		themeIds: themes.filter((theme) => theme.lane === lane).map((theme) => theme.id),
	}))

	// Links: ends are items, themes or exported frames; importance sums the supports weights.
	const endOrder = new Map<string, number>()
	for (const end of [...items, ...themes, ...frames]) if (!endOrder.has(end.id)) endOrder.set(end.id, endOrder.size)
	const relations = exportRelations(readRelations(input.records).relations, endOrder)
	const importance = computeImportance(relations)
	for (const item of items) if (IMPORTANCE_KINDS.includes(item.kind)) item.importance = importance.get(item.id) ?? 0

	const exportedAt = (typeof input.now === 'number' ? new Date(input.now) : input.now).toISOString()
	const board: BoardExport['board'] = { id: input.boardId, title: input.title, exportedAt }
	if (input.template) board.template = input.template
	const kpis = exportKpis(items, metas, relations)
	const estimationRounds = exportEstimationRounds(input.estimationRounds ?? [])
	return { schemaVersion: BOARD_EXPORT_SCHEMA_VERSION, board, items, themes, lanes, frames, votingSessions: voting.sessions, relations, vision, kpis, estimationRounds }
}
