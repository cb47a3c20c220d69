/**
 * Paints other people's pointers off the main thread (OffscreenCanvas): in a
 * 200-person room, painting 200 pointers 60 times a second on the main thread
 * cost more than everything else the page did (docs/performance.md, scenario 7).
 */
import { CursorRenderer, type CursorLayerMessage, type CursorLayerReport } from './cursorRenderer'

const scope = self as unknown as {
	onmessage: ((event: MessageEvent<CursorLayerMessage>) => void) | null
	postMessage(message: CursorLayerReport): void
	requestAnimationFrame?: (callback: () => void) => number
	cancelAnimationFrame?: (handle: number) => void
}

// Dedicated workers have requestAnimationFrame in Chromium and Firefox; a timer stands in elsewhere.
const frames = scope.requestAnimationFrame
	? { request: (callback: () => void) => scope.requestAnimationFrame!(callback), cancel: (handle: number) => scope.cancelAnimationFrame?.(handle) }
	: { request: (callback: () => void) => setTimeout(callback, 16) as unknown as number, cancel: (handle: number) => clearTimeout(handle) }

let renderer: CursorRenderer | null = null

scope.onmessage = (event) => {
	const message = event.data
	switch (message.type) {
		case 'init':
			renderer = new CursorRenderer(message.canvas, message.dpr, (width, height) => new OffscreenCanvas(width, height), frames, (count) =>
				scope.postMessage({ type: 'drawn', count }),
			)
			break
		case 'view':
			renderer?.setView(message.view)
			break
		case 'cursors':
			renderer?.apply(message)
			break
	}
}
