/**
 * The paint loop of the cursor layer, the same on the main thread and in the
 * worker: keeps its own copy of the pointers, paints on the next animation
 * frame after a change, and keeps painting while a pointer glides.
 */
import { CursorPainter, type AnyCanvas, type CanvasFactory, type CursorView } from './cursorPainter'
import { RemoteCursorFeed, type RemoteCursorUpdate } from './remoteCursorFeed'

/** A pointer whose page, colour, name or chat changed (or that is new): sent in full. */
export type CursorLook = [clientId: number, update: RemoteCursorUpdate]

/**
 * Changed pointers, as they cross to the worker. Nearly every change is a move,
 * so moves travel as (clientId, x, y) triplets in one Float64Array; looks only
 * when they change.
 */
export interface CursorChanges {
	clear: boolean
	looks: CursorLook[]
	moves: Float64Array
	removed: number[]
}

export type CursorLayerMessage =
	| { type: 'init'; canvas: OffscreenCanvas; dpr: number }
	| { type: 'view'; view: CursorView }
	| ({ type: 'cursors' } & CursorChanges)

export type CursorLayerReport = { type: 'drawn'; count: number }

type FrameScheduler = { request(callback: () => void): number; cancel(handle: number): void }

/**
 * Pointers are painted at most this often. Updates arrive 15–20 times a second;
 * 30 paints a second still glide between them, at half the cost of 60 (every
 * paint is a full-canvas commit, which the browser copies for the page).
 */
const PAINT_INTERVAL_MS = 1000 / 30 - 2

export class CursorRenderer {
	private readonly cursors = new RemoteCursorFeed()
	private readonly painter: CursorPainter
	private view: CursorView | null = null
	private frame: number | null = null
	private drawn = -1
	private paintedAt = Number.NEGATIVE_INFINITY

	constructor(
		private readonly canvas: AnyCanvas,
		private readonly dpr: number,
		createCanvas: CanvasFactory,
		private readonly frames: FrameScheduler,
		private readonly onDrawn: (count: number) => void,
	) {
		const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null
		if (!ctx) throw new Error('2D canvas unavailable')
		this.painter = new CursorPainter(ctx, dpr, createCanvas)
	}

	setView(view: CursorView): void {
		const width = Math.round(view.width * this.dpr)
		const height = Math.round(view.height * this.dpr)
		if (this.canvas.width !== width || this.canvas.height !== height) {
			this.canvas.width = width
			this.canvas.height = height
		}
		this.view = view
		this.schedule()
	}

	apply(changes: CursorChanges): void {
		if (changes.clear) this.cursors.clear()
		for (const clientId of changes.removed) this.cursors.remove(clientId)
		for (const [clientId, update] of changes.looks) this.cursors.set(clientId, update)
		const moves = changes.moves
		for (let i = 0; i + 2 < moves.length; i += 3) this.cursors.move(moves[i]!, moves[i + 1]!, moves[i + 2]!)
		this.schedule()
	}

	dispose(): void {
		if (this.frame !== null) this.frames.cancel(this.frame)
		this.frame = null
	}

	private schedule(): void {
		if (this.frame === null) this.frame = this.frames.request(() => this.paint())
	}

	private paint(): void {
		this.frame = null
		if (!this.view) return
		const now = performance.now()
		if (now - this.paintedAt < PAINT_INTERVAL_MS) {
			this.schedule()
			return
		}
		this.paintedAt = now
		const result = this.painter.paint(this.cursors.values(), this.view, now)
		if (result.drawn !== this.drawn) {
			this.drawn = result.drawn
			this.onDrawn(result.drawn)
		}
		if (result.gliding) this.schedule()
	}
}
