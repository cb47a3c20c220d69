/**
 * The stakeholder roadmap page's content (client/roadmap/), derived from a
 * board export and nothing else: the page builds the export with the same
 * builder as the JSON download (shared/export/build.ts) and reads it here, so
 * no score, lane, MVP flag or vote total is computed twice.
 * Pure: the same export always gives the same view.
 */
import { LANE_LABELS, LANES, type Lane } from '../items/frameMeta'
import { ITEM_KIND_INFO, type ItemKind } from '../items/kinds'
import { formatKpiValue, KPI_STATUS_LABELS } from '../items/kpi'
import { rankByRice } from '../items/rice'
import { riceOf } from '../export/markdown'
import type { BoardExport, ExportComment, ExportItem, ExportTheme } from '../export/schema'

/** How many ranked features the page lists (the rest are in the export). */
export const ROADMAP_TOP_FEATURES = 10
/** How many items of a theme the page names under it. */
export const ROADMAP_ITEMS_PER_THEME = 5

export interface RoadmapItem {
	id: string
	kind: ItemKind
	kindLabel: string
	text: string
	/** RICE score, null while incomplete. */
	rice: number | null
	/** 1-based rank among features/ideas with a complete RICE; null otherwise. */
	rank: number | null
	/** Sum of the weights of the insights that support it (ideas and features); null for other kinds. */
	importance: number | null
	/** Dots over all closed voting sessions; 0 when never voted on. */
	votes: number
}

export interface RoadmapKpi {
	id: string
	text: string
	/** True when the KPI is linked to the theme by a `measures` arrow, false when it only sits inside the theme. */
	linked: boolean
	/** Where it stands, from the export's `kpis[]`: e.g. "3,000 € of ≥ 5,000 € · target not met · 50%". */
	progress: string | null
	status: 'met' | 'not-met' | 'no-target' | 'no-data'
}

export interface RoadmapTheme {
	id: string
	title: string
	description: string
	goal: { metric: string; target: string; northStar: boolean }
	itemCount: number
	/** The first items in reading order. */
	items: RoadmapItem[]
	/** KPIs that measure the theme's goal. */
	kpis: RoadmapKpi[]
}

export interface RoadmapLane {
	/** null: themes not placed in a lane yet. */
	lane: Lane | null
	label: string
	themes: RoadmapTheme[]
}

export interface RoadmapQuestion {
	/** The sticky or frame the thread is on. */
	targetId: string
	targetLabel: string
	comments: ExportComment[]
}

export interface RoadmapView {
	title: string
	exportedAt: string
	northStar: { themeTitle: string; metric: string; target: string } | null
	lanes: RoadmapLane[]
	mvp: RoadmapItem[]
	topFeatures: RoadmapItem[]
	/** Ideas and features still without a complete RICE. */
	unestimated: number
	openQuestions: RoadmapQuestion[]
	/** Closed voting sessions (for the "votes from" line). */
	votingSessions: { id: string; title: string; closedAt: string; voterCount: number }[]
}

const RANKED_KINDS: readonly ItemKind[] = ['feature', 'idea']

export function roadmapFromExport(data: BoardExport): RoadmapView {
	// Discarded ideas are decided against: stakeholders see what is still in play.
	const ranked = rankByRice(
		data.items.filter((item) => RANKED_KINDS.includes(item.kind) && item.status !== 'discarded'),
		riceOf,
	)
	const rankOf = new Map(ranked.map((r) => [r.item.id, r.rank]))
	const itemsById = new Map(data.items.map((item) => [item.id, item]))
	const view = (item: ExportItem): RoadmapItem => ({
		id: item.id,
		kind: item.kind,
		kindLabel: ITEM_KIND_INFO[item.kind].label,
		text: item.text,
		rice: item.rice.score,
		rank: rankOf.get(item.id) ?? null,
		importance: item.importance,
		votes: item.votes?.total ?? 0,
	})

	const measuredBy = new Map<string, string[]>()
	for (const relation of data.relations) {
		if (relation.type !== 'measures') continue
		const list = measuredBy.get(relation.to) ?? []
		list.push(relation.from)
		measuredBy.set(relation.to, list)
	}
	const kpisById = new Map(data.kpis.map((kpi) => [kpi.itemId, kpi]))
	const kpiProgress = (id: string): Pick<RoadmapKpi, 'progress' | 'status'> => {
		const kpi = kpisById.get(id)
		if (!kpi) return { progress: null, status: 'no-data' }
		const parts = [
			kpi.latest ? formatKpiValue(kpi.latest.value, kpi.unit) : null,
			kpi.target !== null ? `target ${kpi.direction === 'decrease' ? '≤' : '≥'} ${formatKpiValue(kpi.target, kpi.unit)}` : null,
			KPI_STATUS_LABELS[kpi.status],
			kpi.progress !== null && kpi.status === 'not-met' ? `${Math.round(kpi.progress * 100)}% of the way` : null,
		].filter((part): part is string => part !== null)
		return { progress: parts.join(' · '), status: kpi.status }
	}
	const themeView = (theme: ExportTheme): RoadmapTheme => {
		const linked = (measuredBy.get(theme.id) ?? []).filter((id) => itemsById.get(id)?.kind === 'kpi')
		const inside = theme.itemIds.filter((id) => itemsById.get(id)?.kind === 'kpi' && !linked.includes(id))
		const kpis = [...linked.map((id) => ({ id, linked: true })), ...inside.map((id) => ({ id, linked: false }))].map(({ id, linked: isLinked }) => ({
			id,
			text: itemsById.get(id)!.text,
			linked: isLinked,
			...kpiProgress(id),
		}))
		return {
			id: theme.id,
			title: theme.title || 'Untitled theme',
			description: theme.description,
			goal: { ...theme.goal },
			itemCount: theme.itemIds.length,
			items: theme.itemIds
				.map((id) => itemsById.get(id))
				.filter((item): item is ExportItem => item !== undefined && item.kind !== 'kpi')
				.slice(0, ROADMAP_ITEMS_PER_THEME)
				.map(view),
			kpis,
		}
	}
	const lanes: RoadmapLane[] = [...LANES, null].map((lane) => ({
		lane,
		label: lane ? LANE_LABELS[lane] : 'Not on the roadmap yet',
		themes: data.themes.filter((theme) => theme.lane === lane).map(themeView),
	}))

	const north = data.themes.find((theme) => theme.goal.northStar)
	const shapes = [
		...data.items.map((item) => ({ id: item.id, label: item.text.trim() || '(empty sticky)', comments: item.comments })),
		...data.frames.map((frame) => ({ id: frame.id, label: `Frame ${frame.name.trim() || '(unnamed)'}`, comments: frame.comments })),
	]
	return {
		title: data.board.title,
		exportedAt: data.board.exportedAt,
		northStar: north ? { themeTitle: north.title, metric: north.goal.metric, target: north.goal.target } : null,
		lanes: lanes.filter((lane) => lane.lane !== null || lane.themes.length > 0),
		mvp: data.items.filter((item) => item.mvp).map(view),
		topFeatures: ranked
			.filter((r) => r.rank !== null)
			.slice(0, ROADMAP_TOP_FEATURES)
			.map((r) => view(r.item)),
		unestimated: ranked.filter((r) => r.rank === null).length,
		openQuestions: shapes
			.map((shape) => ({ targetId: shape.id, targetLabel: shape.label, comments: shape.comments.filter((c) => !c.resolved) }))
			.filter((shape) => shape.comments.length > 0),
		votingSessions: data.votingSessions.map((s) => ({ id: s.id, title: s.title, closedAt: s.closedAt, voterCount: s.voterCount })),
	}
}
