/**
 * Draws remote pointers onto a 2D canvas: one pre-rendered sprite per look
 * (colour, name, chat message) stamped with drawImage, so a frame with 200
 * pointers costs 200 image copies instead of 200 DOM/SVG updates.
 */
import { cursorPositionAt, type RemoteCursor } from './remoteCursorFeed'

/** What the viewer sees: page, camera (tldraw: viewport = (page + camera) × zoom) and viewport size in CSS pixels. */
export interface CursorView {
	pageId: string
	cameraX: number
	cameraY: number
	zoom: number
	width: number
	height: number
}

export interface PaintResult {
	drawn: number
	/** Some pointer is still on its way: paint again next frame. */
	gliding: boolean
}

/** A canvas to draw on: a DOM canvas on the main thread, an OffscreenCanvas in a worker. */
export type AnyCanvas = HTMLCanvasElement | OffscreenCanvas
type AnyContext2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D
export type CanvasFactory = (width: number, height: number) => AnyCanvas

interface Sprite {
	image: AnyCanvas
	/** Where the pointer's tip is inside the image (CSS pixels). */
	tipX: number
	tipY: number
	width: number
	height: number
}

const LABEL_FONT = '600 12px system-ui, -apple-system, "Segoe UI", sans-serif'
const CHAT_FONT = '13px system-ui, -apple-system, "Segoe UI", sans-serif'
const MAX_LABEL_WIDTH = 180
const MAX_SPRITES = 512
/** Pointer outline, tip at (0, 0). Drawn by hand: a classic arrow. */
const ARROW: ReadonlyArray<readonly [number, number]> = [
	[0, 0],
	[0, 17],
	[4.6, 12.8],
	[7.6, 19.6],
	[10.4, 18.4],
	[7.5, 11.8],
	[13.2, 11.8],
]
const MARGIN = 2

function fitText(ctx: AnyContext2D, text: string, maxWidth: number): string {
	if (ctx.measureText(text).width <= maxWidth) return text
	let cut = text
	while (cut.length > 1 && ctx.measureText(`${cut}…`).width > maxWidth) cut = cut.slice(0, -1)
	return `${cut}…`
}

function roundedRect(ctx: AnyContext2D, x: number, y: number, w: number, h: number, r: number): void {
	ctx.beginPath()
	ctx.roundRect(x, y, w, h, r)
}

/** Dark text on light colours, white on dark ones (WCAG relative luminance). */
function labelTextColor(color: string, ctx: AnyContext2D): string {
	ctx.fillStyle = color
	const normalized = ctx.fillStyle // the canvas normalises any CSS colour to #rrggbb or rgba()
	const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(normalized)
	if (!match) return '#ffffff'
	const [r, g, b] = match.slice(1).map((hex) => {
		const c = Number.parseInt(hex, 16) / 255
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
	}) as [number, number, number]
	const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
	return luminance > 0.4 ? '#1d1d1d' : '#ffffff'
}

function context2d(canvas: AnyCanvas): AnyContext2D | null {
	return canvas.getContext('2d') as AnyContext2D | null
}

function renderSprite(color: string, name: string, chatMessage: string, dpr: number, createCanvas: CanvasFactory): Sprite {
	const measure = context2d(createCanvas(1, 1))
	if (!measure) throw new Error('2D canvas unavailable')
	measure.font = LABEL_FONT
	const label = name ? fitText(measure, name, MAX_LABEL_WIDTH) : ''
	const labelWidth = label ? Math.ceil(measure.measureText(label).width) + 12 : 0
	measure.font = CHAT_FONT
	const chat = chatMessage ? fitText(measure, chatMessage, 240) : ''
	const chatWidth = chat ? Math.ceil(measure.measureText(chat).width) + 16 : 0
	const labelX = 14
	const labelY = 18
	const width = MARGIN * 2 + Math.max(16, labelX + Math.max(labelWidth, chatWidth))
	const height = MARGIN * 2 + labelY + (label ? 20 : 0) + (chat ? 26 : 0)
	const image = createCanvas(Math.ceil(width * dpr), Math.ceil(height * dpr))
	const ctx = context2d(image)
	if (!ctx) throw new Error('2D canvas unavailable')
	ctx.scale(dpr, dpr)
	ctx.translate(MARGIN, MARGIN)
	ctx.beginPath()
	ARROW.forEach(([x, y], index) => (index === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)))
	ctx.closePath()
	ctx.lineJoin = 'round'
	ctx.lineWidth = 2.5
	ctx.strokeStyle = '#ffffff'
	ctx.stroke()
	ctx.fillStyle = color
	ctx.fill()
	let y = labelY
	if (label) {
		roundedRect(ctx, labelX, y, labelWidth, 20, 6)
		ctx.fillStyle = color
		ctx.fill()
		ctx.font = LABEL_FONT
		ctx.textBaseline = 'middle'
		ctx.fillStyle = labelTextColor(color, ctx)
		ctx.fillText(label, labelX + 6, y + 10.5)
		y += 22
	}
	if (chat) {
		roundedRect(ctx, labelX, y, chatWidth, 24, 8)
		ctx.fillStyle = '#ffffff'
		ctx.fill()
		ctx.lineWidth = 1.5
		ctx.strokeStyle = color
		ctx.stroke()
		ctx.font = CHAT_FONT
		ctx.textBaseline = 'middle'
		ctx.fillStyle = '#1d1d1d'
		ctx.fillText(chat, labelX + 8, y + 12.5)
	}
	return { image, tipX: MARGIN, tipY: MARGIN, width, height }
}

export class CursorPainter {
	private readonly sprites = new Map<string, Sprite>()

	constructor(
		private readonly ctx: AnyContext2D,
		private readonly dpr: number,
		private readonly createCanvas: CanvasFactory,
	) {}

	private spriteFor(cursor: RemoteCursor): Sprite {
		const key = `${cursor.color}\u0000${cursor.name}\u0000${cursor.chatMessage}`
		let sprite = this.sprites.get(key)
		if (!sprite) {
			// Names and chat messages change rarely; a cap keeps a long chat from growing the cache.
			if (this.sprites.size >= MAX_SPRITES) this.sprites.clear()
			sprite = renderSprite(cursor.color, cursor.name, cursor.chatMessage, this.dpr, this.createCanvas)
			this.sprites.set(key, sprite)
		}
		return sprite
	}

	/** Clears the canvas and draws every pointer on the viewer's page that is (partly) in view. */
	paint(cursors: Iterable<RemoteCursor>, view: CursorView, now: number): PaintResult {
		const { ctx, dpr } = this
		ctx.setTransform(1, 0, 0, 1, 0, 0)
		ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height)
		ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
		let drawn = 0
		let gliding = false
		for (const cursor of cursors) {
			if (cursor.pageId !== view.pageId) continue
			const position = cursorPositionAt(cursor, now)
			if (position.gliding) gliding = true
			const x = (position.x + view.cameraX) * view.zoom
			const y = (position.y + view.cameraY) * view.zoom
			// Off-screen pointers cost a comparison; tldraw's edge hints point to them.
			if (x < -MAX_LABEL_WIDTH - 40 || y < -60 || x > view.width || y > view.height) continue
			const sprite = this.spriteFor(cursor)
			ctx.drawImage(sprite.image, Math.round(x - sprite.tipX), Math.round(y - sprite.tipY), sprite.width, sprite.height)
			drawn++
		}
		return { drawn, gliding }
	}
}
