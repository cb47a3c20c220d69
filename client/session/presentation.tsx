/**
 * Presentation mode (#14 item 3), built on "Follow me": the facilitator
 * presents frames as slides (presentationSlides.ts for the order). Starting
 * it turns follow-me on, so participants follow the presenter's camera until
 * they pan away (then "Rejoin", SessionBar) and viewers always follow
 * (useSessionEffects). The presenter moves with the arrow keys (also Page
 * Up/Down, Home/End) or the bar's buttons; everyone sees "Slide n / N".
 */
import { useEffect, useMemo, useRef } from 'react'
import { atom, useEditor, useValue, type Editor, type TLFrameShape } from 'tldraw'
import { parseFrameMeta } from '../../shared/items'
import type { SessionClient, SessionSnapshot } from './sessionClient'
import { orderSlides, slideAt, type SlideFrame, type SlideOrder } from './presentationSlides'

/** The presenter's current slide index on this device; null when this device is not presenting. */
export const presentingSlide = atom<number | null>('presenting slide', null)

function pageFrames(editor: Editor): SlideFrame[] {
	const pageId = editor.getCurrentPageId()
	return editor
		.getCurrentPageShapes()
		.filter((shape): shape is TLFrameShape => shape.type === 'frame')
		.flatMap((frame) => {
			const bounds = editor.getShapePageBounds(frame.id)
			if (!bounds) return []
			const stage = parseFrameMeta(frame.meta).meta.stage
			return [{ id: frame.id, name: frame.props.name || 'Frame', x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h, stage: stage ?? null, topLevel: frame.parentId === pageId }]
		})
}

/** The slides of the current page, in presentation order, and which order that is. */
export function useSlides(snapshot: SessionSnapshot): { slides: SlideFrame[]; order: SlideOrder } {
	const editor = useEditor()
	const frames = useValue('presentation frames', () => pageFrames(editor), [editor])
	const agenda = snapshot.state?.agenda
	return useMemo(() => orderSlides(frames, agenda), [frames, agenda])
}

/** The slide this device's viewport shows (a follower sees the presenter's), or -1. */
export function useSlideInView(slides: readonly SlideFrame[]): number {
	const editor = useEditor()
	return useValue('slide in view', () => slideAt(slides, editor.getViewportPageBounds()), [editor, slides])
}

function showSlide(editor: Editor, slide: SlideFrame) {
	editor.zoomToBounds({ x: slide.x, y: slide.y, w: slide.w, h: slide.h }, { inset: 48, animation: { duration: 250 } })
}

export function startPresenting(editor: Editor, client: SessionClient, slides: readonly SlideFrame[]): Promise<unknown> {
	// Like a slide deck: from the first slide (End or the arrows reach the others).
	presentingSlide.set(0)
	if (slides[0]) showSlide(editor, slides[0])
	return client.request({ type: 'follow.set', on: true })
}

export function stopPresenting(client: SessionClient): Promise<unknown> {
	presentingSlide.set(null)
	return client.request({ type: 'follow.set', on: false })
}

const KEY_STEPS: Record<string, number | 'first' | 'last'> = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1, Home: 'first', End: 'last' }

/** A keypress that belongs to a text field or a sticky being edited, not to the presentation. */
function isTyping(editor: Editor, event: KeyboardEvent): boolean {
	const target = event.target as HTMLElement | null
	return editor.getEditingShapeId() !== null || !!target?.closest('input, textarea, select, [contenteditable="true"]')
}

/**
 * The presenter's bar: previous / next, "Slide n / N · name", Stop. Rendered
 * only on the presenting device; it also owns the arrow keys while shown.
 */
export function PresenterBar({ client, snapshot }: { client: SessionClient; snapshot: SessionSnapshot }) {
	const editor = useEditor()
	const index = useValue(presentingSlide)
	const { slides } = useSlides(snapshot)
	const presenterIsMe = !!snapshot.participantId && snapshot.state?.followMe?.participantId === snapshot.participantId

	// Follow-me switched off after it was ours (here, another device, another facilitator): the presentation ends.
	const wasPresenter = useRef(false)
	useEffect(() => {
		if (wasPresenter.current && !presenterIsMe) presentingSlide.set(null)
		wasPresenter.current = presenterIsMe
	}, [presenterIsMe])

	const go = useMemo(
		() => (step: number | 'first' | 'last') => {
			const current = presentingSlide.get()
			if (current === null || slides.length === 0) return
			const next = step === 'first' ? 0 : step === 'last' ? slides.length - 1 : Math.min(slides.length - 1, Math.max(0, current + step))
			presentingSlide.set(next)
			showSlide(editor, slides[next])
		},
		[editor, slides],
	)

	useEffect(() => {
		if (index === null) return
		const onKey = (event: KeyboardEvent) => {
			const step = KEY_STEPS[event.key]
			if (step === undefined || event.altKey || event.ctrlKey || event.metaKey || isTyping(editor, event)) return
			// Arrows would nudge a selected shape: while presenting they turn the slides.
			event.preventDefault()
			event.stopPropagation()
			go(step)
		}
		window.addEventListener('keydown', onKey, true)
		return () => window.removeEventListener('keydown', onKey, true)
	}, [editor, go, index])

	if (index === null) return null
	const slide = slides[index]
	return (
		<div className="presenter-bar" role="toolbar" aria-label="Presentation" data-testid="presenter-bar" onPointerDown={(event) => event.stopPropagation()}>
			<button type="button" className="presenter-bar__step" aria-label="Previous slide" data-testid="slide-previous" disabled={index <= 0} onClick={() => go(-1)}>
				◀
			</button>
			<span className="presenter-bar__counter" data-testid="slide-counter" aria-live="polite">
				{slides.length === 0 ? 'No frames to present' : `Slide ${index + 1} / ${slides.length}`}
				{slide && ' · '}
				{slide && <span className="presenter-bar__name">{slide.name}</span>}
			</span>
			<button type="button" className="presenter-bar__step" aria-label="Next slide" data-testid="slide-next" disabled={index >= slides.length - 1} onClick={() => go(1)}>
				▶
			</button>
			<button type="button" className="button presenter-bar__stop" data-testid="presentation-stop" onClick={() => void stopPresenting(client)}>
				Stop presenting
			</button>
		</div>
	)
}

/** "Slide n / N" for a follower, from the presenter's camera they follow; null when it shows no slide. */
export function FollowerSlideCounter({ snapshot }: { snapshot: SessionSnapshot }) {
	const { slides } = useSlides(snapshot)
	const inView = useSlideInView(slides)
	// Plain text in the pill (a nested element would be laid out as a flex item of its own).
	return inView < 0 ? null : <>{` · Slide ${inView + 1} / ${slides.length}`}</>
}
