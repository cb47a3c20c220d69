/**
 * Any process serves any client: the upgrade handler of a cluster process.
 *
 * - A client of a board this process owns (or can take: the lease is free) is
 *   handed to the SyncGateway exactly as without a cluster.
 * - A client of a board another process owns is authenticated here, then
 *   relayed: one WebSocket from this process to the owner's `/sync/<board>`
 *   per client, carrying the client's role and credential in headers signed
 *   by the cluster secret. Frames are forwarded unchanged both ways (sync,
 *   awareness, session channel), so the owner sees an ordinary connection:
 *   rate limits, locks, votes, the 50 ms merged awareness tick and the
 *   credential re-check all apply there. TCP keeps the frames ordered and
 *   gap-free; a broken hop closes the client with a retryable code and the
 *   client resyncs by state vector on reconnect.
 * - While the named owner is unreachable (crashed, lease not yet expired)
 *   the upgrade waits and routes again, up to one lease TTL + 2 s, so a
 *   client simply connects late instead of failing.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { timingSafeEqual } from 'node:crypto'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import type { BoardId } from '../../shared/boardId'
import { CloseCode, SYNC_PATH_PREFIX } from '../../shared/protocol'
import { BOARD_ROLES, type BoardRole } from '../../shared/session/roles'
import { AuthRefusedError, type AuthResult, type Authenticate } from '../auth'
import { describeError, type Logger } from '../logger'
import { UnknownBoardError } from '../storage/postgres/pgFencing'
import { isOriginAllowed } from '../sync/admission'
import { SyncGateway } from '../sync/syncGateway'
import type { BoardLeases, BoardRoute } from './boardLeases'
import type { ClusterMetrics } from './clusterMetrics'
import { rejectUpgrade, toUint8Array } from '../sync/upgradeHelpers'

export const RELAY_SECRET_HEADER = 'x-wb-relay-secret'
const RELAY_ROLE_HEADER = 'x-wb-relay-role'
const RELAY_CREDENTIAL_HEADER = 'x-wb-relay-credential'
const RELAY_PROCESS_HEADER = 'x-wb-relay-process'

/** Time to open the WebSocket to an owner before routing again. */
const UPSTREAM_HANDSHAKE_MS = 2_000
const ROUTE_RETRY_MS = 200

export interface BoardRelayOptions {
	processId: string
	leaseMs: number
	maxPayloadBytes: number
	maxBufferedBytes: number
	pingIntervalMs: number
	allowedOrigins: readonly string[]
	maxConnections: number
}

/** An open socket to the owner and the frames it sent before the client was attached. */
interface Upstream {
	ws: WebSocket
	takeEarly(): Uint8Array[]
}

/** One relayed client: its socket here and the one to the owner. */
interface RelayedClient {
	boardId: BoardId
	/** Token of the owner's lease when the relay was opened. */
	fence: number
	credentialId: string | undefined
	client: WebSocket
	upstream: WebSocket
}

/** The cluster secret is only ever compared in constant time. */
function secretsEqual(given: string, secret: string): boolean {
	const a = Buffer.from(given)
	const b = Buffer.from(secret)
	return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * The gateway's authenticator in a cluster: a relay from another process of
 * the cluster carries the client's already-checked role; everyone else is
 * authenticated by `base` as without a cluster.
 */
export function relayAwareAuthenticate(base: Authenticate, secret: () => Promise<string>): Authenticate {
	return async (request, boardId) => {
		const given = request.headers[RELAY_SECRET_HEADER]
		if (given === undefined) return base(request, boardId)
		const role = request.headers[RELAY_ROLE_HEADER]
		const credential = request.headers[RELAY_CREDENTIAL_HEADER]
		if (typeof given !== 'string' || !secretsEqual(given, await secret())) throw new AuthRefusedError(401)
		if (typeof role !== 'string' || !(BOARD_ROLES as readonly string[]).includes(role)) throw new AuthRefusedError(401)
		return { role: role as BoardRole, credentialId: typeof credential === 'string' && credential !== '' ? credential : undefined }
	}
}

export class BoardRelay {
	private readonly wss: WebSocketServer
	private readonly relayed = new Set<RelayedClient>()
	private readonly pingTimer: NodeJS.Timeout
	private readonly leaseWatchTimer: NodeJS.Timeout
	private readonly missedPong = new WeakSet<WebSocket>()
	private shuttingDown = false

	constructor(
		private readonly gateway: SyncGateway,
		private readonly leases: BoardLeases,
		private readonly authenticate: Authenticate,
		private readonly secret: () => Promise<string>,
		private readonly options: BoardRelayOptions,
		private readonly logger: Logger,
		private readonly metrics: ClusterMetrics,
	) {
		this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, perMessageDeflate: false })
		this.wss.on('error', (error) => this.logger.error('relay.wss_error', { error: describeError(error) }))
		this.pingTimer = setInterval(() => this.heartbeat(), options.pingIntervalMs)
		this.pingTimer.unref()
		this.leaseWatchTimer = setInterval(() => void this.dropMovedBoards(), Math.max(100, Math.floor(options.leaseMs / 2)))
		this.leaseWatchTimer.unref()
	}

	get relayedCount(): number {
		return this.relayed.size
	}

	/** The http server's `upgrade` handler in cluster mode. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		const boardId = SyncGateway.boardIdFromPath(request.url)
		// Unknown paths, and everything during shutdown, get the gateway's own answers.
		if (boardId === null || this.shuttingDown) return this.gateway.handleUpgrade(request, socket, head)
		socket.on('error', (error) => this.logger.debug('relay.socket_error', { error: describeError(error) }))
		if (request.headers[RELAY_SECRET_HEADER] !== undefined) {
			// A hop from another process: served here only while this process owns the board,
			// never relayed further (no loops); the sender routes again on a refusal.
			if (this.leases.fenceOf(boardId) === null) return rejectUpgrade(socket, 409, 'Conflict')
			return this.gateway.handleUpgrade(request, socket, head)
		}
		if (!isOriginAllowed(request, this.options.allowedOrigins)) return this.gateway.handleUpgrade(request, socket, head)
		void this.routeClient(request, socket, head, boardId).catch((error: unknown) => {
			this.logger.warn('relay.route_failed', { board: boardId, error: describeError(error) })
			rejectUpgrade(socket, 503, 'Service Unavailable')
		})
	}

	/** Closes relayed clients matching `predicate` (a rotated link's holders). Returns how many. */
	closeWhere(predicate: (client: { boardId: BoardId; fence: number; credentialId: string | undefined }) => boolean, code: number, reason: string): number {
		let closed = 0
		for (const relayed of this.relayed) {
			if (!predicate(relayed)) continue
			closeSocket(relayed.client, code, reason)
			closeSocket(relayed.upstream, 1000, 'client gone')
			closed += 1
		}
		return closed
	}

	/** Refuses new clients and closes every relayed one with `code` (retryable at shutdown). */
	async closeAll(code: number, reason: string): Promise<void> {
		this.shuttingDown = true
		clearInterval(this.pingTimer)
		clearInterval(this.leaseWatchTimer)
		this.closeWhere(() => true, code, reason)
		await new Promise<void>((resolve) => this.wss.close(() => resolve()))
	}

	private async routeClient(request: IncomingMessage, socket: Duplex, head: Buffer, boardId: BoardId): Promise<void> {
		const deadline = performance.now() + this.options.leaseMs + 2_000
		let auth: AuthResult | null = null
		for (;;) {
			if (socket.destroyed) return
			let route: BoardRoute
			try {
				route = await this.leases.route(boardId)
			} catch (error) {
				if (error instanceof UnknownBoardError) return this.refuse(request, socket, head, CloseCode.notFound, 'no such board')
				// Redis or the store is unreachable: nobody can tell who owns the board.
				this.logger.warn('relay.no_route', { board: boardId, error: describeError(error) })
				return rejectUpgrade(socket, 503, 'Service Unavailable')
			}
			if (route.kind === 'local') return this.gateway.handleUpgrade(request, socket, head)
			if (auth === null) {
				try {
					auth = await this.authenticate(request, boardId)
				} catch (error) {
					if (error instanceof AuthRefusedError) return rejectUpgrade(socket, error.status, error.status === 403 ? 'Forbidden' : 'Unauthorized')
					this.logger.warn('auth.store_unavailable', { board: boardId, error: describeError(error) })
					return rejectUpgrade(socket, 503, 'Service Unavailable')
				}
				if (auth === null) return rejectUpgrade(socket, 401, 'Unauthorized')
			}
			const upstream = await this.openUpstream(route.url, boardId, auth).catch((error: unknown) => {
				this.logger.info('relay.owner_unreachable', { board: boardId, owner: route.processId, error: describeError(error) })
				return null
			})
			if (upstream) return this.accept(request, socket, head, boardId, route.fence, auth, upstream)
			if (performance.now() >= deadline) return rejectUpgrade(socket, 503, 'Service Unavailable')
			await new Promise((resolve) => setTimeout(resolve, ROUTE_RETRY_MS))
		}
	}

	/** Accepts only to close with a WebSocket code (4404), which the client reads better than an HTTP status. */
	private refuse(request: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string): void {
		if (socket.destroyed) return
		this.wss.handleUpgrade(request, socket, head, (ws) => {
			ws.on('error', () => {})
			ws.close(code, reason)
		})
	}

	private openUpstream(ownerUrl: string, boardId: BoardId, auth: AuthResult): Promise<Upstream> {
		return this.secret().then(
			(secret) =>
				new Promise((resolve, reject) => {
					const ws = new WebSocket(`${ownerUrl.replace(/^http/, 'ws')}${SYNC_PATH_PREFIX}${boardId}`, {
						headers: {
							[RELAY_SECRET_HEADER]: secret,
							[RELAY_ROLE_HEADER]: auth.role,
							[RELAY_CREDENTIAL_HEADER]: auth.credentialId ?? '',
							[RELAY_PROCESS_HEADER]: this.options.processId,
						},
						handshakeTimeout: UPSTREAM_HANDSHAKE_MS,
						maxPayload: this.options.maxPayloadBytes,
						perMessageDeflate: false,
					})
					// The owner speaks first (sync step 1), possibly in the same TCP read as the handshake answer:
					// frames are collected from the very start until the client is attached (`takeEarly`).
					const early: Uint8Array[] = []
					const keep = (data: RawData) => early.push(toUint8Array(data))
					ws.on('message', keep)
					const takeEarly = () => {
						ws.off('message', keep)
						return early
					}
					ws.once('open', () => {
						ws.off('error', reject)
						resolve({ ws, takeEarly })
					})
					ws.once('error', reject)
				}),
		)
	}

	private accept(
		request: IncomingMessage,
		socket: Duplex,
		head: Buffer,
		boardId: BoardId,
		fence: number,
		auth: AuthResult,
		{ ws: upstream, takeEarly }: Upstream,
	): void {
		if (socket.destroyed || this.shuttingDown || this.relayed.size + this.gateway.connectionCount >= this.options.maxConnections) {
			upstream.close(1000, 'client gone')
			return rejectUpgrade(socket, 503, 'Service Unavailable')
		}
		this.wss.handleUpgrade(request, socket, head, (client) => {
			const relayed: RelayedClient = { boardId, fence, credentialId: auth.credentialId, client, upstream }
			this.relayed.add(relayed)
			this.logger.info('relay.open', { board: boardId, role: auth.role })
			const toClient = (data: Uint8Array) => {
				if (client.readyState !== WebSocket.OPEN) return
				if (client.bufferedAmount > this.options.maxBufferedBytes) {
					closeSocket(client, CloseCode.slowConsumer, 'slow consumer')
					closeSocket(upstream, 1000, 'client gone')
					return
				}
				this.metrics.relayedFrames.inc({ direction: 'to_client' })
				client.send(data)
			}
			// Same turn: no frame can slip between the collected ones and the forwarding listener.
			for (const frame of takeEarly()) toClient(frame)
			upstream.on('message', (data: RawData) => toClient(toUint8Array(data)))
			client.on('message', (data: RawData, isBinary: boolean) => {
				if (upstream.readyState !== WebSocket.OPEN) return
				this.metrics.relayedFrames.inc({ direction: 'to_owner' })
				upstream.send(data, { binary: isBinary })
			})
			client.on('pong', () => this.missedPong.delete(client))
			client.on('error', (error) => this.logger.debug('relay.client_error', { board: boardId, error: describeError(error) }))
			upstream.on('error', (error) => this.logger.debug('relay.upstream_error', { board: boardId, error: describeError(error) }))
			upstream.on('close', (code, reason) => {
				// The owner's own codes (4401 rotated link, 4423 locked, 4404…) reach the client as they are;
				// a hop that just broke (owner crashed, handed over) becomes "reconnect to the successor".
				const passOn = code >= 4000 && code <= 4999
				closeSocket(client, passOn ? code : CloseCode.serverShutdown, passOn ? reason.toString() : 'board owner went away')
			})
			client.on('close', () => {
				this.relayed.delete(relayed)
				closeSocket(upstream, 1000, 'client gone')
			})
		})
	}

	/**
	 * A paused or partitioned owner keeps its TCP connections open, so a relay
	 * would wait for it until the heartbeat gives up. Instead the lease is
	 * watched: once it expired or another process holds it, the relayed clients
	 * of that board reconnect (retryable close) and reach the new owner.
	 */
	private async dropMovedBoards(): Promise<void> {
		const boards = new Map<BoardId, number>()
		for (const { boardId, fence } of this.relayed) boards.set(boardId, fence)
		await Promise.all(
			[...boards].map(async ([boardId]) => {
				let current: number | null
				try {
					current = await this.leases.currentFence(boardId)
				} catch {
					return // Redis unreachable: the owner itself stops once it cannot renew
				}
				const moved = this.closeWhere(
					(client) => client.boardId === boardId && client.fence !== current,
					CloseCode.serverShutdown,
					'board moved to another process',
				)
				if (moved > 0) this.logger.info('relay.owner_changed', { board: boardId, clients: moved, fence: current })
			}),
		)
	}

	private heartbeat(): void {
		for (const { client } of this.relayed) {
			if (this.missedPong.has(client)) {
				client.terminate()
				continue
			}
			this.missedPong.add(client)
			try {
				client.ping()
			} catch {
				client.terminate()
			}
		}
	}
}

function closeSocket(ws: WebSocket, code: number, reason: string): void {
	if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return
	try {
		ws.close(code, reason.slice(0, 120))
	} catch {
		ws.terminate()
		return
	}
	const timer = setTimeout(() => ws.terminate(), 5_000)
	timer.unref()
	ws.once('close', () => clearTimeout(timer))
}


