/**
 * The part of the screen no UI covers, and zooming into it. tldraw fits bounds
 * into the whole viewport (less a fixed inset), so after "zoom to selection"
 * the top chrome (board status, session bar, workshop pills, Share) covered a
 * stage's headings and text. Every zoom-to-bounds on the board (Shift+1,
 * Shift+2, agenda focus, summon, first entry) fits into the free area instead.
 */
import type { BoxLike, Editor, TLCameraMoveOptions } from 'tldraw'
import { overrideZoomToBounds } from '../tldrawInternals'

export interface ScreenRect {
	x: number
	y: number
	w: number
	h: number
}

/** UI drawn over the canvas: tldraw's menus, tool bar and style panel, and ours (banners sit outside tldraw's container). */
const CHROME_SELECTORS = [
	'.board-top > *',
	'.tlui-menu-zone',
	'.tlui-layout__top__right > *',
	'.tlui-main-toolbar__inner',
	'.tlui-navigation-panel',
	'.wb-panel',
	'.wb-inspector',
	'.banner',
	'.presenter-bar',
]

/** Space kept between fitted content and the chrome (screen px). */
const GAP = 16
/** tldraw draws a frame's heading above its bounds, at a fixed screen size: room for it at the top. */
const FRAME_HEADING = 28

/**
 * The largest-looking rectangle of the container that no chrome element covers: each element
 * cuts the free rectangle from the side that loses the least area (a pill along the top cuts
 * the top, a tall panel on the left cuts the left).
 */
export function freeScreenArea(editor: Editor, minTop = 0): ScreenRect {
	const container = editor.getContainer().getBoundingClientRect()
	let l = 0
	let t = 0
	let r = container.width
	let b = container.height
	const rects = [...document.querySelectorAll(CHROME_SELECTORS.join(','))]
		.map((el) => el.getBoundingClientRect())
		.filter((rect) => rect.width > 2 && rect.height > 2)
		.map((rect) => ({ l: rect.left - container.left, t: rect.top - container.top, r: rect.right - container.left, b: rect.bottom - container.top }))
		.sort((p, q) => (q.r - q.l) * (q.b - q.t) - (p.r - p.l) * (p.b - p.t))
	for (const rect of rects) {
		if (rect.r <= l || rect.l >= r || rect.b <= t || rect.t >= b) continue
		const cuts = [
			{ side: 'top', loss: (rect.b - t) * (r - l) },
			{ side: 'bottom', loss: (b - rect.t) * (r - l) },
			{ side: 'left', loss: (rect.r - l) * (b - t) },
			{ side: 'right', loss: (r - rect.l) * (b - t) },
		].sort((p, q) => p.loss - q.loss)
		const side = cuts[0].side
		if (side === 'top') t = rect.b
		else if (side === 'bottom') b = rect.t
		else if (side === 'left') l = rect.r
		else r = rect.l
	}
	t = Math.max(t, minTop)
	// A screen so small that the chrome leaves almost nothing: use it whole rather than a sliver.
	if (r - l < container.width * 0.3 || b - t < container.height * 0.3) return { x: 0, y: 0, w: container.width, h: container.height }
	return { x: l, y: t, w: r - l, h: b - t }
}

export type ZoomToBoundsOptions = { inset?: number; targetZoom?: number; minTop?: number } & TLCameraMoveOptions

/** Fits page `bounds` into the free area, centred, within the camera's zoom range (and `targetZoom`). */
export function zoomIntoFreeArea(editor: Editor, bounds: BoxLike, opts: ZoomToBoundsOptions = {}): void {
	const { inset, targetZoom, minTop, ...move } = opts
	if (editor.getCameraOptions().isLocked && !move.force) return
	const area = freeScreenArea(editor, minTop)
	const gap = inset === undefined ? GAP : inset / 2
	const w = Math.max(1, area.w - 2 * gap)
	const h = Math.max(1, area.h - 2 * gap - FRAME_HEADING)
	const { zoomSteps } = editor.getCameraOptions()
	const base = editor.getBaseZoom()
	let z = Math.min(w / Math.max(1, bounds.w), h / Math.max(1, bounds.h))
	z = Math.min(Math.max(z, zoomSteps[0] * base), zoomSteps[zoomSteps.length - 1] * base)
	if (targetZoom !== undefined) z = Math.min(targetZoom, z)
	const left = area.x + (area.w - bounds.w * z) / 2
	const top = area.y + FRAME_HEADING + (area.h - FRAME_HEADING - bounds.h * z) / 2
	// tldraw: screen = (page + camera) * z
	editor.setCamera({ x: left / z - bounds.x, y: top / z - bounds.y, z }, move)
}

/**
 * Makes every zoom-to-bounds of this editor (tldraw's own actions included) fit into the free
 * area. Calls with `inset: 0` mean "exactly this viewport" (tldraw's quick-zoom restoring the
 * previous view, keeping a selection on screen, deep links) and keep tldraw's behaviour: fitting
 * those into a smaller area would zoom out a little every time.
 */
export function registerChromeAwareZoom(editor: Editor): () => void {
	return overrideZoomToBounds(editor, (original, bounds, opts) => {
		if (opts?.inset === 0) original(bounds, opts)
		else zoomIntoFreeArea(editor, bounds, opts)
	})
}
