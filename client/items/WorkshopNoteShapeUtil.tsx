/**
 * tldraw's note, with the workshop item drawn on top: its kind (label and
 * colour), tags, RICE score and JTBD status. The record stays a plain `note`
 * (typed fields live in `meta`, see docs/items.md), so any tldraw client can
 * still open the board.
 */
import { NoteShapeUtil, useValue, type TLNoteShape } from 'tldraw'
import { ITEM_KIND_INFO, computeRice, formatRiceScore, jtbdStatusOf, parseItemMeta, tagColor } from '../../shared/items'
import { highlightedTag } from './boardUi'

function ItemOverlay({ shape }: { shape: TLNoteShape }) {
	const { meta } = parseItemMeta(shape.meta)
	const info = ITEM_KIND_INFO[meta.kind]
	const highlight = useValue(highlightedTag)
	const dimmed = highlight !== null && !meta.tags.includes(highlight)
	const rice = meta.kind === 'idea' || meta.kind === 'feature' ? computeRice(meta.rice) : null
	const jtbd = meta.kind === 'jtbd' && meta.jtbd ? jtbdStatusOf(meta.jtbd) : null
	const scale = shape.props.scale
	return (
		<div
			className={`wb-note-overlay${dimmed ? ' wb-note-overlay--dimmed' : ''}`}
			style={{ fontSize: 11 * scale }}
			data-kind={meta.kind}
			data-testid="note-overlay"
		>
			<span className="wb-note-overlay__kind" title={info.description} data-testid="note-kind">
				{info.label}
			</span>
			{rice && (
				<span
					className={`wb-note-overlay__rice${rice.status === 'complete' ? '' : ' wb-note-overlay__rice--incomplete'}`}
					title={rice.status === 'complete' ? 'RICE score' : `RICE incomplete: missing ${rice.missing.join(', ')}`}
					data-testid="note-rice"
				>
					RICE {rice.status === 'complete' ? formatRiceScore(rice.score) : '…'}
				</span>
			)}
			{jtbd && jtbd.status === 'incomplete' && (
				<span className="wb-note-overlay__warn" title={`JTBD missing: ${jtbd.missing.join(', ')}`}>
					incomplete
				</span>
			)}
			{meta.tags.length > 0 && (
				<div className="wb-note-overlay__tags" data-testid="note-tags">
					{meta.tags.map((tag) => (
						<span key={tag} className={`wb-tag wb-tag--${tagColor(tag)}`}>
							{tag}
						</span>
					))}
				</div>
			)}
		</div>
	)
}

export class WorkshopNoteShapeUtil extends NoteShapeUtil {
	override component(shape: TLNoteShape) {
		return (
			<>
				{super.component(shape)}
				<ItemOverlay shape={shape} />
			</>
		)
	}
}
