/**
 * tldraw's frame, with its workshop role drawn on it: a roadmap theme shows
 * its goal (★ for the North Star), a lane frame its horizon.
 */
import { FrameShapeUtil, useValue, type TLFrameShape } from 'tldraw'
import { lockedShapesSignal } from '../session/sessionView'
import { LANE_LABELS, parseFrameMeta } from '../../shared/items'

function FrameOverlay({ shape }: { shape: TLFrameShape }) {
	const { meta } = parseFrameMeta(shape.meta)
	const locked = useValue('locked', () => lockedShapesSignal.get().has(shape.id), [shape.id])
	if (!meta.theme && !meta.lane && !locked) return null
	const goal = meta.theme?.goal
	return (
		<div className="wb-frame-overlay" data-testid="frame-overlay">
			{locked && <span className="wb-frame-overlay__lane" data-testid="frame-locked">Locked</span>}
			{meta.lane && <span className="wb-frame-overlay__lane">{LANE_LABELS[meta.lane]}</span>}
			{meta.theme && (
				<span className="wb-frame-overlay__theme" data-testid="theme-badge">
					{goal?.northStar ? '★ ' : ''}Theme{goal?.metric ? ` · ${goal.metric}${goal.target ? ` → ${goal.target}` : ''}` : ' · no goal yet'}
				</span>
			)}
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
}
