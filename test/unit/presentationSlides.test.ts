/** Slide order and "which slide is in view" of presentation mode (client/session/presentationSlides.ts). */
import { describe, expect, it } from 'vitest'
import { orderSlides, slideAt, type SlideFrame } from '../../client/session/presentationSlides'

const frame = (id: string, x: number, y: number, options: Partial<SlideFrame> = {}): SlideFrame => ({ id, name: `Frame ${id}`, x, y, w: 100, h: 100, stage: null, topLevel: true, ...options })
const agenda = (phases: { id: string; title: string; frameId: string | null }[]) => ({ phases, currentPhaseId: null })

describe('presentation slides', () => {
	const frames = [frame('c', 0, 300, { stage: 3 }), frame('a', 0, 0, { stage: 1 }), frame('b', 200, 0, { stage: 2 }), frame('inner', 10, 10, { topLevel: false })]

	it('agenda order first: phases that name a frame, once each, titled by the phase', () => {
		const { slides, order } = orderSlides(frames, agenda([
			{ id: 'p1', title: 'Warm-up', frameId: 'shape:none' },
			{ id: 'p2', title: 'Vote', frameId: 'c' },
			{ id: 'p3', title: 'Ideas', frameId: 'a' },
			{ id: 'p4', title: 'Vote again', frameId: 'c' },
			{ id: 'p5', title: 'Break', frameId: null },
		]))
		expect(order).toBe('agenda')
		expect(slides.map((s) => [s.id, s.name])).toEqual([['c', 'Vote'], ['a', 'Ideas']])
	})

	it('then stage order, then top-level frames in reading order', () => {
		expect(orderSlides(frames, agenda([{ id: 'p', title: 'x', frameId: null }]))).toMatchObject({ order: 'stage' })
		expect(orderSlides(frames, null).slides.map((s) => s.id)).toEqual(['a', 'b', 'c'])
		const plain = [frame('low', 0, 500), frame('right', 300, 20), frame('left', 0, 0), frame('nested', 5, 5, { topLevel: false })]
		const { slides, order } = orderSlides(plain, null)
		expect(order).toBe('position')
		expect(slides.map((s) => s.id)).toEqual(['left', 'right', 'low'])
		expect(orderSlides([], null).slides).toEqual([])
	})

	it('the slide in view is the smallest slide around the viewport centre', () => {
		const slides = [frame('big', 0, 0, { w: 1000, h: 1000 }), frame('small', 100, 100)]
		expect(slideAt(slides, { x: 100, y: 100, w: 100, h: 100 })).toBe(1)
		expect(slideAt(slides, { x: 500, y: 500, w: 100, h: 100 })).toBe(0)
		expect(slideAt(slides, { x: 5000, y: 0, w: 100, h: 100 })).toBe(-1)
	})
})
