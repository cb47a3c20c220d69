/**
 * Markdown stakeholder summary of a board export: the Vision answers, the
 * roadmap (themes with goals by Now / Next / Later), the MVP (features with
 * RICE, importance, the experiments and evidence they rest on, the KPIs that
 * measure them), items ranked by RICE with their importance, the experiments,
 * the jobs-to-be-done list, and the ranked results of each closed voting
 * session. Sections a board has nothing for (vision, MVP, experiments, votes)
 * are left out.
 */
import { EXPERIMENT_RESULT_LABELS } from '../items/experiment'
import { LANE_LABELS, LANES, VISION_PROMPT_KEYS, VISION_PROMPT_LABELS, type Lane } from '../items/frameMeta'
import { ITEM_KIND_INFO } from '../items/kinds'
import { formatKpiValue, KPI_STATUS_LABELS } from '../items/kpi'
import { formatRiceScore, IMPACT_LABELS, rankByRice, type Impact, type RiceResult } from '../items/rice'
import { opportunityTree } from './opportunityTree'
import type { BoardExport, ExportEstimationRound, ExportItem, ExportKpi, ExportRelation, ExportTheme, ExportVotingSession } from './schema'

/** Escapes text for inline Markdown (and table cells): one line, special characters escaped. */
export function escapeMarkdown(text: string): string {
	return text
		.replace(/\s*\n\s*/gu, ' / ')
		.trim()
		.replace(/([\\`*_[\]<>|~])/gu, '\\$1')
}

function shorten(text: string, max = 140): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function itemLabel(item: ExportItem): string {
	return escapeMarkdown(shorten(item.text)) || '_(empty)_'
}

function goalLine(theme: ExportTheme): string | null {
	const { metric, target, northStar } = theme.goal
	if (!metric && !target) return null
	const parts = [metric && `**${escapeMarkdown(metric)}**`, target && `target ${escapeMarkdown(target)}`].filter(Boolean)
	return `Goal: ${parts.join(' — ')}${northStar ? ' ★ North Star' : ''}`
}

/** The RICE of an exported item in the shape the rankers take (shared with the roadmap page). */
export function riceOf(item: ExportItem): RiceResult {
	const { reach, impact, confidence, effort, score } = item.rice
	if (item.rice.status === 'complete' && reach !== null && impact !== null && confidence !== null && effort !== null && score !== null) {
		return { status: 'complete', reach, impact, confidence, effort, score }
	}
	const missing = (['reach', 'impact', 'confidence', 'effort'] as const).filter((f) => item.rice[f] === null)
	return { status: 'incomplete', missing, invalid: [], values: {} }
}

/** "KPIs: 1 of 2 met · 62% of the way": the KPIs that measure the theme, as its frame shows them. */
function themeKpiProgress(data: BoardExport, themeId: string): string | null {
	const kpis = data.kpis.filter((kpi) => kpi.measures.includes(themeId))
	if (kpis.length === 0) return null
	const met = kpis.filter((kpi) => kpi.status === 'met').length
	const shares = kpis.map((kpi) => kpi.progress).filter((p) => p !== null)
	const mean = shares.length ? ` · ${Math.round((shares.reduce((a, b) => a + b, 0) / shares.length) * 100)}% of the way` : ''
	return `KPIs: ${met} of ${kpis.length} met${mean}`
}

function themeSection(data: BoardExport, lines: string[]): void {
	const itemsById = new Map(data.items.map((item) => [item.id, item]))
	const byLane = new Map<Lane | null, ExportTheme[]>()
	for (const theme of data.themes) {
		const list = byLane.get(theme.lane) ?? []
		list.push(theme)
		byLane.set(theme.lane, list)
	}
	lines.push('## Roadmap', '')
	if (data.themes.length === 0) {
		lines.push('_No themes yet._', '')
		return
	}
	for (const lane of [...LANES, null] as const) {
		const themes = byLane.get(lane)
		if (!themes?.length) continue
		lines.push(`### ${lane ? LANE_LABELS[lane] : 'Not on the roadmap yet'}`, '')
		for (const theme of themes) {
			lines.push(`- **${escapeMarkdown(theme.title) || 'Untitled theme'}** (${theme.itemIds.length} item${theme.itemIds.length === 1 ? '' : 's'})`)
			if (theme.description) lines.push(`  ${escapeMarkdown(theme.description)}`)
			const goal = goalLine(theme)
			if (goal) lines.push(`  ${goal}`)
			const progress = themeKpiProgress(data, theme.id)
			if (progress) lines.push(`  ${progress}`)
			for (const id of theme.itemIds.slice(0, 10)) {
				const item = itemsById.get(id)
				if (item) lines.push(`  - ${ITEM_KIND_INFO[item.kind].label}: ${itemLabel(item)}`)
			}
			if (theme.itemIds.length > 10) lines.push(`  - …and ${theme.itemIds.length - 10} more`)
		}
		lines.push('')
	}
}

function riceSection(data: BoardExport, lines: string[]): void {
	const candidates = data.items.filter(
		(item) => item.kind === 'idea' || item.kind === 'feature' || Object.values(item.rice).some((v) => typeof v === 'number'),
	)
	lines.push('## Prioritised by RICE', '')
	if (candidates.length === 0) {
		lines.push('_No ideas or features yet._', '')
		return
	}
	const ranked = rankByRice(candidates, riceOf)
	const complete = ranked.filter((r) => r.rank !== null)
	if (complete.length > 0) {
		lines.push('| # | Item | Kind | Score | Reach | Impact | Confidence | Effort | Importance |', '|---|---|---|---|---|---|---|---|---|')
		for (const { item, rice, rank } of complete) {
			if (rice.status !== 'complete') continue
			lines.push(
				`| ${rank} | ${itemLabel(item)} | ${ITEM_KIND_INFO[item.kind].label} | ${formatRiceScore(rice.score)} | ${rice.reach} | ${rice.impact} (${IMPACT_LABELS[rice.impact as Impact]}) | ${rice.confidence}% | ${rice.effort} | ${item.importance ?? '—'} |`,
			)
		}
		lines.push('')
	}
	const incomplete = ranked.filter((r) => r.rank === null)
	if (incomplete.length > 0) {
		lines.push('Not yet estimated (incomplete RICE):', '')
		for (const { item, rice } of incomplete) {
			const missing = rice.status === 'incomplete' ? rice.missing.join(', ') : ''
			lines.push(`- ${itemLabel(item)} — missing ${missing}`)
		}
		lines.push('')
	}
}

function jtbdSection(data: BoardExport, lines: string[]): void {
	const jobs = data.items.filter((item) => item.jtbd !== null)
	lines.push('## Jobs to be done', '')
	if (jobs.length === 0) {
		lines.push('_No jobs-to-be-done yet._', '')
		return
	}
	for (const item of jobs) {
		const j = item.jtbd!
		const part = (value: string | null) => (value ? escapeMarkdown(value) : '_missing_')
		const persona = j.persona ? ` (${escapeMarkdown(j.persona)})` : ''
		lines.push(
			`- **When** ${part(j.situation)}, **I want to** ${part(j.motivation)}, **so I can** ${part(j.outcome)}${persona}${j.status === 'incomplete' ? ' — _incomplete_' : ''}`,
		)
	}
	lines.push('')
}

/** "2025-01-15 12:00 UTC" from an ISO time. */
function utcMinute(isoTime: string): string {
	return `${isoTime.slice(0, 10)} ${isoTime.slice(11, 16)} UTC`
}

function votingSessionLines(session: ExportVotingSession, itemsById: ReadonlyMap<string, ExportItem>, lines: string[]): void {
	lines.push(`### ${escapeMarkdown(session.title) || 'Untitled vote'}`, '')
	const dots = `${session.totalDots} dot${session.totalDots === 1 ? '' : 's'}`
	const voters = `${session.voterCount} voter${session.voterCount === 1 ? '' : 's'}`
	const onTime = session.closedBy === 'schedule' ? ' (at its closing time)' : session.closesAt ? ` (early; was to close ${utcMinute(session.closesAt)})` : ''
	const turnout = session.turnout ? ` · turnout ${session.turnout.voters} of ${session.turnout.joined}` : ''
	lines.push(`Closed ${utcMinute(session.closedAt)}${onTime} · ${dots} from ${voters}${turnout} · ${session.anonymous ? 'anonymous' : 'named'}`, '')
	if (session.results.length === 0) {
		lines.push('_No dots were placed._', '')
		return
	}
	lines.push('| Rank | Item | Kind | Dots |', '|---|---|---|---|')
	for (const result of session.results) {
		const item = itemsById.get(result.itemId)
		// Results are a record of the vote: an item deleted since keeps its place in the ranking.
		const label = item ? itemLabel(item) : '_(no longer on the board)_'
		lines.push(`| ${result.rank} | ${label} | ${item ? ITEM_KIND_INFO[item.kind].label : '—'} | ${result.count} |`)
	}
	lines.push('')
}

function votesSection(data: BoardExport, lines: string[]): void {
	// Boards that never closed a vote get no section (most boards; the summary stays short).
	if (data.votingSessions.length === 0) return
	const itemsById = new Map(data.items.map((item) => [item.id, item]))
	lines.push('## Vote results', '')
	for (const session of data.votingSessions) votingSessionLines(session, itemsById, lines)
}

function visionSection(data: BoardExport, itemsById: ReadonlyMap<string, ExportItem>, lines: string[]): void {
	if (VISION_PROMPT_KEYS.every((prompt) => data.vision[prompt].length === 0)) return
	lines.push('## Vision', '')
	for (const prompt of VISION_PROMPT_KEYS) {
		lines.push(`### ${VISION_PROMPT_LABELS[prompt]}`, '')
		const answers = data.vision[prompt].map((id) => itemsById.get(id)).filter((item) => item !== undefined)
		if (answers.length === 0) lines.push('_Not answered yet._')
		for (const item of answers) lines.push(`- ${ITEM_KIND_INFO[item.kind].label}: ${itemLabel(item)}`)
		lines.push('')
	}
}

function experimentState(item: ExportItem): string {
	const result = item.experiment?.result
	return result ? EXPERIMENT_RESULT_LABELS[result].toLowerCase() : 'no result yet'
}

function experimentLine(item: ExportItem): string {
	const e = item.experiment
	const details = [e?.metric && `metric ${escapeMarkdown(e.metric)}`, e?.threshold && `threshold ${escapeMarkdown(e.threshold)}`].filter(Boolean).join(', ')
	return `${itemLabel(item)} — **${experimentState(item)}**${details ? ` (${details})` : ''}`
}

interface Links {
	into: ReadonlyMap<string, ExportRelation[]>
	outOf: ReadonlyMap<string, ExportRelation[]>
}

function linksOf(relations: readonly ExportRelation[]): Links {
	const into = new Map<string, ExportRelation[]>()
	const outOf = new Map<string, ExportRelation[]>()
	for (const relation of relations) {
		for (const [map, key] of [[into, relation.to], [outOf, relation.from]] as const) {
			const list = map.get(key)
			if (list) list.push(relation)
			else map.set(key, [relation])
		}
	}
	return { into, outOf }
}

function mvpSection(data: BoardExport, itemsById: ReadonlyMap<string, ExportItem>, links: Links, lines: string[]): void {
	const features = data.items.filter((item) => item.mvp)
	if (features.length === 0) return
	const themesById = new Map(data.themes.map((theme) => [theme.id, theme]))
	lines.push('## MVP', '')
	lines.push(`${features.length} feature${features.length === 1 ? '' : 's'} in the first release.`, '')
	for (const feature of features) {
		const score = feature.rice.score !== null ? `RICE ${formatRiceScore(feature.rice.score)}` : 'RICE incomplete'
		lines.push(`- **${itemLabel(feature)}** — ${score} · importance ${feature.importance ?? 0}`)
		const incoming = links.into.get(feature.id) ?? []
		const from = (type: ExportRelation['type']) => incoming.filter((r) => r.type === type).map((r) => ({ relation: r, item: itemsById.get(r.from) }))
		for (const { item } of from('tests')) if (item) lines.push(`  - Experiment: ${experimentLine(item)}`)
		for (const { item, relation } of from('supports')) if (item) lines.push(`  - Evidence: ${itemLabel(item)} (weight ${relation.weight ?? 1})`)
		// Assumptions: open questions and risks linked to the feature either way.
		const related = [...incoming.map((r) => r.from), ...(links.outOf.get(feature.id) ?? []).map((r) => r.to)]
		for (const id of related) {
			const item = itemsById.get(id)
			if (item?.kind === 'question') lines.push(`  - Assumption: ${itemLabel(item)}`)
		}
		for (const relation of links.outOf.get(feature.id) ?? []) {
			const item = relation.type === 'solves' ? itemsById.get(relation.to) : undefined
			if (item) lines.push(`  - Solves: ${itemLabel(item)}`)
		}
		// KPIs that measure the feature, or the theme it belongs to.
		const measured = [...from('measures'), ...(feature.themeId ? (links.into.get(feature.themeId) ?? []).filter((r) => r.type === 'measures').map((r) => ({ relation: r, item: itemsById.get(r.from) })) : [])]
		for (const { item, relation } of measured) {
			if (!item) continue
			const viaTheme = relation.to !== feature.id ? ` (theme ${escapeMarkdown(themesById.get(relation.to)?.title ?? '')})` : ''
			lines.push(`  - Measured by: ${itemLabel(item)}${viaTheme}`)
		}
	}
	lines.push('')
}

function experimentsSection(data: BoardExport, itemsById: ReadonlyMap<string, ExportItem>, links: Links, lines: string[]): void {
	const experiments = data.items.filter((item) => item.kind === 'experiment')
	if (experiments.length === 0) return
	lines.push('## Experiments', '')
	for (const experiment of experiments) {
		const tested = (links.outOf.get(experiment.id) ?? []).filter((r) => r.type === 'tests').map((r) => itemsById.get(r.to)).filter((item) => item !== undefined)
		lines.push(`- ${experimentLine(experiment)}`)
		if (experiment.experiment?.hypothesis) lines.push(`  Hypothesis: ${escapeMarkdown(experiment.experiment.hypothesis)}`)
		if (tested.length > 0) lines.push(`  Tests: ${tested.map(itemLabel).join('; ')}`)
	}
	lines.push('')
}

/** Outcome → opportunities → solutions → experiments, as nested lists (left out when no branch is linked). */
function opportunityTreeSection(data: BoardExport, itemsById: ReadonlyMap<string, ExportItem>, lines: string[]): void {
	const tree = opportunityTree(data)
	if (tree.length === 0) return
	const label = (id: string) => {
		const item = itemsById.get(id)
		return item ? itemLabel(item) : '_(missing)_'
	}
	lines.push('## Opportunity solution tree', '')
	for (const outcome of tree) {
		lines.push(`- **Outcome:** ${outcome.id === null ? '_(not linked to an outcome yet)_' : label(outcome.id)}`)
		for (const opportunity of outcome.opportunities) {
			lines.push(`  - Opportunity: ${label(opportunity.id)}`)
			for (const solution of opportunity.solutions) {
				lines.push(`    - Solution: ${label(solution.id)}`)
				for (const id of solution.experimentIds) {
					const experiment = itemsById.get(id)
					lines.push(`      - Experiment: ${experiment ? experimentLine(experiment) : label(id)}`)
				}
			}
		}
	}
	lines.push('')
}

/**
 * Open comment threads, per sticky or frame in export order: the opening comment, then its
 * replies indented. Resolved threads are left out (they are answered).
 */
function openQuestionsSection(data: BoardExport, lines: string[]): void {
	const shapes: { label: string; comments: BoardExport['items'][number]['comments'] }[] = [
		...data.items.map((item) => ({ label: itemLabel(item), comments: item.comments })),
		...data.frames.map((frame) => ({ label: `Frame ${escapeMarkdown(shorten(frame.name)) || '_(unnamed)_'}`, comments: frame.comments })),
	]
	const open = shapes.map((shape) => ({ ...shape, comments: shape.comments.filter((c) => !c.resolved) })).filter((shape) => shape.comments.length > 0)
	if (open.length === 0) return
	lines.push('## Open questions', '')
	for (const shape of open) {
		lines.push(`- **${shape.label}**`)
		for (const comment of shape.comments) {
			const who = escapeMarkdown(comment.author) || 'Anonymous'
			lines.push(`${comment.reply ? '    - ↳' : '  -'} ${escapeMarkdown(comment.text.replace(/\s+/gu, ' '))} — ${who}, ${comment.createdAt.slice(0, 10)}`)
		}
	}
	lines.push('')
}

const SPARK = '▁▂▃▄▅▆▇█'

/** The series as a text sparkline (▁▃▆█), readable in any Markdown viewer. */
export function textSparkline(values: readonly number[]): string {
	if (values.length === 0) return ''
	const min = Math.min(...values)
	const max = Math.max(...values)
	return values.map((v) => SPARK[max === min ? 3 : Math.round(((v - min) / (max - min)) * (SPARK.length - 1))]).join('')
}

function kpiLine(kpi: ExportKpi, item: ExportItem | undefined, themesById: ReadonlyMap<string, ExportTheme>, itemsById: ReadonlyMap<string, ExportItem>): string[] {
	const name = kpi.metric ? escapeMarkdown(kpi.metric) : item ? itemLabel(item) : '_(unnamed KPI)_'
	const value = (v: number) => escapeMarkdown(formatKpiValue(v, kpi.unit))
	const parts = [
		kpi.latest ? `latest ${value(kpi.latest.value)} (${kpi.latest.date})` : 'no measurements yet',
		kpi.baseline !== null ? `baseline ${value(kpi.baseline)}` : null,
		kpi.target !== null ? `target ${kpi.direction === 'decrease' ? '≤' : '≥'} ${value(kpi.target)}` : null,
	].filter(Boolean)
	const status = kpi.status === 'met' ? '✅ target met' : kpi.status === 'not-met' ? `❌ target not met${kpi.progress !== null ? ` (${Math.round(kpi.progress * 100)}% of the way)` : ''}` : KPI_STATUS_LABELS[kpi.status]
	const lines = [`- **${name}** — ${parts.join(' · ')} — ${status}`]
	if (kpi.measurements.length > 1) lines.push(`  Trend: ${textSparkline(kpi.measurements.map((m) => m.value))} (${kpi.measurements.length} measurements, ${kpi.measurements[0].date} → ${kpi.measurements.at(-1)!.date})`)
	const measured = kpi.measures
		.map((id) => {
			const theme = themesById.get(id)
			if (theme) return `theme ${escapeMarkdown(theme.title) || 'Untitled theme'}`
			const target = itemsById.get(id)
			return target ? itemLabel(target) : null
		})
		.filter((t) => t !== null)
	if (measured.length > 0) lines.push(`  Measures: ${measured.join('; ')}`)
	return lines
}

function kpisSection(data: BoardExport, itemsById: ReadonlyMap<string, ExportItem>, lines: string[]): void {
	if (data.kpis.length === 0) return
	const themesById = new Map(data.themes.map((theme) => [theme.id, theme]))
	lines.push('## KPIs', '')
	for (const kpi of data.kpis) lines.push(...kpiLine(kpi, itemsById.get(kpi.itemId), themesById, itemsById))
	lines.push('')
}

type Spread = ExportEstimationRound['items'][number]['reach']
const ESTIMATED_FIELDS = ['reach', 'impact', 'confidence', 'effort'] as const

function spreadCell(spread: Spread): string {
	if (spread === null) return '—'
	return spread.min === spread.max ? `${spread.median}` : `${spread.min} – **${spread.median}** – ${spread.max}`
}

function estimationSection(data: BoardExport, itemsById: ReadonlyMap<string, ExportItem>, lines: string[]): void {
	if (data.estimationRounds.length === 0) return
	lines.push('## Estimation', '')
	for (const round of data.estimationRounds) {
		lines.push(`### ${escapeMarkdown(round.title) || 'Untitled round'}`, '')
		lines.push(`Revealed ${utcMinute(round.revealedAt)} · ${round.estimatorCount} estimator${round.estimatorCount === 1 ? '' : 's'} · ${round.anonymous ? 'anonymous' : 'named'} · min – **median** – max`, '')
		lines.push('| Item | Reach | Impact | Confidence | Effort | Accepted RICE |', '|---|---|---|---|---|---|')
		const outlierLines: string[] = []
		for (const entry of round.items) {
			const item = itemsById.get(entry.itemId)
			const label = item ? itemLabel(item) : '_(no longer on the board)_'
			const accepted = entry.accepted ? `${entry.accepted.reach} × ${entry.accepted.impact} × ${entry.accepted.confidence}% / ${entry.accepted.effort}` : '—'
			lines.push(`| ${label} | ${ESTIMATED_FIELDS.map((f) => spreadCell(entry[f])).join(' | ')} | ${accepted} |`)
			for (const field of ESTIMATED_FIELDS) {
				const outliers = entry[field]?.outliers ?? []
				if (outliers.length > 0) outlierLines.push(`- ${label}, ${field}: ${outliers.map((o) => `${escapeMarkdown(o.name) || 'someone'} (${o.value})`).join(', ')}`)
			}
		}
		lines.push('')
		if (outlierLines.length > 0) lines.push('Outliers (far from the median):', '', ...outlierLines, '')
	}
}

/** Stakeholder summary in Markdown. */
export function boardExportToMarkdown(data: BoardExport): string {
	const lines: string[] = []
	const kinds = new Map<string, number>()
	for (const item of data.items) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1)
	lines.push(`# ${escapeMarkdown(data.board.title) || 'Untitled board'}`, '')
	lines.push(
		`Exported ${data.board.exportedAt} · ${data.items.length} items · ${data.themes.length} themes`,
		'',
	)
	if (kinds.size > 0) {
		const summary = Object.values(ITEM_KIND_INFO)
			.filter((info) => kinds.has(info.kind))
			.map((info) => `${info.label}: ${kinds.get(info.kind)}`)
			.join(' · ')
		lines.push(summary, '')
	}
	const northStar = data.themes.find((theme) => theme.goal.northStar)
	if (northStar) lines.push(`**North Star:** ${escapeMarkdown(northStar.goal.metric || northStar.title)}${northStar.goal.target ? ` — target ${escapeMarkdown(northStar.goal.target)}` : ''}`, '')
	const itemsById = new Map(data.items.map((item) => [item.id, item]))
	const links = linksOf(data.relations)
	visionSection(data, itemsById, lines)
	themeSection(data, lines)
	mvpSection(data, itemsById, links, lines)
	kpisSection(data, itemsById, lines)
	riceSection(data, lines)
	opportunityTreeSection(data, itemsById, lines)
	experimentsSection(data, itemsById, links, lines)
	jtbdSection(data, lines)
	votesSection(data, lines)
	estimationSection(data, itemsById, lines)
	openQuestionsSection(data, lines)
	return lines.join('\n').replace(/\n+$/u, '\n')
}
