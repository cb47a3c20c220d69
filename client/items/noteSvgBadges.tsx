/**
 * The workshop badges of a sticky as plain SVG, for image exports (PNG/SVG):
 * tldraw exports a note through NoteShapeUtil.toSvg, which knows nothing of the
 * HTML overlay drawn on the canvas, so the kind label, RICE score, tags and
 * vote count are drawn again here with the same texts.
 */
import type { TLNoteShape } from 'tldraw'
import { ITEM_KIND_INFO, computeRice, formatRiceScore, kpiStatus, parseItemMeta } from '../../shared/items'
import { shownResultsSignal } from '../session/sessionView'
import { kpiStatusText } from './kpiPanel'

const FONT = 'system-ui, sans-serif'

export function NoteSvgBadges({ shape, size }: { shape: TLNoteShape; size: number }) {
	const { meta } = parseItemMeta(shape.meta)
	const scale = shape.props.scale
	const fontSize = 11 * scale
	const pad = 6 * scale
	const lineH = fontSize * 1.6
	const rice = meta.kind === 'idea' || meta.kind === 'feature' ? computeRice(meta.rice) : null
	const count = shownResultsSignal.get()?.results.items.find((item) => item.itemId === shape.id)?.count ?? 0
	const label = ITEM_KIND_INFO[meta.kind].label
	const labelW = (label.length * 0.62 + 1) * fontSize
	// A KPI's target status, where ideas show their RICE (the canvas badge's text; the sparkline hangs below the note there).
	const kpi = meta.kind === 'kpi' && meta.kpi ? kpiStatus(meta.kpi) : null
	const kpiText = meta.kpi && kpi && (kpi.status === 'met' || kpi.status === 'not-met') ? kpiStatusText(meta.kpi, kpi) : null
	return (
		<g data-testid="note-svg-badges" fontFamily={FONT} fontSize={fontSize}>
			<rect x={pad} y={pad} width={labelW} height={lineH} rx={3 * scale} fill="rgba(0,0,0,0.72)" />
			<text x={pad + fontSize * 0.5} y={pad + lineH * 0.72} fill="#fff" fontWeight={700}>
				{label}
			</text>
			{rice && (
				<text x={size - pad} y={pad + lineH * 0.72} textAnchor="end" fill="#1d1d1d" fontWeight={700}>
					{`RICE ${rice.status === 'complete' ? formatRiceScore(rice.score) : '…'}`}
				</text>
			)}
			{kpiText && (
				<text x={size - pad} y={pad + lineH * 0.72} textAnchor="end" fill={kpi?.status === 'met' ? '#1b5e20' : '#8f1d1d'} fontWeight={700} data-testid="note-svg-kpi">
					{kpiText}
				</text>
			)}
			{count > 0 && (
				<text x={size - pad} y={size - pad - (meta.tags.length ? lineH : 0)} textAnchor="end" fill="#c92a2a" fontWeight={700}>
					{`● ${count} ${count === 1 ? 'dot' : 'dots'}`}
				</text>
			)}
			{meta.tags.length > 0 && (
				<text x={pad} y={size - pad} fill="#1d1d1d">
					{meta.tags.map((tag) => `#${tag}`).join('  ')}
				</text>
			)}
		</g>
	)
}
