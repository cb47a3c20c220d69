/**
 * tldraw's note, with the workshop item drawn on top: its kind (label and
 * colour), tags, RICE score and JTBD status. The record stays a plain `note`
 * (typed fields live in `meta`, see docs/items.md), so any tldraw client can
 * still open the board.
 */
import type { CSSProperties } from 'react'
import { NoteShapeUtil, useEditor, useValue, type SvgExportContext, type TLNoteShape } from 'tldraw'
import { ITEM_KIND_INFO, computeRice, formatRiceScore, jtbdStatusOf, parseItemMeta, tagColor } from '../../shared/items'
import { lockedShapesSignal, openVotingSignal, roleSignal, shownResultsSignal, voteActions } from '../session/sessionView'
import { highlightedTag } from './boardUi'
import { NoteSvgBadges } from './noteSvgBadges'
import { CommentBadge, StickyReactions } from '../comments/StickyConversation'
import { compactBadges, compactKindLabel, tagSummary } from './badgeZoom'

/** Dots on a sticky during a vote (own dots, +/−) and the count once results are shown. */
function VoteControls({ shape }: { shape: TLNoteShape }) {
	const voting = useValue(openVotingSignal)
	const shown = useValue(shownResultsSignal)
	const role = useValue(roleSignal)
	const count = shown?.results.items.find((item) => item.itemId === shape.id)?.count ?? 0
	const eligible = voting?.eligible?.has(shape.id) ?? false
	const mine = voting?.ballot?.dots[shape.id] ?? 0
	const canVote = voting !== null && eligible && role !== null && role !== 'viewer'
	if (!canVote && count === 0) return null
	const stop = (e: { stopPropagation(): void }) => e.stopPropagation()
	return (
		<div className="wb-vote" data-testid="vote-controls" onPointerDown={stop} onPointerUp={stop} onClick={stop}>
			{count > 0 && (
				<span className="wb-vote__count" data-testid="vote-count" title={`${shown?.title}: ${count} dots`}>
					{count} {count === 1 ? 'dot' : 'dots'}
				</span>
			)}
			{canVote && (
				<>
					<button type="button" className="wb-vote__button" aria-label="Remove a dot" data-testid="vote-remove" disabled={mine === 0} onClick={() => void voteActions.remove(shape.id).catch(() => {})}>
						−
					</button>
					<span className="wb-vote__mine" data-testid="my-dots">{'●'.repeat(Math.min(mine, 10))}{mine === 0 ? 'vote' : ''}</span>
					<button
						type="button"
						className="wb-vote__button"
						aria-label="Add a dot"
						data-testid="vote-add"
						disabled={(voting?.ballot?.remaining ?? voting?.session.config.votesPerParticipant ?? 0) === 0 || mine >= (voting?.session.config.maxVotesPerItem ?? 99)}
						onClick={() => void voteActions.place(shape.id).catch(() => {})}
					>
						+
					</button>
				</>
			)}
		</div>
	)
}

function ItemOverlay({ shape }: { shape: TLNoteShape }) {
	const editor = useEditor()
	const { meta } = parseItemMeta(shape.meta)
	const info = ITEM_KIND_INFO[meta.kind]
	const highlight = useValue(highlightedTag)
	const compact = useValue(compactBadges(editor))
	const dimmed = highlight !== null && !meta.tags.includes(highlight)
	const rice = meta.kind === 'idea' || meta.kind === 'feature' ? computeRice(meta.rice) : null
	const jtbd = meta.kind === 'jtbd' && meta.jtbd ? jtbdStatusOf(meta.jtbd) : null
	const locked = useValue('locked', () => lockedShapesSignal.get().has(shape.id), [shape.id])
	const riceBadge = rice && (
		<span
			className={`wb-note-overlay__rice${rice.status === 'complete' ? '' : ' wb-note-overlay__rice--incomplete'}`}
			title={rice.status === 'complete' ? 'RICE score' : `RICE incomplete: missing ${rice.missing.join(', ')}`}
			data-testid="note-rice"
		>
			RICE {rice.status === 'complete' ? formatRiceScore(rice.score) : '…'}
		</span>
	)
	return (
		<div
			className={`wb-note-overlay${dimmed ? ' wb-note-overlay--dimmed' : ''}${compact ? ' wb-note-overlay--compact' : ''}`}
			// The badges' size follows the sticky's own scale; app.css counter-scales it against the zoom.
			style={{ '--wb-note-scale': shape.props.scale } as CSSProperties}
			data-kind={meta.kind}
			data-compact={compact}
			data-testid="note-overlay"
		>
			<span className="wb-note-overlay__kind" title={info.description} data-testid="note-kind">
				{compact ? compactKindLabel(meta.kind, info.label) : info.label}
			</span>
			{!compact && riceBadge}
			<CommentBadge shapeId={shape.id} />
			{jtbd && jtbd.status === 'incomplete' && (
				<span className="wb-note-overlay__warn" title={`JTBD missing: ${jtbd.missing.join(', ')}`}>
					{compact ? '!' : 'incomplete'}
				</span>
			)}
			{locked && <span className="wb-note-overlay__locked" data-testid="note-locked">Locked</span>}
			{(shape.meta as Record<string, unknown>).private === true && (
				<span className="wb-note-overlay__private" data-testid="note-private" title="Only you can see this note until the facilitator reveals the private notes">
					Private
				</span>
			)}
			{/* Under the sticky, so however tall its text grows nothing covers it. */}
			<div className="wb-note-overlay__below">
				{compact && riceBadge}
				{meta.tags.length > 0 && (
					<div className="wb-note-overlay__tags" data-testid="note-tags" title={meta.tags.map((tag) => `#${tag}`).join(' ')}>
						{compact ? (
							<span className={`wb-tag wb-tag--${tagColor(meta.tags[0])}`}>{tagSummary(meta.tags)}</span>
						) : (
							meta.tags.map((tag) => (
								<span key={tag} className={`wb-tag wb-tag--${tagColor(tag)}`}>
									{tag}
								</span>
							))
						)}
					</div>
				)}
				<StickyReactions shapeId={shape.id} />
				<VoteControls shape={shape} />
			</div>
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

	/** Image exports show the badges the canvas shows (noteSvgBadges.tsx). */
	override toSvg(shape: TLNoteShape, ctx: SvgExportContext) {
		const base = super.toSvg(shape, ctx)
		return (
			<g>
				{base}
				<NoteSvgBadges shape={shape} size={this.getGeometry(shape).bounds.w} />
			</g>
		)
	}
}
