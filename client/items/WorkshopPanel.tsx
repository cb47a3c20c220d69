/**
 * The workshop side panel: RICE ranking (sortable by importance), tags (filter/highlight), theme
 * suggestions and export. Everything is computed live from the store.
 */
import { useMemo, useState } from 'react'
import { useEditor, useValue, type Editor, type TLFrameShape, type TLNoteShape, type TLShapeId } from 'tldraw'
import {
	ITEM_KIND_INFO,
	computeRice,
	formatRiceScore,
	parseItemMeta,
	rankByRice,
	suggestClusters,
	tagColor,
	FrameMetaKey,
	type SuggestedCluster,
} from '../../shared/items'
import { richTextToPlainText } from '../../shared/text/richText'
import { computeCd3, formatCd3Score, rankByCd3, readLifecycle, type Cd3Result } from '../../shared/items/lifecycle'
import { exportFromEditor, exportImage, fileBaseName, downloadBlob, renderExport } from './boardExport'
import { FacilitatorPanel } from '../session/FacilitatorPanel'
import { useSessionContext } from '../session/SessionContext'
import { VoteResultsPanel } from '../session/VoteResultsPanel'
import { createThemeFrame, themeSize } from './themeFrames'
import { highlightedTag, openPanel, type WorkshopPanel as PanelId } from './boardUi'
import { useEditBlockedReason } from './editBlockedReason'
import { SearchPanel } from '../search/SearchPanel'
import { CommentsPanel, CommentsTabCount } from '../comments/CommentsPanel'
import { usePageImportance } from './relationsPanel'
import { VersionsPanel } from '../versions/VersionsPanel'

interface NoteSummary {
	id: TLShapeId
	text: string
	meta: ReturnType<typeof parseItemMeta>['meta']
	/** CD3 (cost of delay ÷ duration) from the lifecycle meta keys. */
	cd3: Cd3Result
}

function useNotes(): NoteSummary[] {
	const editor = useEditor()
	return useValue(
		'workshop notes',
		() =>
			editor
				.getCurrentPageShapes()
				.filter((s): s is TLNoteShape => s.type === 'note')
				.map((s) => ({ id: s.id, text: richTextToPlainText(s.props.richText), meta: parseItemMeta(s.meta).meta, cd3: computeCd3(readLifecycle(s.meta).cd3) })),
		[editor],
	)
}

function focusShape(editor: Editor, id: TLShapeId) {
	editor.select(id)
	editor.zoomToSelection({ animation: { duration: 300 } })
}

function RankingPanel() {
	const editor = useEditor()
	const notes = useNotes().filter((n) => n.meta.kind === 'idea' || n.meta.kind === 'feature')
	const importance = usePageImportance()
	const [sortBy, setSortBy] = useState<'rice' | 'importance' | 'cd3'>('rice')
	const byRice = rankByRice(notes, (n) => computeRice(n.meta.rice))
	// By importance: most supported first; by CD3: highest cost of delay per week of work first; ties keep the RICE order.
	const ranked =
		sortBy === 'rice'
			? byRice
			: sortBy === 'cd3'
				? rankByCd3(byRice, (r) => r.item.cd3).map((r) => r.item)
				: [...byRice].sort((a, b) => (importance.get(b.item.id) ?? 0) - (importance.get(a.item.id) ?? 0))
	if (!ranked.length) return <p className="muted">Ideas and features appear here, ranked by RICE score. Select a sticky to score it.</p>
	return (
		<>
			<label className="wb-field wb-ranking-sort">
				<span>Sort by</span>
				<select data-testid="ranking-sort" value={sortBy} onChange={(e) => setSortBy(e.target.value === 'importance' || e.target.value === 'cd3' ? e.target.value : 'rice')}>
					<option value="rice">RICE score</option>
					<option value="importance">Importance</option>
					<option value="cd3" title="Cost of delay ÷ duration">CD3</option>
				</select>
			</label>
			<ol className="wb-ranking" data-testid="rice-ranking">
				{ranked.map(({ item, rice }) => (
					<li key={item.id}>
						<button type="button" className="wb-linkish" onClick={() => focusShape(editor, item.id)}>
							{item.text || <em className="muted">(empty)</em>}
						</button>
						<span className={rice.status === 'complete' ? 'wb-score' : 'wb-missing'}>
							{rice.status === 'complete' ? formatRiceScore(rice.score) : `incomplete (${rice.missing.join(', ')})`}
						</span>
						<span className="muted" data-testid="ranking-importance" title="Importance: sum of the weights of the insights that support it">
							importance {importance.get(item.id) ?? 0}
						</span>
						<span className="muted" data-testid="ranking-cd3" title="CD3: cost of delay ÷ duration">
							CD3 {item.cd3.score === null ? '—' : formatCd3Score(item.cd3.score)}
						</span>
					</li>
				))}
			</ol>
		</>
	)
}

function TagsPanel() {
	const notes = useNotes()
	const active = useValue(highlightedTag)
	const counts = new Map<string, number>()
	for (const note of notes) for (const tag of note.meta.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1)
	if (!counts.size) return <p className="muted">No tags yet. Select a sticky and add tags in its panel.</p>
	return (
		<div className="wb-tags wb-tags--filter" data-testid="tag-filter">
			{[...counts.entries()]
				.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
				.map(([tag, count]) => (
					<button
						key={tag}
						type="button"
						aria-pressed={active === tag}
						className={`wb-tag wb-tag--${tagColor(tag)}${active === tag ? ' wb-tag--active' : ''}`}
						onClick={() => highlightedTag.set(active === tag ? null : tag)}
					>
						{tag} · {count}
					</button>
				))}
			{active && (
				<button type="button" className="button button--link" onClick={() => highlightedTag.set(null)}>
					clear highlight
				</button>
			)}
		</div>
	)
}

/** Where a theme of `size` goes next to `around` without covering another top-level shape (page coordinates). */
function freeSpotNextTo(editor: Editor, around: { x: number; y: number; w: number; h: number }, size: { w: number; h: number }) {
	const gap = 60
	const others = editor
		.getCurrentPageShapes()
		.filter((s) => s.parentId === editor.getCurrentPageId())
		.map((s) => editor.getShapePageBounds(s))
		.filter((b): b is NonNullable<typeof b> => !!b)
	const free = (x: number, y: number) => !others.some((b) => x < b.maxX && x + size.w > b.x && y < b.maxY && y + size.h > b.y)
	const page = editor.getCurrentPageBounds() ?? { ...around, maxX: around.x + around.w }
	const candidates = [
		{ x: around.x + around.w + gap, y: around.y },
		{ x: around.x, y: around.y + around.h + gap },
		{ x: around.x - size.w - gap, y: around.y },
		{ x: page.x + page.w + gap, y: around.y },
	]
	return candidates.find((c) => free(c.x, c.y)) ?? { x: page.x + page.w + gap, y: page.y }
}

/** Lays the cluster's stickies out as a new theme frame next to where they are (one undo step). */
function acceptCluster(editor: Editor, cluster: SuggestedCluster, scopeId: TLShapeId | null) {
	const ids = cluster.itemIds as TLShapeId[]
	const around = (scopeId && editor.getShapePageBounds(scopeId)) || editor.getShapesPageBounds(ids)
	if (!around) return
	editor.markHistoryStoppingPoint('create theme from suggestion')
	const frameId = createThemeFrame(editor, ids, cluster.title, freeSpotNextTo(editor, around, themeSize(ids.length, 2)))
	editor.select(frameId)
	editor.zoomToSelection({ animation: { duration: 300 } })
}

/**
 * The frame whose stickies are clustered: the selected frame (or the frame of
 * the selected shape); null means stickies outside any frame.
 */
function useClusterScope(): { id: TLShapeId | null; name: string } {
	const editor = useEditor()
	return useValue(
		'cluster scope',
		() => {
			const selected = editor.getOnlySelectedShape()
			const frame = selected?.type === 'frame' ? selected : selected ? editor.findShapeAncestor(selected, (a) => a.type === 'frame') : undefined
			return frame && frame.type === 'frame' ? { id: frame.id, name: (frame as TLFrameShape).props.name || 'this frame' } : { id: null, name: '' }
		},
		[editor],
	)
}

function ThemesPanel() {
	const editor = useEditor()
	const notes = useNotes()
	const scope = useClusterScope()
	const [dismissed, setDismissed] = useState<Set<string>>(new Set())
	const inScope = useValue(
		'notes in cluster scope',
		() =>
			new Set(
				notes
					.filter((n) => {
						const shape = editor.getShape(n.id)
						if (!shape) return false
						// Stickies already in a theme are grouped.
						if (editor.findShapeAncestor(shape, (a) => a.type === 'frame' && !!(a.meta as Record<string, unknown>)[FrameMetaKey.theme])) return false
						if (!scope.id) return shape.parentId === editor.getCurrentPageId()
						return editor.hasAncestor(shape, scope.id)
					})
					.map((n) => n.id as string),
			),
		[editor, notes, scope.id],
	)
	const suggestions = useMemo(() => {
		const input = notes.filter((n) => inScope.has(n.id) && n.text.trim()).map((n) => ({ id: n.id as string, text: n.text }))
		return suggestClusters(input).clusters
	}, [notes, inScope])
	const visible = suggestions.filter((c) => !dismissed.has(c.itemIds.join(',')))
	const where = scope.id ? `in “${scope.name}”` : 'outside frames'
	const blockedReason = useEditBlockedReason()
	if (!visible.length)
		return (
			<p className="muted" data-testid="theme-suggestions-empty">
				No theme suggestions {where}: stickies with similar wording are grouped here. Select a frame (or a stage) to cluster its stickies.
			</p>
		)
	return (
		<>
			<p className="muted" data-testid="theme-suggestions-scope">
				Stickies {where}
			</p>
			<ul className="wb-suggestions" data-testid="theme-suggestions">
				{visible.map((cluster) => {
					const key = cluster.itemIds.join(',')
					return (
						<li key={key}>
							<strong>{cluster.title}</strong> <span className="muted">· {cluster.itemIds.length} stickies</span>
							<div className="wb-suggestions__actions">
								<button
									type="button"
									className="button button--primary"
									disabled={blockedReason !== null}
									title={blockedReason ?? 'Move these stickies into a new theme frame next to them'}
									onClick={() => acceptCluster(editor, cluster, scope.id)}
								>
									Create theme
								</button>
								<button type="button" className="button" onClick={() => editor.select(...(cluster.itemIds as TLShapeId[]))}>
									Show
								</button>
								<button type="button" className="button button--link" onClick={() => setDismissed(new Set([...dismissed, key]))}>
									Dismiss
								</button>
							</div>
						</li>
					)
				})}
			</ul>
		</>
	)
}

function ExportPanel({ boardId, title, template }: { boardId: string; title: string; template: string | undefined }) {
	const editor = useEditor()
	const sessionState = useSessionContext()?.snapshot.state
	const votingSessions = sessionState?.votingSessions
	const base = fileBaseName(title, boardId)
	const download = (format: 'json' | 'csv' | 'md') => {
		// Closed sessions only: an open one's results may be hidden from everyone until close.
		const closed = (votingSessions ?? [])
			.filter((s) => s.status === 'closed')
			.map((s) => ({ id: s.id, title: s.title, status: s.status, anonymous: s.config.anonymous, closedAt: s.closedAt, results: s.results, closesAt: s.closesAt, closedBy: s.closedBy, turnout: s.turnout }))
		downloadBlob(renderExport(exportFromEditor(editor, { boardId, title, template }, closed, sessionState?.estimationRounds), format), `${base}.${format}`)
	}
	const hasSelection = useValue('has selection', () => editor.getSelectedShapeIds().length > 0, [editor])
	return (
		<div className="wb-export" data-testid="export-panel">
			<p className="muted">Structured data for your backlog and roadmap, and a summary for stakeholders.</p>
			<a className="button" data-testid="open-roadmap" href={`/b/${encodeURIComponent(boardId)}/roadmap`} target="_blank" rel="noopener">
				Roadmap page (live, printable) ↗
			</a>
			<button type="button" className="button button--primary" data-testid="export-json" onClick={() => download('json')}>
				JSON (structured)
			</button>
			<button type="button" className="button" data-testid="export-md" onClick={() => download('md')}>
				Markdown summary
			</button>
			<button type="button" className="button" data-testid="export-csv" onClick={() => download('csv')}>
				CSV (spreadsheet)
			</button>
			<button type="button" className="button" onClick={() => void exportImage(editor, 'png', base)}>
				PNG {hasSelection ? 'of selection' : 'of board'}
			</button>
			<button type="button" className="button" onClick={() => void exportImage(editor, 'svg', base)}>
				SVG {hasSelection ? 'of selection' : 'of board'}
			</button>
		</div>
	)
}

/** `shortLabel`: shown instead on phones, where the pills share a ~220 px column with the title (app.css). */
const PANELS: { id: Exclude<PanelId, null>; label: string; shortLabel?: string; facilitatorOnly?: boolean }[] = [
	{ id: 'facilitate', label: 'Facilitate', facilitatorOnly: true },
	{ id: 'search', label: 'Search' },
	{ id: 'comments', label: 'Comments' },
	{ id: 'votes', label: 'Votes' },
	{ id: 'ranking', label: 'Ranking' },
	{ id: 'tags', label: 'Tags' },
	{ id: 'themes', label: 'Suggest themes', shortLabel: 'Themes' },
	{ id: 'export', label: 'Export' },
	{ id: 'versions', label: 'Versions' },
]

export function WorkshopToolbar() {
	const open = useValue(openPanel)
	const session = useSessionContext()
	const isFacilitator = session?.snapshot.role === 'facilitator'
	return (
		<div className="wb-toolbar" role="toolbar" aria-label="Workshop tools">
			{PANELS.filter((panel) => !panel.facilitatorOnly || isFacilitator).map((panel) => (
				<button
					key={panel.id}
					type="button"
					aria-pressed={open === panel.id}
					data-testid={`panel-${panel.id}`}
					className={`wb-toolbar__button${open === panel.id ? ' wb-toolbar__button--active' : ''}`}
					onClick={() => openPanel.set(open === panel.id ? null : panel.id)}
				>
					{panel.shortLabel ? (
						<>
							<span className="wb-label--long">{panel.label}</span>
							<span className="wb-label--short" aria-hidden="true">{panel.shortLabel}</span>
						</>
					) : (
						panel.label
					)}
					{panel.id === 'comments' && <CommentsTabCount />}
				</button>
			))}
		</div>
	)
}

export function WorkshopPanel({ boardId, title, template }: { boardId: string; title: string; template?: string }) {
	const open = useValue(openPanel)
	const session = useSessionContext()
	if (!open) return null
	return (
		<aside className="wb-panel" data-testid="workshop-panel" onPointerDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
			<header className="wb-panel__header">
				<h2>{PANELS.find((p) => p.id === open)?.label}</h2>
				<button type="button" className="button button--link" aria-label="Close panel" onClick={() => openPanel.set(null)}>
					×
				</button>
			</header>
			{open === 'facilitate' && session && <FacilitatorPanel client={session.client} snapshot={session.snapshot} />}
			{open === 'search' && <SearchPanel />}
			{open === 'comments' && <CommentsPanel />}
			{open === 'votes' && (session ? <VoteResultsPanel snapshot={session.snapshot} /> : <p className="muted">Connecting…</p>)}
			{open === 'ranking' && <RankingPanel />}
			{open === 'tags' && <TagsPanel />}
			{open === 'themes' && <ThemesPanel />}
			{open === 'export' && <ExportPanel boardId={boardId} title={title} template={template} />}
			{open === 'versions' && <VersionsPanel boardId={boardId} title={title} template={template} />}
		</aside>
	)
}

export { ITEM_KIND_INFO }
