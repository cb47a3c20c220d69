/**
 * The badges of a workshop frame — a lane's horizon, a theme's goal — as texts, and drawn as
 * plain SVG for image exports: tldraw exports a frame through FrameShapeUtil.toSvg, which
 * knows nothing of the HTML overlay on the canvas, so PNG/SVG showed no theme goals.
 */
import type { TLFrameShape } from 'tldraw'
import { LANE_LABELS, parseFrameMeta, type FrameMeta } from '../../shared/items'

export interface FrameBadgeTexts {
	lane: string | null
	theme: string | null
}

/** What the canvas and the image exports both show on a frame. */
export function frameBadgeTexts(meta: FrameMeta): FrameBadgeTexts {
	const goal = meta.theme?.goal
	return {
		lane: meta.lane ? LANE_LABELS[meta.lane] : null,
		theme: meta.theme
			? `${goal?.northStar ? '★ ' : ''}Theme${goal?.metric ? ` · ${goal.metric}${goal.target ? ` → ${goal.target}` : ''}` : ' · no goal yet'}`
			: null,
	}
}

const FONT = 'system-ui, sans-serif'
const FONT_SIZE = 12
const PAD_X = 8
const HEIGHT = 20

/** Rough text width for a badge's background (SVG has no layout; the text itself is exact). */
const textWidth = (text: string) => text.length * FONT_SIZE * 0.58

interface SvgBadge {
	text: string
	fill: string
	stroke: string
	color: string
	weight: number
	kind: 'theme' | 'lane'
}

/** The frame's badges at its top-right corner, in the canvas's order (lane, then theme). */
export function FrameSvgBadges({ shape }: { shape: TLFrameShape }) {
	const texts = frameBadgeTexts(parseFrameMeta(shape.meta).meta)
	// Placed from the right edge leftwards: the theme is rightmost, as on the canvas.
	const badges: SvgBadge[] = []
	if (texts.theme) badges.push({ text: texts.theme, fill: '#e7f5ff', stroke: '#74c0fc', color: '#1d1d1f', weight: 400, kind: 'theme' })
	if (texts.lane) badges.push({ text: texts.lane, fill: '#1d1d1f', stroke: 'none', color: '#fff', weight: 700, kind: 'lane' })
	if (!badges.length) return null
	let right = shape.props.w - 8
	return (
		<g data-testid="frame-svg-badges" fontFamily={FONT} fontSize={FONT_SIZE}>
			{badges.map((badge) => {
				const w = textWidth(badge.text) + 2 * PAD_X
				right -= w
				const x = right
				right -= 6
				return (
					<g key={badge.kind} data-badge={badge.kind}>
						<rect x={x} y={8} width={w} height={HEIGHT} rx={6} fill={badge.fill} stroke={badge.stroke} />
						<text x={x + PAD_X} y={8 + HEIGHT * 0.7} fill={badge.color} fontWeight={badge.weight}>
							{badge.text}
						</text>
					</g>
				)
			})}
		</g>
	)
}
