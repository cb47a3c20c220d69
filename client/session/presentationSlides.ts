/**
 * Presentation mode (#14 item 3): which frames are the slides, in which
 * order, and which slide a viewport shows. Pure, so the presenter (who moves
 * through the slides) and every follower (who only sees the presenter's
 * camera) derive the same list and the same "Slide 3 / 7".
 *
 * Order: the agenda's phases that name a frame, in agenda order; without
 * such phases, the stage frames (meta.stage 1..7) by stage; without those,
 * the page's top-level frames in reading order (top to bottom, then left to
 * right).
 */
import type { AgendaState } from '../../shared/session/messages'

export interface SlideFrame {
	id: string
	name: string
	/** Page bounds. */
	x: number
	y: number
	w: number
	h: number
	/** meta.stage, or null. */
	stage: number | null
	/** Directly on the page (not inside another frame). */
	topLevel: boolean
}

export type SlideOrder = 'agenda' | 'stage' | 'position'

export function orderSlides(frames: readonly SlideFrame[], agenda: AgendaState | null | undefined): { slides: SlideFrame[]; order: SlideOrder } {
	const byId = new Map(frames.map((frame) => [frame.id, frame]))
	const fromAgenda: SlideFrame[] = []
	const seen = new Set<string>()
	for (const phase of agenda?.phases ?? []) {
		const frame = phase.frameId ? byId.get(phase.frameId) : undefined
		if (frame && !seen.has(frame.id)) {
			seen.add(frame.id)
			fromAgenda.push({ ...frame, name: phase.title || frame.name })
		}
	}
	if (fromAgenda.length > 0) return { slides: fromAgenda, order: 'agenda' }
	const staged = frames.filter((frame) => frame.stage !== null).sort((a, b) => a.stage! - b.stage! || a.y - b.y || a.x - b.x)
	if (staged.length > 0) return { slides: staged, order: 'stage' }
	// Reading order; frames whose tops are within 40 px count as one row.
	const rows = frames.filter((frame) => frame.topLevel).sort((a, b) => (Math.abs(a.y - b.y) < 40 ? a.x - b.x : a.y - b.y))
	return { slides: rows, order: 'position' }
}

/** The slide a viewport shows: the smallest slide containing the viewport's centre, or -1. */
export function slideAt(slides: readonly SlideFrame[], viewport: { x: number; y: number; w: number; h: number }): number {
	const cx = viewport.x + viewport.w / 2
	const cy = viewport.y + viewport.h / 2
	let best = -1
	for (const [index, slide] of slides.entries()) {
		if (cx < slide.x || cx > slide.x + slide.w || cy < slide.y || cy > slide.y + slide.h) continue
		if (best === -1 || slide.w * slide.h < slides[best].w * slides[best].h) best = index
	}
	return best
}
