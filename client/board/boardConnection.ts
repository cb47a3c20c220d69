/**
 * One board's data plumbing in the browser: the Y.Doc, its local IndexedDB
 * copy (offline edits survive reloads) and the WebSocket link to our server.
 * UI-free so the status logic stays easy to follow.
 */
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { SYNC_PATH_PREFIX } from '../../shared/protocol'
import { getRecordsMap } from '../../shared/recordCodec'
import { sendOnlyOwnAwareness } from '../sync/ownAwarenessOnly'
import { startConnectionHeartbeat } from './connectionHeartbeat'

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline'

export interface ConnectionStatus {
	state: ConnectionState
	/** Local edits the server has not confirmed yet (made while disconnected or not yet synced). */
	hasUnsyncedChanges: boolean
	/** How many local changes (store batches) the server has not acknowledged yet (connectionHeartbeat). */
	unsavedChanges: number
	/** Set when the server closed the link for good (e.g. access refused). */
	terminalReason: string | null
	/** The close code that ended the link for good (CloseCode in shared/protocol.ts). */
	terminalCode: number | null
}

export interface BoardConnection {
	doc: Y.Doc
	provider: WebsocketProvider
	/**
	 * Resolves once the board content is known: the server's sync, or this
	 * device's IndexedDB copy when it holds the board (a second visit opens
	 * from it at once; the server sync then merges in what changed meanwhile)
	 * or when the server stays out of reach.
	 */
	ready: Promise<'server' | 'local'>
	getStatus(): ConnectionStatus
	onStatus(listener: (status: ConnectionStatus) => void): () => void
	/** Forgets this device's copy of the board (after the server refused our changes). */
	discardLocalCopy(): Promise<void>
	destroy(): void
}

/** How long to wait for the server before opening the local copy alone. */
const OFFLINE_OPEN_AFTER_MS = 4000

export function syncServerUrl(location: Location = window.location): string {
	const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
	return `${protocol}//${location.host}${SYNC_PATH_PREFIX.replace(/\/$/, '')}`
}

export interface OpenBoardOptions {
	params?: Record<string, string>
	/** Open from a non-empty IndexedDB copy before the server sync (default true; false: wait for the server, as before). */
	openFromLocalCopy?: boolean
}

export function openBoardConnection(boardId: string, options: OpenBoardOptions = {}): BoardConnection {
	const doc = new Y.Doc()
	const local = new IndexeddbPersistence(`workshop-board:${boardId}`, doc)
	// The server is the one path between browsers: no BroadcastChannel shortcut
	// between tabs, so what a tab sees is what the server has.
	const provider = new WebsocketProvider(syncServerUrl(), boardId, doc, {
		params: options.params ?? {},
		disableBc: true,
		maxBackoffTime: 5000,
	})
	sendOnlyOwnAwareness(provider)

	const listeners = new Set<(status: ConnectionStatus) => void>()
	let everConnected = false
	let status: ConnectionStatus = { state: 'connecting', hasUnsyncedChanges: false, unsavedChanges: 0, terminalReason: null, terminalCode: null }
	const setStatus = (patch: Partial<ConnectionStatus>) => {
		const next = { ...status, ...patch }
		if (
			next.state === status.state &&
			next.hasUnsyncedChanges === status.hasUnsyncedChanges &&
			next.unsavedChanges === status.unsavedChanges &&
			next.terminalReason === status.terminalReason &&
			next.terminalCode === status.terminalCode
		)
			return
		status = next
		for (const listener of listeners) listener(status)
	}
	const disconnectedState = (): ConnectionState =>
		!navigator.onLine ? 'offline' : everConnected ? 'reconnecting' : 'connecting'

	provider.on('status', ({ status: wsStatus }: { status: string }) => {
		if (wsStatus === 'connected') return // "connected" only counts once synced
		setStatus({ state: disconnectedState() })
	})
	provider.on('sync', (isSynced: boolean) => {
		if (isSynced) {
			everConnected = true
			if (status.terminalCode !== null || status.terminalReason !== null) setStatus({ terminalReason: null, terminalCode: null })
			// What reached the server is told by the heartbeat's acknowledgements.
			setStatus({ state: 'connected' })
		}
	})
	// Retryable refusals (server full, rate limited, storage down): say why while reconnecting.
	provider.on('connection-close', (event: CloseEvent | null) => {
		if (event && event.code >= 4500 && event.code < 4600 && event.reason) setStatus({ terminalReason: event.reason })
	})
	provider.on('closed', ({ code, reason }: { code: number; reason: string }) => {
		setStatus({ state: 'offline', terminalReason: reason || `connection refused (code ${code})`, terminalCode: code })
	})
	const heartbeat = startConnectionHeartbeat(provider, (origin) => origin !== provider && origin !== local)
	const offHeartbeat = heartbeat.onChange(() => {
		const unsavedChanges = heartbeat.unacknowledged()
		setStatus({ unsavedChanges, hasUnsyncedChanges: unsavedChanges > 0 })
	})
	const onOnlineChange = () => {
		if (status.state !== 'connected') setStatus({ state: disconnectedState() })
	}
	window.addEventListener('online', onOnlineChange)
	window.addEventListener('offline', onOnlineChange)

	const ready = new Promise<'server' | 'local'>((resolve) => {
		if (provider.synced) return resolve('server')
		const onSynced = (isSynced: boolean) => {
			if (!isSynced) return
			provider.off('sync', onSynced)
			resolve('server')
		}
		provider.on('sync', onSynced)
		void local.whenSynced.then(() => {
			// Second visit: the local copy holds the board, so show it now instead of
			// waiting for the server's whole state. Yjs merges the server's
			// difference when it arrives (the binding applies it like any remote change).
			if (options.openFromLocalCopy !== false && !provider.synced && getRecordsMap(doc).size > 0) {
				provider.off('sync', onSynced)
				return resolve('local')
			}
			// Offline: open whatever the local copy holds rather than an endless spinner.
			setTimeout(() => {
				provider.off('sync', onSynced)
				resolve(provider.synced ? 'server' : 'local')
			}, OFFLINE_OPEN_AFTER_MS)
		})
	})

	return {
		doc,
		provider,
		ready,
		getStatus: () => status,
		onStatus(listener) {
			listeners.add(listener)
			return () => listeners.delete(listener)
		},
		discardLocalCopy: () => local.clearData(),
		destroy() {
			window.removeEventListener('online', onOnlineChange)
			window.removeEventListener('offline', onOnlineChange)
			offHeartbeat()
			heartbeat.stop()
			provider.destroy()
			void local.destroy()
			doc.destroy()
		},
	}
}
