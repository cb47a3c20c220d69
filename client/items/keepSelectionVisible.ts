/**
 * On a phone the sticky/frame panel is a sheet over the lower part of the screen (app.css): a
 * sticky tapped down there would end up under the very panel that edits it. When the sheet opens
 * over its shape, the board pans (never zooms) so the shape sits just above the sheet.
 */
import { useEffect, type RefObject } from 'react'
import type { Editor, TLShapeId } from 'tldraw'

/** Screens at most this wide show the panel as a sheet (the app.css media query). */
const SHEET_MAX_WIDTH = 600
const GAP = 12

export function useKeepShapeAboveSheet(editor: Editor, shapeId: TLShapeId, sheet: RefObject<HTMLElement | null>) {
	useEffect(() => {
		const el = sheet.current
		if (!el || window.innerWidth > SHEET_MAX_WIDTH) return
		const keepAbove = () => {
			const bounds = editor.getShapePageBounds(shapeId)
			if (!bounds) return
			const sheetTop = el.getBoundingClientRect().top
			const shapeBottom = editor.pageToScreen({ x: bounds.maxX, y: bounds.maxY }).y
			const shapeTop = editor.pageToScreen({ x: bounds.minX, y: bounds.minY }).y
			const overlap = shapeBottom + GAP - sheetTop
			if (overlap <= 0) return
			// Move up by the overlap, but not so far that the shape's top goes under the pills along the top.
			const chromeBottom = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--wb-top-chrome-bottom')) || 0
			const dy = Math.min(overlap, Math.max(0, shapeTop - chromeBottom - GAP))
			if (dy <= 0) return
			const camera = editor.getCamera()
			// tldraw: screen = (page + camera) * z, so moving content up by dy px is camera.y - dy / z.
			editor.setCamera({ x: camera.x, y: camera.y - dy / camera.z, z: camera.z }, { animation: { duration: 200 } })
		}
		keepAbove()
		// The sheet grows after its first paint (sections that render once their data is there), so its
		// top moves up over the shape again: follow its size, not only the first one.
		const observer = new ResizeObserver(() => keepAbove())
		observer.observe(el)
		return () => observer.disconnect()
	}, [editor, shapeId, sheet])
}
