/**
 * Other people's pointers, drawn on one canvas above the shapes (tldraw's own
 * DOM cursors are switched off: BoardChrome sets CollaboratorCursor to null).
 * Positions come from the store's RemoteCursorFeed, which the presence sync
 * fills on every awareness change without touching the store. The canvas is
 * painted in a worker when the browser can hand it over (OffscreenCanvas),
 * else on the main thread; the main thread only forwards changed pointers,
 * one message per awareness update.
 */
import { react } from '@tldraw/state'
import { useEffect, useRef } from 'react'
import { useEditor } from 'tldraw'
import type { CursorView } from './cursorPainter'
import { CursorRenderer, type CursorChanges, type CursorLayerMessage, type CursorLayerReport } from './cursorRenderer'
import { cursorUpdateOf, remoteCursorFeedFor, type RemoteCursorFeed } from './remoteCursorFeed'

const LAYER_STYLE = { position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' } as const

interface LayerTarget {
	setView(view: CursorView): void
	apply(changes: CursorChanges): void
	dispose(): void
}

function workerTarget(canvas: HTMLCanvasElement, dpr: number, onDrawn: (count: number) => void): LayerTarget | null {
	if (typeof Worker === 'undefined' || typeof canvas.transferControlToOffscreen !== 'function') return null
	let worker: Worker
	try {
		worker = new Worker(new URL('./cursorRenderer.worker.ts', import.meta.url), { type: 'module', name: 'remote-cursors' })
	} catch {
		return null
	}
	const offscreen = canvas.transferControlToOffscreen()
	const post = (message: CursorLayerMessage, transfer: Transferable[] = []) => worker.postMessage(message, transfer)
	post({ type: 'init', canvas: offscreen, dpr }, [offscreen])
	worker.onmessage = (event: MessageEvent<CursorLayerReport>) => {
		if (event.data.type === 'drawn') onDrawn(event.data.count)
	}
	return {
		setView: (view) => post({ type: 'view', view }),
		apply: (changes) => post({ type: 'cursors', ...changes }, changes.moves.byteLength > 0 ? [changes.moves.buffer] : []),
		dispose: () => worker.terminate(),
	}
}

function mainThreadTarget(canvas: HTMLCanvasElement, dpr: number, onDrawn: (count: number) => void): LayerTarget {
	const frames = { request: (callback: () => void) => requestAnimationFrame(callback), cancel: (handle: number) => cancelAnimationFrame(handle) }
	const createCanvas = (width: number, height: number) => Object.assign(document.createElement('canvas'), { width, height })
	const renderer = new CursorRenderer(canvas, dpr, createCanvas, frames, onDrawn)
	return { setView: (view) => renderer.setView(view), apply: (changes) => renderer.apply(changes), dispose: () => renderer.dispose() }
}

/**
 * Turns the feed's changed pointers into one message: a look (page, colour,
 * name, chat) only for pointers whose look the renderer does not have yet.
 */
class ChangeCollector {
	private readonly sentLooks = new Map<number, string>()
	private readonly dirty = new Set<number>()
	private cleared = false

	constructor(private readonly feed: RemoteCursorFeed) {}

	get pending(): boolean {
		return this.cleared || this.dirty.size > 0
	}

	note(clientId: number | null): void {
		if (clientId === null) {
			this.cleared = true
			this.dirty.clear()
			this.sentLooks.clear()
		} else {
			this.dirty.add(clientId)
		}
	}

	noteAll(): void {
		for (const cursor of this.feed.values()) this.dirty.add(cursor.clientId)
	}

	take(): CursorChanges {
		const looks: CursorChanges['looks'] = []
		const removed: number[] = []
		const moves = new Float64Array(this.dirty.size * 3)
		let moveCount = 0
		for (const clientId of this.dirty) {
			const cursor = this.feed.get(clientId)
			if (!cursor) {
				if (this.sentLooks.delete(clientId)) removed.push(clientId)
				continue
			}
			const look = `${cursor.pageId}\u0000${cursor.color}\u0000${cursor.name}\u0000${cursor.chatMessage}`
			if (this.sentLooks.get(clientId) !== look) {
				this.sentLooks.set(clientId, look)
				looks.push([clientId, cursorUpdateOf(cursor)])
			} else {
				moves[moveCount * 3] = clientId
				moves[moveCount * 3 + 1] = cursor.x
				moves[moveCount * 3 + 2] = cursor.y
				moveCount++
			}
		}
		const changes: CursorChanges = { clear: this.cleared, looks, removed, moves: moves.subarray(0, moveCount * 3) }
		this.dirty.clear()
		this.cleared = false
		return changes
	}
}

export function RemoteCursorLayer() {
	const editor = useEditor()
	const canvasRef = useRef<HTMLDivElement | null>(null)
	useEffect(() => {
		// A canvas handed to a worker cannot be handed over again (StrictMode mounts twice): a fresh one per mount.
		const host = canvasRef.current
		if (!host) return
		const onDrawn = (count: number) => {
			host.dataset.drawn = String(count)
		}
		const canvas = document.createElement('canvas')
		Object.assign(canvas.style, LAYER_STYLE)
		host.replaceChildren(canvas)
		const dpr = Math.min(window.devicePixelRatio || 1, 2)
		const inWorker = workerTarget(canvas, dpr, onDrawn)
		const target = inWorker ?? mainThreadTarget(canvas, dpr, onDrawn)
		host.dataset.renderer = inWorker ? 'worker' : 'main-thread'

		const feed = remoteCursorFeedFor(editor.store)
		const collector = new ChangeCollector(feed)
		collector.noteAll()
		target.apply(collector.take())
		let queued = false
		let disposed = false
		const flush = () => {
			queued = false
			if (!disposed && collector.pending) target.apply(collector.take())
		}
		const unsubscribe = feed.subscribe((clientId) => {
			collector.note(clientId)
			// One message per burst (an awareness frame moves many pointers at once). A microtask, not
			// requestAnimationFrame: a main-thread frame per burst would cost style and paint for nothing.
			if (!queued) {
				queued = true
				queueMicrotask(flush)
			}
		})
		const stopView = react('remote cursor view', () => {
			const camera = editor.getCamera()
			const bounds = editor.getViewportScreenBounds()
			target.setView({ pageId: editor.getCurrentPageId(), cameraX: camera.x, cameraY: camera.y, zoom: camera.z, width: Math.round(bounds.w), height: Math.round(bounds.h) })
		})
		return () => {
			unsubscribe()
			stopView()
			disposed = true
			target.dispose()
			host.replaceChildren()
		}
	}, [editor])
	return <div ref={canvasRef} className="remote-cursors" data-testid="remote-cursors" aria-hidden="true" style={LAYER_STYLE} />
}
