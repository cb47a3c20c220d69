/**
 * `/b/<id>/roadmap`: the board as a document for stakeholders — North Star,
 * themes by Now / Next / Later with goals and KPIs, the MVP, the top features
 * by RICE with importance and votes, open questions. Live (the doc syncs
 * read-only) and printable (roadmap.css has the print rules). No tldraw:
 * this page's chunk is small and opens on any role's link.
 */
import { useEffect, useMemo } from 'react'
import { formatRiceScore } from '../../shared/items/rice'
import { roadmapFromExport, type RoadmapItem, type RoadmapTheme, type RoadmapView } from '../../shared/roadmap/roadmapView'
import { BOARD_PATH_PREFIX } from '../../shared/protocol'
import { useRoadmapExport } from './useRoadmapExport'
import './roadmap.css'

export function RoadmapPage({ boardId }: { boardId: string }) {
	const { data, status } = useRoadmapExport(boardId)
	const view = useMemo(() => (data ? roadmapFromExport(data) : null), [data])
	const boardHref = `${BOARD_PATH_PREFIX}${encodeURIComponent(boardId)}`
	// The tab's (and the printed PDF's) title.
	const title = view?.title
	useEffect(() => {
		document.title = `${title || 'Board'} — Roadmap`
	}, [title])
	if (status?.terminalReason) {
		return (
			<main className="roadmap">
				<p role="alert" className="roadmap__error" data-testid="roadmap-error">
					This roadmap cannot be opened: {status.terminalReason}. Ask the facilitator for a current link.
				</p>
			</main>
		)
	}
	return (
		<main className="roadmap" data-testid="roadmap" data-state={status?.state ?? 'connecting'}>
			<nav className="roadmap__bar no-print">
				<a className="button" href={boardHref} data-testid="roadmap-back">
					← Back to the board
				</a>
				<span className="roadmap__live" data-testid="roadmap-live">
					{status?.state === 'connected' ? '● Live' : status?.state === 'offline' ? 'Offline — showing the last copy' : 'Connecting…'}
				</span>
				<button type="button" className="button button--primary" onClick={() => window.print()} data-testid="roadmap-print">
					Print / PDF
				</button>
			</nav>
			{view ? <RoadmapDocument view={view} /> : <p role="status">Loading the roadmap…</p>}
		</main>
	)
}

function RoadmapDocument({ view }: { view: RoadmapView }) {
	return (
		<article className="roadmap__doc">
			<header className="roadmap__header">
				<h1 data-testid="roadmap-title">{view.title || 'Untitled board'}</h1>
				<p className="roadmap__muted">Roadmap as of {new Date(view.exportedAt).toLocaleString()}</p>
				{view.northStar && (
					<p className="roadmap__north-star" data-testid="roadmap-north-star">
						<span aria-hidden="true">★ </span>
						<strong>North Star:</strong> {view.northStar.metric || view.northStar.themeTitle}
						{view.northStar.target && <> — target {view.northStar.target}</>}
					</p>
				)}
			</header>

			<section className="roadmap__section" aria-labelledby="roadmap-lanes">
				<h2 id="roadmap-lanes">Roadmap</h2>
				<div className="roadmap__lanes">
					{view.lanes.map((lane) => (
						<div className="roadmap__lane" key={lane.lane ?? 'none'} data-testid={`roadmap-lane-${lane.lane ?? 'none'}`}>
							<h3>{lane.label}</h3>
							{lane.themes.length === 0 && <p className="roadmap__muted">No themes.</p>}
							{lane.themes.map((theme) => (
								<ThemeCard key={theme.id} theme={theme} />
							))}
						</div>
					))}
				</div>
			</section>

			<section className="roadmap__section" aria-labelledby="roadmap-mvp" data-testid="roadmap-mvp">
				<h2 id="roadmap-mvp">MVP — first release</h2>
				{view.mvp.length === 0 ? <p className="roadmap__muted">No features in the MVP scope yet.</p> : <ItemTable items={view.mvp} />}
			</section>

			<section className="roadmap__section" aria-labelledby="roadmap-top" data-testid="roadmap-top">
				<h2 id="roadmap-top">Top features by RICE</h2>
				{view.topFeatures.length === 0 ? <p className="roadmap__muted">No feature or idea has a complete RICE estimate yet.</p> : <ItemTable items={view.topFeatures} ranked />}
				{view.unestimated > 0 && <p className="roadmap__muted">{view.unestimated} more not estimated yet.</p>}
				{view.votingSessions.length > 0 && (
					<p className="roadmap__muted">Votes from {view.votingSessions.map((s) => `${s.title || 'a vote'} (${s.voterCount} voter${s.voterCount === 1 ? '' : 's'})`).join(', ')}.</p>
				)}
			</section>

			<section className="roadmap__section" aria-labelledby="roadmap-questions" data-testid="roadmap-questions">
				<h2 id="roadmap-questions">Open questions</h2>
				{view.openQuestions.length === 0 ? (
					<p className="roadmap__muted">No open comment threads.</p>
				) : (
					<ul className="roadmap__questions">
						{view.openQuestions.map((q) => (
							<li key={q.targetId}>
								<strong>{q.targetLabel}</strong>
								<ul>
									{q.comments.map((c, i) => (
										<li key={`${c.threadId}-${i}`} className={c.reply ? 'roadmap__reply' : undefined}>
											{c.text} <span className="roadmap__muted">— {c.author || 'Anonymous'}</span>
										</li>
									))}
								</ul>
							</li>
						))}
					</ul>
				)}
			</section>
		</article>
	)
}

function ThemeCard({ theme }: { theme: RoadmapTheme }) {
	const { metric, target, northStar } = theme.goal
	return (
		<div className="roadmap__theme" data-testid="roadmap-theme">
			<h4>
				{northStar && <span aria-label="North Star">★ </span>}
				{theme.title}
			</h4>
			{theme.description && <p>{theme.description}</p>}
			<p className="roadmap__goal">{metric || target ? <>Goal: <strong>{metric}</strong>{target && <> → {target}</>}</> : <span className="roadmap__muted">No goal yet</span>}</p>
			{theme.kpis.length > 0 && (
				<>
				<p className="roadmap__kpis-label">Measured by:</p>
				<ul className="roadmap__kpis" aria-label="KPIs measuring this theme">
					{theme.kpis.map((k) => (
						<li key={k.id} data-testid="roadmap-kpi" data-status={k.status}>
							<strong>{k.text || '(empty KPI)'}</strong>
							{k.progress && <> — {k.progress}</>}
						</li>
					))}
				</ul>
				</>
			)}
			{theme.items.length > 0 && (
				<ul>
					{theme.items.map((item) => (
						<li key={item.id}>
							<span className="roadmap__kind">{item.kindLabel}</span> {item.text || '(empty)'}
						</li>
					))}
				</ul>
			)}
			{theme.itemCount > theme.items.length + theme.kpis.filter((k) => !k.linked).length && (
				<p className="roadmap__muted">{theme.itemCount} items in all</p>
			)}
		</div>
	)
}

function ItemTable({ items, ranked = false }: { items: readonly RoadmapItem[]; ranked?: boolean }) {
	return (
		<table className="roadmap__table">
			<thead>
				<tr>
					{ranked && <th scope="col">#</th>}
					<th scope="col">Item</th>
					<th scope="col">RICE</th>
					<th scope="col">Importance</th>
					<th scope="col">Votes</th>
				</tr>
			</thead>
			<tbody>
				{items.map((item) => (
					<tr key={item.id}>
						{ranked && <td>{item.rank}</td>}
						<td>
							<span className="roadmap__kind">{item.kindLabel}</span> {item.text || '(empty)'}
						</td>
						<td>{item.rice === null ? '—' : formatRiceScore(item.rice)}</td>
						<td>{item.importance ?? '—'}</td>
						<td>{item.votes}</td>
					</tr>
				))}
			</tbody>
		</table>
	)
}
