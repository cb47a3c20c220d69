/**
 * CSV rendering of a board export: one row per item, spreadsheet-friendly.
 *
 * RFC 4180: comma separator, CRLF line ends, fields with comma, quote, CR or
 * LF quoted and quotes doubled; a header row first. User text that a
 * spreadsheet would run as a formula (starting with = + - @, tab or CR) is
 * prefixed with an apostrophe (OWASP "CSV injection"). Numbers we format
 * ourselves (positions may be negative) are not text and are left alone.
 *
 * Columns are only ever added at the end, so spreadsheets and scripts that
 * address columns by position keep working. `votes` (reserved in version 1)
 * lists the item's closed voting sessions as "<title>: <dots> (#<rank>)"
 * joined by "; "; `votes_total` is the number of dots over all of them — 0
 * when the board has closed sessions but the item got no dot, empty when the
 * board has none.
 *
 * Version 4 appended `importance` (ideas and features), `mvp` (true/false),
 * `vision_prompt` (the Vision prompt the sticky answers), the experiment
 * fields, and `links`: the item's relations both ways as
 * "<type> <other id>" ("supported by shape:x (weight 2)") joined by "; ".
 *
 * Version 5 appended `open_threads` (open comment threads on the item),
 * `comments` (every comment as "<author>: <text>", replies prefixed "↳ ",
 * a resolved thread's comments suffixed " [resolved]", joined by "; ") and
 * `reactions` ("👍 2; 💡 1").
 * Version 6 appended the KPI columns (KPI items only): metric, unit,
 * baseline, target, direction, the latest value, the target status and the
 * series as "<date> <value>" joined by "; "; and `estimation`: the item's
 * revealed estimation rounds as "<title>: median R/I/C/E <r>/<i>/<c>/<e>"
 * (with ", accepted <r>/<i>/<c>/<e>" when the facilitator accepted one)
 * joined by "; ".
 *
 * Version 7 appended `status`, `status_reason` and the CD3 columns
 * `cd3_cost_of_delay`, `cd3_duration`, `cd3_score` (empty while incomplete).
 */
import { RELATION_TYPE_LABELS } from '../items/relations'
import type { BoardExport, ExportItem, ExportKpi, ExportRelation } from './schema'

type Cell = { text: string } | number | null

const FORMULA_START = /^[=+\-@\t\r]/u

function escapeCell(cell: Cell): string {
	if (cell === null) return ''
	let value = typeof cell === 'number' ? String(cell) : cell.text
	if (typeof cell !== 'number' && FORMULA_START.test(value)) value = `'${value}`
	return /[",\r\n]/u.test(value) ? `"${value.replace(/"/gu, '""')}"` : value
}

const text = (value: string | null | undefined): Cell => (value === null || value === undefined ? null : { text: value })

export const CSV_COLUMNS = [
	'id',
	'kind',
	'text',
	'tags',
	'author_id',
	'author_name',
	'created_at',
	'updated_at',
	'theme_id',
	'theme_title',
	'lane',
	'quadrant',
	'rice_reach',
	'rice_impact',
	'rice_confidence',
	'rice_effort',
	'rice_score',
	'rice_status',
	'jtbd_status',
	'jtbd_persona',
	'jtbd_situation',
	'jtbd_motivation',
	'jtbd_outcome',
	'votes',
	'page_id',
	'x',
	'y',
	'votes_total',
	'importance',
	'mvp',
	'vision_prompt',
	'experiment_hypothesis',
	'experiment_metric',
	'experiment_threshold',
	'experiment_result',
	'links',
	'open_threads',
	'comments',
	'reactions',
	'kpi_metric',
	'kpi_unit',
	'kpi_baseline',
	'kpi_target',
	'kpi_direction',
	'kpi_latest',
	'kpi_status',
	'kpi_measurements',
	'estimation',
	'status',
	'status_reason',
	'cd3_cost_of_delay',
	'cd3_duration',
	'cd3_score',
] as const

interface RowContext {
	themeTitles: ReadonlyMap<string, string>
	sessionTitles: ReadonlyMap<string, string>
	hasVotingSessions: boolean
	visionPrompts: ReadonlyMap<string, string>
	links: ReadonlyMap<string, string[]>
	kpis: ReadonlyMap<string, ExportKpi>
	estimation: ReadonlyMap<string, string[]>
}

function linkText(relation: ExportRelation, forward: boolean): string {
	const label = RELATION_TYPE_LABELS[relation.type][forward ? 'forward' : 'backward']
	const weight = relation.weight !== undefined ? ` (weight ${relation.weight})` : ''
	return `${label} ${forward ? relation.to : relation.from}${weight}`
}

function linksByEnd(relations: readonly ExportRelation[]): Map<string, string[]> {
	const links = new Map<string, string[]>()
	const add = (id: string, text: string) => {
		const list = links.get(id)
		if (list) list.push(text)
		else links.set(id, [text])
	}
	for (const relation of relations) {
		add(relation.from, linkText(relation, true))
		add(relation.to, linkText(relation, false))
	}
	return links
}

function votesBreakdown(item: ExportItem, sessionTitles: ReadonlyMap<string, string>): Cell {
	if (item.votes === null) return null
	return text(item.votes.bySession.map((s) => `${sessionTitles.get(s.sessionId) ?? s.sessionId}: ${s.count} (#${s.rank})`).join('; '))
}

function estimationByItem(data: BoardExport): Map<string, string[]> {
	const byItem = new Map<string, string[]>()
	const median = (s: { median: number } | null) => (s ? String(s.median) : '?')
	for (const round of data.estimationRounds) {
		for (const entry of round.items) {
			const a = entry.accepted
			const text = `${round.title}: median R/I/C/E ${[entry.reach, entry.impact, entry.confidence, entry.effort].map(median).join('/')}${a ? `, accepted ${a.reach}/${a.impact}/${a.confidence}/${a.effort}` : ''}`
			byItem.set(entry.itemId, [...(byItem.get(entry.itemId) ?? []), text])
		}
	}
	return byItem
}

function row(item: ExportItem, { themeTitles, sessionTitles, hasVotingSessions, visionPrompts, links, kpis, estimation }: RowContext): Cell[] {
	const kpi = kpis.get(item.id)
	return [
		text(item.id),
		text(item.kind),
		text(item.text),
		text(item.tags.join('; ')),
		text(item.author?.id),
		text(item.author?.name),
		text(item.createdAt),
		text(item.updatedAt),
		text(item.themeId),
		text(item.themeId ? themeTitles.get(item.themeId) : null),
		text(item.lane),
		text(item.quadrant),
		item.rice.reach,
		item.rice.impact,
		item.rice.confidence,
		item.rice.effort,
		item.rice.score,
		text(item.rice.status),
		text(item.jtbd?.status),
		text(item.jtbd?.persona),
		text(item.jtbd?.situation),
		text(item.jtbd?.motivation),
		text(item.jtbd?.outcome),
		votesBreakdown(item, sessionTitles),
		text(item.position.pageId),
		item.position.x,
		item.position.y,
		item.votes ? item.votes.total : hasVotingSessions ? 0 : null,
		item.importance,
		text(String(item.mvp)),
		text(visionPrompts.get(item.id)),
		text(item.experiment?.hypothesis),
		text(item.experiment?.metric),
		text(item.experiment?.threshold),
		text(item.experiment?.result),
		text(links.get(item.id)?.join('; ')),
		new Set(item.comments.filter((c) => !c.resolved).map((c) => c.threadId)).size,
		text(item.comments.length ? item.comments.map((c) => `${c.reply ? '↳ ' : ''}${c.author || 'Anonymous'}: ${c.text}${c.resolved ? ' [resolved]' : ''}`).join('; ') : null),
		text(item.reactions.length ? item.reactions.map((r) => `${r.emoji} ${r.count}`).join('; ') : null),
		text(kpi?.metric),
		text(kpi?.unit),
		kpi?.baseline ?? null,
		kpi?.target ?? null,
		text(kpi?.direction),
		kpi?.latest?.value ?? null,
		text(kpi?.status),
		text(kpi ? kpi.measurements.map((m) => `${m.date} ${m.value}`).join('; ') : null),
		text(estimation.get(item.id)?.join('; ')),
		text(item.status),
		text(item.statusReason),
		item.cd3.costOfDelay,
		item.cd3.duration,
		item.cd3.score,
	]
}

/** The export as CSV text (header + one row per item, CRLF line ends, trailing CRLF). */
export function boardExportToCsv(data: BoardExport): string {
	const context: RowContext = {
		themeTitles: new Map(data.themes.map((theme) => [theme.id, theme.title])),
		sessionTitles: new Map(data.votingSessions.map((session) => [session.id, session.title])),
		hasVotingSessions: data.votingSessions.length > 0,
		visionPrompts: new Map(Object.entries(data.vision).flatMap(([prompt, ids]) => ids.map((id) => [id, prompt] as const))),
		links: linksByEnd(data.relations),
		kpis: new Map(data.kpis.map((kpi) => [kpi.itemId, kpi])),
		estimation: estimationByItem(data),
	}
	const lines = [CSV_COLUMNS.join(',')]
	for (const item of data.items) lines.push(row(item, context).map(escapeCell).join(','))
	return lines.join('\r\n') + '\r\n'
}
