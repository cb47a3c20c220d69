/**
 * Where a person lands on a board. The first visit (on this device) fits the
 * whole board, or the facilitator's current agenda phase frame when one is
 * active; later visits restore this person's own camera, kept per board in
 * localStorage. The camera is saved as it moves (throttled).
 */
import { useEffect, useRef } from 'react'
import { react, type Editor, type TLPageId, type TLShapeId } from 'tldraw'
import type { SessionState } from '../../shared/session/messages'
import { zoomIntoFreeArea } from './freeScreenArea'

const KEY_PREFIX = 'workshop-board:camera:'
const SAVE_EVERY_MS = 300

interface SavedCamera {
	pageId: string
	x: number
	y: number
	z: number
}

export function loadSavedCamera(boardId: string): SavedCamera | null {
	try {
		const parsed: unknown = JSON.parse(window.localStorage.getItem(KEY_PREFIX + boardId) ?? 'null')
		if (typeof parsed !== 'object' || parsed === null) return null
		const c = parsed as Record<string, unknown>
		const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
		if (typeof c.pageId !== 'string' || !finite(c.x) || !finite(c.y) || !finite(c.z) || c.z <= 0) return null
		return { pageId: c.pageId, x: c.x, y: c.y, z: c.z }
	} catch {
		return null
	}
}

function saveCamera(boardId: string, camera: SavedCamera) {
	try {
		window.localStorage.setItem(KEY_PREFIX + boardId, JSON.stringify(camera))
	} catch {
		// Storage unavailable: the next visit fits the board again.
	}
}

function currentPhaseFrame(state: SessionState | null): TLShapeId | null {
	const agenda = state?.agenda
	const phase = agenda?.phases.find((p) => p.id === agenda.currentPhaseId)
	return (phase?.frameId as TLShapeId | null | undefined) ?? null
}

/**
 * The status pill, the session bar and the workshop pills: three rows along the top. The
 * session bar fills in once the session is known, which may be after the entry fit.
 */
const ENTRY_MIN_TOP = 104

/** Fits page bounds into the part of the screen no UI covers (zoom at most 100 %). */
function fitIntoFreeArea(editor: Editor, bounds: { x: number; y: number; w: number; h: number }) {
	zoomIntoFreeArea(editor, bounds, { targetZoom: 1, immediate: true, minTop: ENTRY_MIN_TOP })
}

function fitBoard(editor: Editor) {
	const bounds = editor.getCurrentPageBounds()
	if (bounds) fitIntoFreeArea(editor, bounds)
}

export function useEntryCamera(editor: Editor | null, boardId: string, sessionState: SessionState | null) {
	// Whether this mount is a first visit that may still move to the phase frame once the session is known.
	const firstVisitRef = useRef(false)

	useEffect(() => {
		if (!editor) return
		const saved = loadSavedCamera(boardId)
		if (saved && editor.getPage(saved.pageId as TLPageId)) {
			firstVisitRef.current = false
			if (editor.getCurrentPageId() !== saved.pageId) editor.setCurrentPage(saved.pageId as TLPageId)
			editor.setCamera({ x: saved.x, y: saved.y, z: saved.z }, { immediate: true })
		} else {
			firstVisitRef.current = true
			fitBoard(editor)
		}
		let timer: ReturnType<typeof setTimeout> | null = null
		const stop = react('save camera', () => {
			const camera = editor.getCamera()
			const pageId = editor.getCurrentPageId()
			if (timer) clearTimeout(timer)
			timer = setTimeout(() => saveCamera(boardId, { pageId, x: camera.x, y: camera.y, z: camera.z }), SAVE_EVERY_MS)
		})
		return () => {
			stop()
			if (timer) clearTimeout(timer)
		}
	}, [editor, boardId])

	// First visit during an agenda phase: show that phase's frame instead (once).
	const phaseFrame = currentPhaseFrame(sessionState)
	const sessionKnown = sessionState !== null
	useEffect(() => {
		if (!editor || !sessionKnown || !firstVisitRef.current) return
		firstVisitRef.current = false
		const bounds = phaseFrame ? editor.getShapePageBounds(phaseFrame) : undefined
		if (bounds) fitIntoFreeArea(editor, bounds)
	}, [editor, sessionKnown, phaseFrame])
}
