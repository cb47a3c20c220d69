/**
 * tldraw's frame, with its workshop role drawn on it: a roadmap theme shows
 * its goal (★ for the North Star), a lane frame its horizon.
 */
import { FrameShapeUtil, useValue, type SvgExportContext, type TLFrameShape } from 'tldraw'
import { lockedShapesSignal } from '../session/sessionView'
import { parseFrameMeta } from '../../shared/items'
import { FrameSvgBadges, frameBadgeTexts } from './frameBadges'
import { openThreadCountsSignal } from '../comments/conversationStore'
import { CommentBadge } from '../comments/StickyConversation'

function FrameOverlay({ shape }: { shape: TLFrameShape }) {
	const { meta } = parseFrameMeta(shape.meta)
	const locked = useValue('locked', () => lockedShapesSignal.get().has(shape.id), [shape.id])
	const openThreads = useValue('open threads', () => openThreadCountsSignal.get().has(shape.id), [shape.id])
	if (!meta.theme && !meta.lane && !locked && !openThreads) return null
	const texts = frameBadgeTexts(meta)
	return (
		<div className="wb-frame-overlay" data-testid="frame-overlay">
			{locked && <span className="wb-frame-overlay__lane" data-testid="frame-locked">Locked</span>}
			{texts.lane && <span className="wb-frame-overlay__lane">{texts.lane}</span>}
			{texts.theme && (
				<span className="wb-frame-overlay__theme" data-testid="theme-badge">
					{texts.theme}
				</span>
			)}
			<CommentBadge shapeId={shape.id} />
		</div>
	)
}

export class WorkshopFrameShapeUtil extends FrameShapeUtil {
	override component(shape: TLFrameShape) {
		return (
			<>
				{super.component(shape)}
				<FrameOverlay shape={shape} />
			</>
		)
	}

	/** Image exports show the lane and theme badges the canvas shows (frameBadges.tsx). */
	override toSvg(shape: TLFrameShape, ctx: SvgExportContext) {
		return (
			<>
				{super.toSvg(shape, ctx)}
				<FrameSvgBadges shape={shape} />
			</>
		)
	}
}
