/**
 * Theme frames: a theme's title and its frame's name are one thing (editing
 * either updates the other), a theme laid out from a suggestion is a compact
 * grid of its stickies, and a theme dropped into a Now / Next / Later lane is
 * reflowed and moved so it fits the lane's width (the lane grows downwards
 * when it needs more height), so nothing is clipped.
 */
import type { Editor, TLFrameShape, TLShape, TLShapeId } from 'tldraw'
import { FrameMetaKey, NOTE_BASE_SIZE } from '../../shared/items'

const THEME_PADDING = 40
/** Room for tldraw's frame heading above the first row. */
const THEME_TOP = 60
const STICKY_GAP = 20
const LANE_PADDING = 20

type ThemeMetaRecord = { title?: unknown }

function themeOf(shape: TLShape): ThemeMetaRecord | null {
	if (shape.type !== 'frame') return null
	const theme = (shape.meta as Record<string, unknown>)[FrameMetaKey.theme]
	return typeof theme === 'object' && theme !== null ? (theme as ThemeMetaRecord) : null
}

function isLane(shape: TLShape | undefined): shape is TLFrameShape {
	return !!shape && shape.type === 'frame' && typeof (shape.meta as Record<string, unknown>)[FrameMetaKey.lane] === 'string'
}

/** The size a theme with `count` stickies in `columns` columns needs. */
export function themeSize(count: number, columns: number): { w: number; h: number } {
	const cols = Math.max(1, Math.min(columns, count))
	const rows = Math.max(1, Math.ceil(count / cols))
	const cell = NOTE_BASE_SIZE + STICKY_GAP
	return { w: 2 * THEME_PADDING + cols * cell - STICKY_GAP, h: THEME_TOP + THEME_PADDING + rows * cell - STICKY_GAP }
}

/** Lays the frame's stickies out in a grid of `columns` columns and sizes the frame to fit them. */
function reflowTheme(editor: Editor, frame: TLFrameShape, columns: number) {
	const children = editor.getSortedChildIdsForParent(frame.id).map((id) => editor.getShape(id)).filter((s): s is TLShape => !!s)
	const notes = children.filter((s) => s.type === 'note').sort((a, b) => a.y - b.y || a.x - b.x)
	const cols = Math.max(1, Math.min(columns, notes.length))
	const cell = NOTE_BASE_SIZE + STICKY_GAP
	editor.updateShapes(
		notes.map((note, k) => ({ id: note.id, type: note.type, x: THEME_PADDING + (k % cols) * cell, y: THEME_TOP + Math.floor(k / cols) * cell })),
	)
	const size = themeSize(Math.max(1, notes.length), cols)
	editor.updateShape<TLFrameShape>({ id: frame.id, type: 'frame', props: { w: size.w, h: size.h } })
}

/** Wraps `noteIds` in a new theme frame at `at` (page coordinates), laid out as a grid; returns its id. */
export function createThemeFrame(editor: Editor, noteIds: readonly TLShapeId[], title: string, at: { x: number; y: number }): TLShapeId {
	const frameId = `shape:${crypto.randomUUID()}` as TLShapeId
	const size = themeSize(noteIds.length, 2)
	editor.createShape<TLFrameShape>({
		id: frameId,
		type: 'frame',
		x: at.x,
		y: at.y,
		props: { w: size.w, h: size.h, name: title },
		meta: { [FrameMetaKey.theme]: { title, description: '', goal: { metric: '', target: '', northStar: false } } },
	})
	editor.reparentShapes([...noteIds], frameId)
	const frame = editor.getShape<TLFrameShape>(frameId)
	if (frame) reflowTheme(editor, frame, 2)
	return frameId
}

/** Makes a theme frame inside a lane fit it: reflowed to the lane's width, moved inside, the lane grown in height. */
function fitThemeIntoLane(editor: Editor, theme: TLFrameShape, lane: TLFrameShape) {
	const available = lane.props.w - 2 * LANE_PADDING
	if (theme.props.w > available) {
		const columns = Math.max(1, Math.floor((available - 2 * THEME_PADDING + STICKY_GAP) / (NOTE_BASE_SIZE + STICKY_GAP)))
		reflowTheme(editor, theme, columns)
	}
	const current = editor.getShape<TLFrameShape>(theme.id)
	if (!current) return
	const x = Math.min(Math.max(current.x, LANE_PADDING), Math.max(LANE_PADDING, lane.props.w - LANE_PADDING - current.props.w))
	const y = Math.max(current.y, THEME_TOP)
	if (x !== current.x || y !== current.y) editor.updateShape({ id: current.id, type: 'frame', x, y })
	const neededH = y + current.props.h + LANE_PADDING
	if (neededH > lane.props.h) {
		editor.updateShape<TLFrameShape>({ id: lane.id, type: 'frame', props: { h: neededH } })
		// The stage holding the lanes grows with it.
		const stage = editor.getShape(lane.parentId as TLShapeId)
		if (stage && stage.type === 'frame') {
			const stageFrame = stage as TLFrameShape
			const stageNeeds = lane.y + neededH + LANE_PADDING
			if (stageNeeds > stageFrame.props.h) editor.updateShape<TLFrameShape>({ id: stageFrame.id, type: 'frame', props: { h: stageNeeds } })
		}
	}
}

export function registerThemeFrames(editor: Editor): () => void {
	// Title ⇄ frame name, in the same change (one undo step, one sync update).
	const offBefore = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next) => {
		const theme = themeOf(next)
		if (!theme || prev.type !== 'frame') return next
		const prevName = (prev as TLFrameShape).props.name
		const nextName = (next as TLFrameShape).props.name
		const prevTheme = themeOf(prev)
		if (!prevTheme && typeof theme.title === 'string' && !theme.title.trim()) {
			// Turned into a theme without a title: the frame's name is its title.
			return { ...next, meta: { ...next.meta, [FrameMetaKey.theme]: { ...theme, title: (next as TLFrameShape).props.name } } } as TLShape
		}
		const prevTitle = prevTheme?.title
		if (nextName !== prevName && theme.title !== nextName) {
			return { ...next, meta: { ...next.meta, [FrameMetaKey.theme]: { ...theme, title: nextName } } } as TLShape
		}
		if (typeof theme.title === 'string' && theme.title !== prevTitle && theme.title !== nextName) {
			return { ...next, props: { ...(next as TLFrameShape).props, name: theme.title } } as TLShape
		}
		return next
	})
	// A theme dropped into a lane (or resized inside one) is made to fit, once the drag is over.
	const pending = new Set<TLShapeId>()
	const offAfter = editor.sideEffects.registerAfterChangeHandler('shape', (prev, next, source) => {
		if (source !== 'user' || !themeOf(next)) return
		const changed = prev.parentId !== next.parentId || (prev as TLFrameShape).props.w !== (next as TLFrameShape).props.w
		if (changed) pending.add(next.id)
	})
	const settle = () => {
		if (!pending.size || editor.isIn('select.translating') || editor.isIn('select.resizing')) return
		const ids = [...pending]
		pending.clear()
		for (const id of ids) {
			const theme = editor.getShape<TLFrameShape>(id)
			const lane = theme && editor.getShape(theme.parentId as TLShapeId)
			if (theme && isLane(lane)) fitThemeIntoLane(editor, theme, lane)
		}
	}
	editor.on('tick', settle)
	return () => {
		offBefore()
		offAfter()
		editor.off('tick', settle)
	}
}
