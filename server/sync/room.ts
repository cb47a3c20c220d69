/**
 * A loaded board: its Y.Doc, its awareness, its clients and its persistence.
 *
 * Lifecycle: loading → ready → (failed) → unloaded. The RoomRegistry only
 * hands a room to connections once `ready` resolved, so no client is ever
 * answered from an empty document that is still loading.
 */
import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/boardId'
import { AWARENESS_TICK_MS, CloseCode, MessageType } from '../../shared/protocol'
import { canEditDocument } from '../auth'
import { describeError, type Logger } from '../logger'
import type { BoardStorage } from '../storage/boardStorage'
import { AwarenessBroadcaster } from './awarenessBroadcaster'
import { withoutStaleAwarenessEntries } from './awarenessFilter'
import { ClientConnection } from './clientConnection'
import { findLayoutViolation } from './documentLayoutGuard'
import { encodeAwarenessMessage, encodeDocUpdate, encodeSyncStep1, encodeSyncStep2 } from './messages'
import type { RoomExtension, RoomExtensionFactory } from './roomExtension'
import { RoomPersistence, type RoomPersistenceOptions } from './roomPersistence'
import { runAtEndOfTurn } from './socketCorking'

/** Transaction origin of the stored state applied at load; it is not re-persisted or broadcast. */
const LOAD_ORIGIN = Symbol('load-from-storage')

export type RoomState = 'loading' | 'ready' | 'failed' | 'unloaded'

/**
 * The board was never created (no snapshot, no update). Boards come into
 * existence only through the API (create, import) or the admin CLI; a socket
 * must not create one, or anyone could fill the disk.
 */
export class BoardNotFoundError extends Error {
	override name = 'BoardNotFoundError'
	constructor(boardId: BoardId) {
		super(`board ${boardId} does not exist`)
	}
}

/** A message that is not valid y-websocket protocol; closes only the sending connection. */
export class BadMessageError extends Error {
	override name = 'BadMessageError'
}

export class Room {
	readonly doc = new Y.Doc({ gc: true })
	readonly awareness = new awarenessProtocol.Awareness(this.doc)
	readonly connections = new Set<ClientConnection>()
	/** Resolves when the stored document is applied; rejects if loading failed. */
	readonly ready: Promise<void>
	private stateValue: RoomState = 'loading'
	private readonly persistence: RoomPersistence
	private readonly awarenessBroadcaster: AwarenessBroadcaster
	/** Feature hooks (facilitated sessions); null when none is configured. */
	private readonly extension: RoomExtension | null

	constructor(
		readonly boardId: BoardId,
		private readonly storage: BoardStorage,
		persistenceOptions: RoomPersistenceOptions,
		private readonly logger: Logger,
		extensionFactory?: RoomExtensionFactory,
	) {
		// The server is not a user: it must not show up in anyone's presence list.
		this.awareness.setLocalState(null)
		this.persistence = new RoomPersistence(
			storage,
			boardId,
			persistenceOptions,
			() => Y.encodeStateAsUpdate(this.doc),
			(error) => this.failStorage(error),
		)
		this.awarenessBroadcaster = new AwarenessBroadcaster(this.awareness, AWARENESS_TICK_MS, (message) => {
			for (const conn of this.connections) conn.send(message)
		})
		this.doc.on('update', this.onDocUpdate)
		this.awareness.on('update', this.onAwarenessUpdate)
		this.ready = this.load()
		this.extension = extensionFactory ? extensionFactory(this) : null
		// Callers observe `ready` themselves; this only prevents an unhandled rejection.
		this.ready.catch(() => {})
	}

	get state(): RoomState {
		return this.stateValue
	}

	/** When storage failed (performance.now() ms), or null while it has not. */
	get failedAt(): number | null {
		return this.failedAtMs
	}
	private failedAtMs: number | null = null

	/** Attaches a client of a ready room: sync step 1, full awareness, then its queued messages. */
	addConnection(conn: ClientConnection): void {
		if (this.stateValue !== 'ready') {
			conn.close(CloseCode.storageUnavailable, 'board storage unavailable')
			return
		}
		this.connections.add(conn)
		conn.send(encodeSyncStep1(this.doc))
		const clientIds = [...this.awareness.getStates().keys()]
		if (clientIds.length > 0) conn.send(encodeAwarenessMessage(this.awareness, clientIds))
		this.extension?.connectionAdded(conn)
		for (const message of conn.pendingMessages.splice(0)) {
			if (!conn.isOpen) break
			this.receive(conn, message)
		}
	}

	removeConnection(conn: ClientConnection): void {
		if (!this.connections.delete(conn)) return
		if (this.stateValue === 'unloaded') return
		this.extension?.connectionRemoved(conn)
		// Peers learn on the next awareness tick that this socket's users left.
		awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessClientIds], conn)
	}

	/** Handles one binary frame. Protocol errors close only `conn`; nothing propagates. */
	receive(conn: ClientConnection, message: Uint8Array): void {
		if (this.stateValue !== 'ready') return
		try {
			this.handleMessage(conn, message)
		} catch (error) {
			this.logger.warn('conn.bad_message', { conn: conn.id, board: this.boardId, bytes: message.byteLength, error: describeError(error) })
			conn.close(CloseCode.badMessage, 'bad message')
		}
	}

	/** Commits every accepted update (used by tests and shutdown). */
	flush(): Promise<void> {
		return this.persistence.flush()
	}

	/** Flushes, compacts and frees the document. The registry forgets the room afterwards. */
	async unload(): Promise<void> {
		if (this.stateValue === 'unloaded') return
		await this.ready.catch(() => {})
		if (this.stateValue === 'ready') await this.persistence.flushAndCompact()
		this.stateValue = 'unloaded'
		this.persistence.dispose()
		this.awarenessBroadcaster.stop()
		this.extension?.dispose()
		this.doc.off('update', this.onDocUpdate)
		this.awareness.off('update', this.onAwarenessUpdate)
		this.awareness.destroy()
		this.doc.destroy()
	}

	private async load(): Promise<void> {
		try {
			const started = performance.now()
			const stored = await this.storage.loadBoard(this.boardId)
			if (stored.update === null && stored.lastSeq === 0) throw new BoardNotFoundError(this.boardId)
			if (stored.update) Y.applyUpdate(this.doc, stored.update, LOAD_ORIGIN)
			this.persistence.initialize(stored)
			await this.extension?.load?.()
			this.stateValue = 'ready'
			this.logger.info('room.loaded', {
				board: this.boardId,
				bytes: stored.update?.byteLength ?? 0,
				pendingUpdates: stored.pendingUpdates,
				ms: Math.round(performance.now() - started),
			})
			// A long log (e.g. written by a crashed process) is folded right away so the next load is fast.
			if (this.persistence.needsCompaction) void this.persistence.flushAndCompact()
		} catch (error) {
			this.stateValue = 'failed'
			if (error instanceof BoardNotFoundError) this.logger.info('room.not_found', { board: this.boardId })
			else this.logger.error('room.load_failed', { board: this.boardId, error: describeError(error) })
			throw error
		}
	}

	private handleMessage(conn: ClientConnection, message: Uint8Array): void {
		const decoder = decoding.createDecoder(message)
		const messageType = decoding.readVarUint(decoder)
		switch (messageType) {
			case MessageType.sync:
				this.handleSyncMessage(conn, decoder)
				return
			case MessageType.awareness: {
				const update = withoutStaleAwarenessEntries(this.awareness, decoding.readVarUint8Array(decoder))
				if (update) awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn)
				return
			}
			case MessageType.queryAwareness:
				conn.send(encodeAwarenessMessage(this.awareness, [...this.awareness.getStates().keys()]))
				return
			case MessageType.auth:
				// Auth messages only flow server → client in y-websocket; ignore.
				return
			default:
				if (this.extension?.messageTypes.has(messageType)) {
					this.extension.receive(conn, messageType, decoder)
					return
				}
				throw new BadMessageError(`unknown message type ${messageType}`)
		}
	}

	private handleSyncMessage(conn: ClientConnection, decoder: decoding.Decoder): void {
		const syncType = decoding.readVarUint(decoder)
		switch (syncType) {
			case syncProtocol.messageYjsSyncStep1: {
				const stateVector = decoding.readVarUint8Array(decoder)
				// A joiner has nothing yet: encode the whole board once per document
				// version, not once per joiner (200 people joining at 9:00 sharp).
				if (stateVector.length === 1 && stateVector[0] === 0) {
					this.fullStateStep2 ??= encodeSyncStep2(this.doc, stateVector)
					conn.send(this.fullStateStep2)
				} else {
					conn.send(encodeSyncStep2(this.doc, stateVector))
				}
				return
			}
			case syncProtocol.messageYjsSyncStep2:
			case syncProtocol.messageYjsUpdate: {
				const update = decoding.readVarUint8Array(decoder)
				// Stock clients always answer our step 1 with a step 2, viewers included:
				// drop it quietly rather than closing the socket.
				if (!canEditDocument(conn.role)) {
					this.logger.debug('room.viewer_update_dropped', { conn: conn.id, board: this.boardId })
					return
				}
				if (this.persistence.hasFailed) {
					conn.close(CloseCode.storageUnavailable, 'board storage unavailable')
					return
				}
				const violation = findLayoutViolation(update)
				if (violation !== null) throw new BadMessageError(violation)
				const verdict = this.extension?.checkUpdate(conn, update)
				if (verdict && !verdict.accept) {
					// Not applied, stored or relayed. Yjs cannot skip one update of a client and
					// accept its later ones, so the client must resync (docs/sessions.md).
					this.logger.info('room.update_refused', { conn: conn.id, board: this.boardId, reason: verdict.reason })
					conn.close(CloseCode.locked, verdict.reason)
					return
				}
				Y.applyUpdate(this.doc, update, conn)
				return
			}
			default:
				throw new BadMessageError(`unknown sync message type ${syncType}`)
		}
	}

	/** Sync step 2 for an empty state vector, valid until the next document update. */
	private fullStateStep2: Uint8Array | null = null

	/** Accepted updates of this event-loop turn not yet broadcast, with the connection each came from. */
	private turnUpdates: Array<{ update: Uint8Array; origin: unknown }> = []

	/** Persists each accepted update and broadcasts it at the end of the turn (see broadcastTurn). */
	private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
		this.fullStateStep2 = null
		if (origin === LOAD_ORIGIN) return
		if (this.turnUpdates.length === 0) runAtEndOfTurn(this.broadcastTurn)
		this.turnUpdates.push({ update, origin })
		this.persistence.enqueue(update)
	}

	/**
	 * Sends the turn's updates, merged into one frame per client, to everyone but their senders.
	 *
	 * Why per turn: in a busy room one poll phase reads many clients' updates; relayed one by one,
	 * each of 500 clients gets a frame (and applies an update) per update. Merged, it gets one per
	 * turn. A quiet room reads one update per turn, so this costs it no latency: the broadcast runs
	 * right after the poll phase, just before the corked sockets flush (socketCorking.ts), so it
	 * leaves in the same writev. A sender gets the merge of the others' updates only (never its own).
	 */
	private readonly broadcastTurn = (): void => {
		const updates = this.turnUpdates
		this.turnUpdates = []
		if (updates.length === 0 || this.stateValue !== 'ready') return
		if (updates.length === 1) {
			const { update, origin } = updates[0]!
			const message = encodeDocUpdate(update)
			for (const conn of this.connections) if (conn !== origin) conn.send(message)
			return
		}
		try {
			this.broadcastMerged(updates)
		} catch (error) {
			// Merging refuses nothing Yjs applied, but should it fail, relay the updates one by one.
			this.logger.warn('room.merge_failed', { board: this.boardId, error: describeError(error) })
			for (const { update, origin } of updates) {
				const message = encodeDocUpdate(update)
				for (const conn of this.connections) if (conn !== origin) conn.send(message)
			}
		}
	}

	private broadcastMerged(updates: ReadonlyArray<{ update: Uint8Array; origin: unknown }>): void {
		const senders = new Set(updates.map((entry) => entry.origin))
		const toEveryone = encodeDocUpdate(Y.mergeUpdates(updates.map((entry) => entry.update)))
		const toSender = new Map<unknown, Uint8Array | null>()
		for (const sender of senders) {
			if (!(sender instanceof ClientConnection)) continue
			const others = updates.filter((entry) => entry.origin !== sender).map((entry) => entry.update)
			toSender.set(sender, others.length === 0 ? null : encodeDocUpdate(others.length === 1 ? others[0]! : Y.mergeUpdates(others)))
		}
		for (const conn of this.connections) {
			const message = toSender.has(conn) ? toSender.get(conn)! : toEveryone
			if (message !== null) conn.send(message)
		}
	}

	private readonly onAwarenessUpdate = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown,
	): void => {
		if (origin instanceof ClientConnection) {
			for (const id of added) origin.awarenessClientIds.add(id)
			for (const id of updated) origin.awarenessClientIds.add(id)
			for (const id of removed) origin.awarenessClientIds.delete(id)
		}
		this.awarenessBroadcaster.markChanged([...added, ...updated, ...removed])
	}

	private failStorage(error: unknown): void {
		if (this.stateValue !== 'ready') return
		this.stateValue = 'failed'
		this.failedAtMs = performance.now()
		this.logger.error('room.storage_failed', { board: this.boardId, error: describeError(error) })
		for (const conn of this.connections) conn.close(CloseCode.storageUnavailable, 'board storage unavailable')
	}
}
