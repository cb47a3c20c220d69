/**
 * The WebSocket endpoint `/sync/<boardId>`: upgrade validation and auth,
 * heartbeat, and wiring each socket to its room. Every socket gets an
 * `error` listener and every frame is handled inside try/catch, so no frame
 * can crash the process.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { BoardIdSchema, type BoardId } from '../../shared/boardId'
import { CloseCode, SYNC_PATH_PREFIX } from '../../shared/protocol'
import { AuthRefusedError, type AuthResult, type Authenticate } from '../auth'
import { describeError, type Logger } from '../logger'
import { capacityRefusal, isOriginAllowed, type CapacityLimits } from './admission'
import { ClientConnection } from './clientConnection'
import { MessageRateLimiter } from './messageRateLimiter'
import { BoardNotFoundError, type Room } from './room'
import type { RoomRegistry } from './roomRegistry'
import { rejectUpgrade, toUint8Array } from './upgradeHelpers'

export interface SyncGatewayOptions extends Partial<CapacityLimits> {
	maxPayloadBytes: number
	maxBufferedBytes: number
	pingIntervalMs: number
	/** Browser origins allowed besides the server's own (see admission.ts). */
	allowedOrigins?: readonly string[]
	messageRatePerSecond?: number
	messageRateBurst?: number
}

/** Peers that did not answer the previous ping. */
const missedPong = new WeakSet<WebSocket>()

export class SyncGateway {
	private readonly wss: WebSocketServer
	private readonly pingTimer: NodeJS.Timeout
	private readonly connections = new Set<ClientConnection>()
	private shuttingDown = false

	constructor(
		private readonly registry: RoomRegistry,
		private readonly authenticate: Authenticate,
		private readonly options: SyncGatewayOptions,
		private readonly logger: Logger,
	) {
		// ws enforces maxPayload itself: a bigger frame closes that socket with 1009.
		this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, perMessageDeflate: false })
		this.wss.on('error', (error) => this.logger.error('wss.error', { error: describeError(error) }))
		this.pingTimer = setInterval(() => this.heartbeat(), options.pingIntervalMs)
		this.pingTimer.unref()
	}

	/** Open WebSocket connections, attached or still waiting for their room. */
	get connectionCount(): number {
		return this.wss.clients.size
	}

	/** Every accepted connection (for periodic checks such as credential re-validation). */
	get acceptedConnections(): Iterable<ClientConnection> {
		return this.connections
	}

	/** Parses `/sync/<boardId>` (query string ignored); null for anything else. */
	static boardIdFromPath(url: string | undefined): BoardId | null {
		if (!url) return null
		const pathname = url.split('?', 1)[0]
		if (!pathname.startsWith(SYNC_PATH_PREFIX)) return null
		const parsed = BoardIdSchema.safeParse(pathname.slice(SYNC_PATH_PREFIX.length))
		return parsed.success ? parsed.data : null
	}

	/** Handler for the http server's `upgrade` event. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		socket.on('error', (error) => this.logger.debug('upgrade.socket_error', { error: describeError(error) }))
		const boardId = SyncGateway.boardIdFromPath(request.url)
		if (this.shuttingDown) return rejectUpgrade(socket, 503, 'Service Unavailable')
		if (boardId === null) return rejectUpgrade(socket, 404, 'Not Found')
		if (!isOriginAllowed(request, this.options.allowedOrigins ?? [])) {
			this.logger.warn('upgrade.origin_refused', { board: boardId, origin: String(request.headers.origin).slice(0, 100) })
			return rejectUpgrade(socket, 403, 'Forbidden')
		}
		this.authenticate(request, boardId).then(
			(auth) => {
				if (auth === null) return rejectUpgrade(socket, 401, 'Unauthorized')
				if (this.shuttingDown || socket.destroyed) return rejectUpgrade(socket, 503, 'Service Unavailable')
				this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, boardId, auth))
			},
			(error: unknown) => {
				if (error instanceof AuthRefusedError) {
					return rejectUpgrade(socket, error.status, error.status === 403 ? 'Forbidden' : 'Unauthorized')
				}
				// The credential store failed (e.g. the database is down): a retryable storage fault like a
				// room's, so accept and close with 4503 — the client keeps its edits and retries with backoff
				// instead of seeing an HTTP error it cannot tell from a broken server.
				this.logger.warn('auth.store_unavailable', { board: boardId, error: describeError(error) })
				if (this.shuttingDown || socket.destroyed) return rejectUpgrade(socket, 503, 'Service Unavailable')
				this.wss.handleUpgrade(request, socket, head, (ws) => {
					ws.on('error', () => {})
					ws.close(CloseCode.storageUnavailable, 'board storage unavailable')
				})
			},
		)
	}

	/** Closes every connection matching `predicate` (e.g. the holders of a rotated token). Returns how many. */
	closeWhere(predicate: (conn: ClientConnection) => boolean, code: number, reason: string): number {
		let closed = 0
		for (const conn of this.connections) {
			if (conn.isOpen && predicate(conn)) {
				conn.close(code, reason)
				closed += 1
			}
		}
		return closed
	}

	/**
	 * Refuses new upgrades, sends every socket a close frame with `code` and
	 * resolves once all are closed — terminating stragglers after
	 * `graceMs` so a dead peer cannot hold up shutdown.
	 */
	async closeAll(code: number, reason: string, graceMs = 2_000): Promise<void> {
		this.shuttingDown = true
		clearInterval(this.pingTimer)
		for (const conn of this.connections) conn.close(code, reason)
		const sockets = [...this.wss.clients]
		const allClosed = Promise.all(
			sockets.map((ws) => (ws.readyState === ws.CLOSED ? undefined : new Promise((resolve) => ws.once('close', resolve)))),
		)
		let timer: NodeJS.Timeout | undefined
		const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))
		await Promise.race([allClosed, timedOut])
		clearTimeout(timer)
		for (const ws of this.wss.clients) ws.terminate()
		await new Promise<void>((resolve) => this.wss.close(() => resolve()))
	}

	private onConnection(ws: WebSocket, boardId: BoardId, auth: AuthResult): void {
		const conn = new ClientConnection(ws, boardId, auth.role, this.options.maxBufferedBytes, this.logger, auth.credentialId)
		const refusal = capacityRefusal(
			{
				maxConnections: this.options.maxConnections ?? Number.POSITIVE_INFINITY,
				maxRooms: this.options.maxRooms ?? Number.POSITIVE_INFINITY,
				maxConnectionsPerRoom: this.options.maxConnectionsPerRoom ?? Number.POSITIVE_INFINITY,
			},
			{
				connections: this.connections.size,
				rooms: this.registry.size,
				roomIsLoaded: this.registry.get(boardId) !== undefined,
				connectionsInRoom: this.countConnections(boardId),
			},
		)
		if (refusal !== null) {
			ws.on('error', () => {})
			this.logger.warn('conn.capacity', { board: boardId, reason: refusal })
			ws.close(CloseCode.capacity, refusal)
			return
		}
		this.connections.add(conn)
		let room: Room | null = null
		let closed = false
		const rateLimiter = new MessageRateLimiter(
			this.options.messageRatePerSecond ?? Number.POSITIVE_INFINITY,
			this.options.messageRateBurst ?? Number.POSITIVE_INFINITY,
		)
		this.logger.info('conn.open', { conn: conn.id, board: boardId, role: auth.role })

		ws.on('error', (error) => {
			// e.g. "Max payload size exceeded" (ws then closes with 1009) or a reset peer.
			this.logger.warn('conn.error', { conn: conn.id, board: boardId, error: describeError(error) })
		})
		ws.on('pong', () => missedPong.delete(ws))
		ws.on('message', (data: RawData, isBinary: boolean) => {
			if (!conn.isOpen) return
			if (!rateLimiter.tryTake()) {
				this.logger.warn('conn.rate_limited', { conn: conn.id, board: boardId })
				conn.close(CloseCode.rateLimited, 'too many messages per second')
				return
			}
			if (!isBinary) {
				conn.close(CloseCode.badMessage, 'text frames are not supported')
				return
			}
			const message = toUint8Array(data)
			if (room === null) conn.pendingMessages.push(message)
			else room.receive(conn, message)
		})
		ws.on('close', (code) => {
			closed = true
			conn.markClosed()
			this.connections.delete(conn)
			this.logger.info('conn.closed', { conn: conn.id, board: boardId, code })
			if (room !== null) {
				room.removeConnection(conn)
				this.registry.release(room)
			}
		})

		this.registry.acquire(boardId).then(
			(acquired) => {
				if (closed) {
					this.registry.release(acquired)
					return
				}
				room = acquired
				room.addConnection(conn)
			},
			(error: unknown) => {
				if (error instanceof BoardNotFoundError) {
					conn.close(CloseCode.notFound, 'no such board')
					return
				}
				this.logger.warn('conn.room_unavailable', { conn: conn.id, board: boardId, error: describeError(error) })
				conn.close(CloseCode.storageUnavailable, 'board storage unavailable')
			},
		)
	}

	private countConnections(boardId: BoardId): number {
		let count = 0
		for (const conn of this.connections) if (conn.boardId === boardId) count += 1
		return count
	}

	/** Terminates peers that missed the previous ping, pings the rest. */
	private heartbeat(): void {
		for (const ws of this.wss.clients) {
			if (missedPong.has(ws)) {
				this.logger.info('conn.heartbeat_timeout')
				ws.terminate()
				continue
			}
			missedPong.add(ws)
			try {
				ws.ping()
			} catch {
				ws.terminate()
			}
		}
	}
}


