/**
 * Sticky label sizes remembered across visits. Opening a big board, tldraw
 * measures the label of every note in the DOM before the first paint (the
 * hover check at mount builds the spatial index from every shape's
 * geometry): on a 5,000-sticky board that was 47 % of the page's busy time
 * (docs/performance.md, scenario 4). A label's size depends only on its
 * content and text style, so a measurement made on one visit serves the next.
 *
 * The cache only ever answers what tldraw measured for exactly the same
 * content and style (the key holds the rich text, font, size and the util's
 * measured width); a miss measures as tldraw does. Measurements made before
 * the web fonts finished loading are used for this visit but not stored.
 */
import type { NoteShapeUtil, TLNoteShape } from 'tldraw'

export type LabelSize = ReturnType<NoteShapeUtil['getLabelSize']>

/** Bump when what a key means changes (fonts, measuring rules): old entries are then never matched. */
const KEY_FORMAT = 1
const DB_NAME = 'workshop-board:note-label-sizes'
const STORE = 'sizes'
/** Above this many stored entries the store is cleared and refilled with this visit's labels. */
const MAX_ENTRIES = 50_000
/** A slow or broken IndexedDB must not hold the board back. */
const LOAD_TIMEOUT_MS = 1500
const WRITE_DELAY_MS = 2000

export interface LabelSizeCache {
	get(key: string): LabelSize | undefined
	set(key: string, size: LabelSize): void
	/** Entries read from the previous visits. */
	readonly loaded: number
}

function openDb(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(DB_NAME, 1)
		request.onupgradeneeded = () => request.result.createObjectStore(STORE)
		request.onsuccess = () => resolve(request.result)
		request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'))
	})
}

function readAll(db: IDBDatabase): Promise<Map<string, LabelSize>> {
	return new Promise((resolve, reject) => {
		const store = db.transaction(STORE, 'readonly').objectStore(STORE)
		const keys = store.getAllKeys()
		const values = store.getAll()
		values.onsuccess = () => {
			const entries = new Map<string, LabelSize>()
			const all = values.result as unknown[]
			;(keys.result as IDBValidKey[]).forEach((key, i) => {
				const value = all[i] as Partial<LabelSize> | undefined
				if (typeof key === 'string' && isLabelSize(value)) entries.set(key, value)
			})
			resolve(entries)
		}
		values.onerror = () => reject(values.error ?? new Error('IndexedDB read failed'))
	})
}

function isLabelSize(value: Partial<LabelSize> | undefined): value is LabelSize {
	return (
		!!value &&
		Number.isFinite(value.labelHeight) &&
		Number.isFinite(value.labelWidth) &&
		Number.isFinite(value.fontSizeAdjustment)
	)
}

/** An in-memory cache (no IndexedDB: tests, private windows). */
export function memoryLabelSizeCache(initial = new Map<string, LabelSize>()): LabelSizeCache {
	return { get: (key) => initial.get(key), set: (key, size) => initial.set(key, size), loaded: initial.size }
}

/**
 * Reads the stored label sizes (at most LOAD_TIMEOUT_MS; on failure an empty
 * cache) and stores new measurements a little later in one transaction.
 */
export async function loadLabelSizeCache(): Promise<LabelSizeCache> {
	let db: IDBDatabase
	let entries: Map<string, LabelSize>
	try {
		db = await withTimeout(openDb(), LOAD_TIMEOUT_MS)
		entries = await withTimeout(readAll(db), LOAD_TIMEOUT_MS)
	} catch {
		return memoryLabelSizeCache()
	}
	const loaded = entries.size
	const pending = new Map<string, LabelSize>()
	const usedThisVisit = new Set<string>()
	let timer: ReturnType<typeof setTimeout> | null = null
	const write = () => {
		timer = null
		const batch = [...pending]
		pending.clear()
		try {
			const transaction = db.transaction(STORE, 'readwrite')
			const store = transaction.objectStore(STORE)
			if (entries.size > MAX_ENTRIES) {
				// Forget labels not seen this visit; keep what this board needs.
				store.clear()
				for (const key of [...entries.keys()]) if (!usedThisVisit.has(key)) entries.delete(key)
				for (const [key, size] of entries) store.put(size, key)
			} else {
				for (const [key, size] of batch) store.put(size, key)
			}
		} catch {
			// A full or closed IndexedDB only costs the next visit its head start.
		}
	}
	return {
		loaded,
		get(key) {
			const size = entries.get(key)
			if (size) usedThisVisit.add(key)
			return size
		},
		set(key, size) {
			entries.set(key, size)
			usedThisVisit.add(key)
			// Sizes measured with fallback fonts would be wrong once the fonts are in.
			if (typeof document !== 'undefined' && document.fonts && document.fonts.status !== 'loaded') return
			pending.set(key, size)
			timer ??= setTimeout(write, WRITE_DELAY_MS)
		},
	}
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('timed out')), ms)
		promise.then(
			(value) => {
				clearTimeout(timer)
				resolve(value)
			},
			(error: unknown) => {
				clearTimeout(timer)
				reject(error instanceof Error ? error : new Error(String(error)))
			},
		)
	})
}

/** What the label's measured size depends on. */
export function labelSizeKey(util: string, shape: TLNoteShape): string {
	const { richText, font, size } = shape.props
	return JSON.stringify([KEY_FORMAT, util, font, size, richText])
}

type NoteUtilClass = typeof NoteShapeUtil
type Measure = (this: NoteShapeUtil, shape: TLNoteShape) => LabelSize

/**
 * tldraw's expensive measurement, a private method of NoteShapeUtil (called
 * through its per-shape cache `getLabelSize`). Null if a tldraw upgrade
 * renamed it: then labels are measured as before (test/unit/labelSizeCache.bigBoard.test.ts fails).
 */
export function noteLabelMeasure(Util: NoteUtilClass): Measure | null {
	const measure: unknown = (Util.prototype as unknown as Record<string, unknown>).measureNoteLabelSize
	return typeof measure === 'function' ? (measure as Measure) : null
}

/**
 * `Util` (tldraw's NoteShapeUtil or a subclass) answering label sizes from
 * `cache` when it has measured the same label before. The key includes the
 * util's type and class name, so two utils with different styles never share.
 */
export function withCachedLabelSizes<T extends NoteUtilClass>(Util: T, cache: LabelSizeCache): T {
	const measure = noteLabelMeasure(Util)
	if (!measure) return Util
	const utilName = `${Util.type}/${Util.name}`
	// @ts-expect-error TS cannot check a mixin over a class with a generic constructor (TS2545); the subclass keeps Util's constructor.
	class CachedLabelSizes extends Util {}
	Object.defineProperty(CachedLabelSizes.prototype, 'measureNoteLabelSize', {
		configurable: true,
		writable: true,
		value(this: NoteShapeUtil, shape: TLNoteShape): LabelSize {
			const key = labelSizeKey(utilName, shape)
			const known = cache.get(key)
			if (known) return known
			const size = measure.call(this, shape)
			cache.set(key, size)
			return size
		},
	})
	return CachedLabelSizes as T
}

/** `utils` with every note util answering label sizes from `cache` (the others unchanged). */
export function withCachedNoteLabelSizes<T extends { type: string }>(utils: readonly T[], cache: LabelSizeCache): T[] {
	return utils.map((util) => (util.type === 'note' ? (withCachedLabelSizes(util as unknown as NoteUtilClass, cache) as unknown as T) : util))
}
