/**
 * Other people's pointers, outside tldraw's store. Why: at 200 people every
 * pointer moves 20 times a second; putting each move into the store makes
 * tldraw revalidate, re-derive and re-render its collaborator layer ~4,000
 * times a second. The feed keeps only what a cursor needs (page point, page,
 * colour, name, chat) and tells one painter when something moved; the store
 * still gets each person's full presence, pointer included, at most once a
 * second (client/sync/presence.ts), for tldraw's edge hints and idle state.
 */
import type { TLStore } from '@tldraw/tlschema'

/** What the presence sync tells the feed about one pointer. */
export interface RemoteCursorUpdate {
	/** The page the pointer is on (others' pages are not drawn). */
	pageId: string
	/** Latest pointer position in page coordinates. */
	x: number
	y: number
	color: string
	name: string
	chatMessage: string
}

export interface RemoteCursor extends RemoteCursorUpdate {
	clientId: number
	/** Where the glide towards (x, y) started, and when (performance.now()). */
	fromX: number
	fromY: number
	movedAt: number
}

/** A pointer's page, position and look, without its glide state. */
export function cursorUpdateOf(cursor: RemoteCursor): RemoteCursorUpdate {
	return { pageId: cursor.pageId, x: cursor.x, y: cursor.y, color: cursor.color, name: cursor.name, chatMessage: cursor.chatMessage }
}

/**
 * How long a cursor glides to its next position. A little longer than the
 * server's 50 ms awareness tick, so a steadily moving pointer never stops
 * between ticks (interpolation instead of 20 Hz jumps).
 */
export const CURSOR_GLIDE_MS = 70

/** Called with the client whose pointer changed, or null when every pointer went. */
type Listener = (clientId: number | null) => void

export class RemoteCursorFeed {
	private readonly cursors = new Map<number, RemoteCursor>()
	private readonly listeners = new Set<Listener>()
	/** Bumped on every change, so a painter can tell whether to redraw. */
	version = 0

	constructor(private readonly now: () => number = () => performance.now()) {}

	/** Sets a client's pointer; a moved pointer glides from where it is drawn now. */
	set(clientId: number, update: RemoteCursorUpdate): void {
		const existing = this.cursors.get(clientId)
		const now = this.now()
		if (!existing) {
			this.cursors.set(clientId, { clientId, ...update, fromX: update.x, fromY: update.y, movedAt: now })
		} else {
			const moved = existing.x !== update.x || existing.y !== update.y || existing.pageId !== update.pageId
			const looksSame = existing.color === update.color && existing.name === update.name && existing.chatMessage === update.chatMessage
			if (!moved && looksSame) return
			if (moved) {
				const drawn = cursorPositionAt(existing, now)
				// A page change jumps: gliding across pages would draw a line through nothing.
				const jump = existing.pageId !== update.pageId
				existing.fromX = jump ? update.x : drawn.x
				existing.fromY = jump ? update.y : drawn.y
				existing.movedAt = now
			}
			Object.assign(existing, update)
		}
		this.changed(clientId)
	}

	/** Moves a known pointer (same page, look unchanged); false when the client has no pointer yet. */
	move(clientId: number, x: number, y: number): boolean {
		const existing = this.cursors.get(clientId)
		if (!existing) return false
		this.set(clientId, { ...cursorUpdateOf(existing), x, y })
		return true
	}

	remove(clientId: number): void {
		if (this.cursors.delete(clientId)) this.changed(clientId)
	}

	clear(): void {
		if (this.cursors.size === 0) return
		this.cursors.clear()
		this.changed(null)
	}

	get size(): number {
		return this.cursors.size
	}

	get(clientId: number): RemoteCursor | undefined {
		return this.cursors.get(clientId)
	}

	values(): IterableIterator<RemoteCursor> {
		return this.cursors.values()
	}

	subscribe(listener: Listener): () => void {
		this.listeners.add(listener)
		return () => this.listeners.delete(listener)
	}

	private changed(clientId: number | null): void {
		this.version++
		for (const listener of this.listeners) listener(clientId)
	}
}

/** Where a cursor is drawn at `now`: on its way from (fromX, fromY) to (x, y), eased out. */
export function cursorPositionAt(cursor: RemoteCursor, now: number): { x: number; y: number; gliding: boolean } {
	const t = (now - cursor.movedAt) / CURSOR_GLIDE_MS
	if (t >= 1 || (cursor.fromX === cursor.x && cursor.fromY === cursor.y)) return { x: cursor.x, y: cursor.y, gliding: false }
	const eased = 1 - (1 - Math.max(0, t)) ** 2
	return { x: cursor.fromX + (cursor.x - cursor.fromX) * eased, y: cursor.fromY + (cursor.y - cursor.fromY) * eased, gliding: true }
}

const feeds = new WeakMap<TLStore, RemoteCursorFeed>()

/** The one feed of a store: the presence sync writes it, the cursor layer reads it. */
export function remoteCursorFeedFor(store: TLStore): RemoteCursorFeed {
	let feed = feeds.get(store)
	if (!feed) {
		feed = new RemoteCursorFeed()
		feeds.set(store, feed)
	}
	return feed
}
