/**
 * Bench-only page (scenario 4), built separately by bench/browser/vite.config.ts.
 *
 *   /?mode=sync&board=<id>      the app's load path: openBoardConnection (y-websocket + IndexedDB),
 *                               createTLStore, bindStoreToYDoc once the board is known, <Tldraw store>
 *   /?mode=sync&idb=0&board=…   the same without the IndexedDB copy (diagnostic)
 *   …&local=wait                a second visit waiting for the server although the IndexedDB copy exists (the previous path)
 *   …&labels=0                  without the sticky label sizes remembered across visits (client/sync/labelSizeCache.ts)
 *   /?mode=snapshot&count=<n>   tldraw alone: fetch bench-snapshot.json, createTLStore({ snapshot }), <Tldraw store>
 *   /?mode=sync&presence=1&…    sync plus the app's presence path (scenario 7): syncRemotePresence feeds
 *                               other clients' pointers to the app's cursor layer (client/presence) and
 *                               their presence to the store; publishLocalPresence publishes this page's own
 *   …&presence=1&cursors=tldraw  the reference: every pointer move into the store, tldraw's DOM cursors
 *
 * Both report to `window.__bench` when the editor is mounted, every shape is
 * in the store and two animation frames have been painted (the canvas
 * answers input). `window.__bench.countFrames(ms)` counts painted frames.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { StrictMode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { atom, createTLStore, defaultBindingUtils, defaultShapeUtils, NoteShapeUtil, Tldraw, type Editor, type TLAnyShapeUtilConstructor, type TLStore, type TLStoreSnapshot } from 'tldraw'
import 'tldraw/tldraw.css'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { openBoardConnection, syncServerUrl } from '../../client/board/boardConnection'
import { RemoteCursorLayer } from '../../client/presence/RemoteCursorLayer'
import { bindStoreToYDoc, publishLocalPresence, syncRemotePresence } from '../../client/sync'
import { loadLabelSizeCache, withCachedLabelSizes } from '../../client/sync/labelSizeCache'

export interface BenchWindowState {
	mode: string
	/** ms since navigation start. */
	storeReadyAt: number | null
	mountedAt: number | null
	readyAt: number | null
	shapes: number
	error: string | null
	/** x of a shape in the page's store (to check a remote drag arrived). */
	shapeX(id: string): number | null
	countFrames(ms: number): Promise<{ frames: number; ms: number; longestFrameMs: number }>
	/**
	 * Moves a shape `hz` times a second as a remote change straight into the
	 * store (no sync) while counting frames: tldraw's own cost of the same drag.
	 */
	moveShapeLocally(id: string, ms: number, hz: number, freshObjects?: boolean): Promise<{ frames: number; ms: number; longestFrameMs: number }>
	/** presence=1: instance_presence records in the store. */
	presenceRecords(): number
	/** Collaborator cursors tldraw has in the DOM. */
	drawnCursors(): number
	/** Awareness updates (frames) this page has applied so far. */
	awarenessUpdates(): number
	/** presence=1: from now on, note for every remote state put into the store how old its `sentAt` stamp is (ms). */
	startCursorLatencies(): void
	/** The latencies noted since startCursorLatencies; stops noting. */
	takeCursorLatencies(): number[]
	/** presence=1: unwires syncRemotePresence (awareness still arrives and is decoded): the diagnostic "presence path off". */
	stopRemotePresence(): void
	/** Steps of the load (ms since navigation start): connection ready (local copy or server), store bound, server synced. */
	marks: Record<string, number>
	/** Where the board content first came from: 'server' (first visit) or 'local' (IndexedDB copy). */
	readyFrom: string | null
	/** Sticky label sizes found from earlier visits. */
	labelSizesLoaded: number
	/**
	 * Pans the camera across the board for `ms` (one step per frame, as a
	 * hand-tool drag would) while counting frames.
	 */
	panFrames(ms: number): Promise<{ frames: number; ms: number; longestFrameMs: number }>
	/** True once the IndexedDB copy has stored everything the doc holds (a second visit finds it). */
	localCopySaved(): Promise<boolean>
}

declare global {
	interface Window {
		__bench: BenchWindowState
	}
}

const params = new URLSearchParams(window.location.search)
const mode = params.get('mode') ?? 'sync'
const expectedShapes = Number(params.get('count') ?? '0')
const withPresence = mode === 'sync' && params.get('presence') === '1'
/** The app's cursor layer, unless the page is asked for tldraw's DOM cursors (the reference). */
const withCursorLayer = withPresence && params.get('cursors') !== 'tldraw'
const benchComponents = withCursorLayer ? { CollaboratorCursor: null, InFrontOfTheCanvas: RemoteCursorLayer } : undefined
const assetUrls = getAssetUrlsByImport()

const state: BenchWindowState = {
	mode,
	storeReadyAt: null,
	mountedAt: null,
	readyAt: null,
	shapes: 0,
	error: null,
	shapeX: () => null,
	moveShapeLocally: () => Promise.reject(new Error('store not loaded')),
	presenceRecords: () => 0,
	drawnCursors: () => {
		const layer = document.querySelector<HTMLCanvasElement>('[data-testid="remote-cursors"]')
		return layer ? Number(layer.dataset.drawn ?? 0) : document.querySelectorAll('.tl-collaborator__cursor').length
	},
	awarenessUpdates: () => 0,
	startCursorLatencies: () => {},
	takeCursorLatencies: () => [],
	stopRemotePresence: () => {},
	marks: {},
	readyFrom: null,
	labelSizesLoaded: 0,
	panFrames: () => Promise.reject(new Error('editor not mounted')),
	localCopySaved: () => Promise.resolve(false),
	countFrames(ms) {
		return new Promise((resolve) => {
			let frames = 0
			let longest = 0
			const started = performance.now()
			let last = started
			const step = (now: number) => {
				frames++
				longest = Math.max(longest, now - last)
				last = now
				if (now - started < ms) requestAnimationFrame(step)
				else resolve({ frames, ms: now - started, longestFrameMs: longest })
			}
			requestAnimationFrame(step)
		})
	},
}
window.__bench = state

/** sync mode: tldraw's note util with label sizes remembered across visits (client/sync/labelSizeCache.ts); labels=0 turns it off. */
const withLabelCache = mode === 'sync' && params.get('labels') !== '0'
const labelSizes = withLabelCache ? loadLabelSizeCache() : null
let benchShapeUtils: TLAnyShapeUtilConstructor[] = []

async function loadStore(): Promise<TLStore> {
	if (mode === 'snapshot') {
		const response = await fetch(`./bench-snapshot-${expectedShapes}.json`)
		const snapshot = (await response.json()) as TLStoreSnapshot
		return createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils, snapshot })
	}
	const boardId = params.get('board') ?? 'bench-board'
	let doc: Y.Doc
	let provider: WebsocketProvider
	if (params.get('idb') === '0') {
		// Diagnostic variant: the same provider options as openBoardConnection, without the IndexedDB copy.
		doc = new Y.Doc()
		provider = new WebsocketProvider(syncServerUrl(), boardId, doc, { disableBc: true, maxBackoffTime: 5000 })
		await new Promise<void>((resolve) => provider.once('sync', () => resolve()))
	} else {
		// local=wait: the previous path (wait for the server even when the local copy exists), for comparison.
		const conn = openBoardConnection(boardId, { openFromLocalCopy: params.get('local') !== 'wait' })
		state.readyFrom = await conn.ready
		doc = conn.doc
		provider = conn.provider
		state.localCopySaved = () => localCopyHolds(`workshop-board:${boardId}`, conn.doc)
	}
	state.marks.connectionReady = performance.now()
	if (provider.synced) state.marks.serverSynced = performance.now()
	else provider.once('sync', () => (state.marks.serverSynced = performance.now()))
	const store = createTLStore({
		shapeUtils: defaultShapeUtils,
		bindingUtils: defaultBindingUtils,
		collaboration: { status: atom('collaboration status', 'online' as const), mode: atom('collaboration mode', 'readwrite' as const) },
	})
	bindStoreToYDoc({ store, doc })
	state.marks.bound = performance.now()
	if (labelSizes) {
		const cache = await labelSizes
		state.marks.labelSizesLoaded = performance.now()
		state.labelSizesLoaded = cache.loaded
		benchShapeUtils = [withCachedLabelSizes(NoteShapeUtil, cache)]
	}
	if (withPresence) wirePresence(store, provider.awareness)
	return store
}

/** Whether the IndexedDB copy named `name` already holds everything `doc` holds (read into a probe doc). */
async function localCopyHolds(name: string, doc: Y.Doc): Promise<boolean> {
	const probe = new Y.Doc()
	const copy = new IndexeddbPersistence(name, probe)
	await copy.whenSynced
	const stored = Y.decodeStateVector(Y.encodeStateVector(probe))
	const wanted = Y.decodeStateVector(Y.encodeStateVector(doc))
	await copy.destroy()
	probe.destroy()
	return [...wanted].every(([client, clock]) => (stored.get(client) ?? 0) >= clock)
}

/** The app's presence path as useBoardSession wires it, plus the hooks scenario 7 reads. */
function wirePresence(store: TLStore, awareness: WebsocketProvider['awareness']): void {
	// Registered before syncRemotePresence's listener, so it counts every applied frame.
	let updates = 0
	awareness.on('update', () => updates++)
	const stopRemote = syncRemotePresence(store, awareness, { cursorLayer: withCursorLayer })
	publishLocalPresence(store, awareness, { id: 'bench-page', name: 'Bench page', color: '#e03131' })
	// Registered after syncRemotePresence's listener: a state is in the store when this runs.
	let latencies: number[] | null = null
	awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
		if (!latencies) return
		const now = performance.timeOrigin + performance.now()
		const states = awareness.getStates()
		for (const clientId of [...added, ...updated]) {
			const sentAt = (states.get(clientId) as { sentAt?: unknown } | undefined)?.sentAt
			if (typeof sentAt === 'number') latencies.push(now - sentAt)
		}
	})
	state.presenceRecords = () => store.query.ids('instance_presence').get().size
	state.awarenessUpdates = () => updates
	state.startCursorLatencies = () => (latencies = [])
	state.takeCursorLatencies = () => {
		const taken = latencies ?? []
		latencies = null
		return taken
	}
	state.stopRemotePresence = stopRemote
}

function whenAllShapes(editor: Editor): Promise<void> {
	return new Promise((resolve) => {
		const check = () => {
			state.shapes = editor.getCurrentPageShapeIds().size
			if (state.shapes >= expectedShapes) resolve()
			else setTimeout(check, 10)
		}
		check()
	})
}

/** Pans right and down across the board, one camera step per frame, while counting frames. */
function panCamera(editor: Editor, ms: number) {
	const start = editor.getCamera()
	let running = true
	let step = 0
	const move = () => {
		if (!running) return
		step++
		editor.setCamera({ x: start.x - step * 12, y: start.y - step * 6, z: start.z })
		requestAnimationFrame(move)
	}
	requestAnimationFrame(move)
	return state.countFrames(ms).finally(() => {
		running = false
		editor.setCamera(start)
	})
}

function BenchBoard() {
	const [store, setStore] = useState<TLStore | null>(null)
	useEffect(() => {
		loadStore().then(
			(loaded) => {
				state.storeReadyAt = performance.now()
				state.shapeX = (id) => {
					const record = loaded.get(id as Parameters<TLStore['get']>[0])
					return record && 'x' in record ? record.x : null
				}
				// freshObjects: new (equal) props/meta objects on every move, as a record rebuilt from the Y.Doc has.
				state.moveShapeLocally = async (id, ms, hz, freshObjects = false) => {
					let frame = 0
					const timer = setInterval(() => {
						frame++
						loaded.mergeRemoteChanges(() =>
							loaded.update(id as Parameters<TLStore['get']>[0], (record) => ({
								...record,
								...(freshObjects && 'props' in record ? { props: { ...record.props }, meta: { ...record.meta } } : {}),
								x: 200 + (frame % 120) * 4,
								y: 200 + Math.round(Math.sin(frame / 10) * 80),
							})),
						)
					}, 1000 / hz)
					try {
						return await state.countFrames(ms)
					} finally {
						clearInterval(timer)
					}
				}
				setStore(loaded)
			},
			(error: unknown) => (state.error = String(error)),
		)
	}, [])
	if (!store) return <div>Loading board…</div>
	return (
		<Tldraw
			store={store}
			shapeUtils={benchShapeUtils}
			assetUrls={assetUrls}
			components={benchComponents}
			onMount={(editor) => {
				state.mountedAt = performance.now()
				state.panFrames = (ms) => panCamera(editor, ms)
				void whenAllShapes(editor).then(() =>
					requestAnimationFrame(() => requestAnimationFrame(() => (state.readyAt = performance.now()))),
				)
			}}
		/>
	)
}

const root = document.getElementById('root')
if (!root) throw new Error('#root missing')
createRoot(root).render(
	<StrictMode>
		<BenchBoard />
	</StrictMode>,
)
