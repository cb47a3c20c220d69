/**
 * tldraw's store schedules listeners with requestAnimationFrame, which Node
 * lacks. Import this module before using a tldraw store in Node: frames
 * become 16 ms timers (the bench flushes explicitly with `binding.flush()`).
 */
const g = globalThis as Record<string, unknown>
if (typeof g.requestAnimationFrame !== 'function') {
	// unref: a pending frame must not keep the process alive.
	g.requestAnimationFrame = (callback: (time: number) => void) => setTimeout(() => callback(performance.now()), 16).unref()
	g.cancelAnimationFrame = (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle)
}
export {}
