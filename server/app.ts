/**
 * Assembles the server: storage, rooms, the sync gateway and the HTTP
 * router. `startServer` is used by main.ts and by in-process tests.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { newBoardId } from '../shared/boardId'
import { CloseCode, HEALTH_PATH, READY_PATH } from '../shared/protocol'
import { createApiAuthorizer, registerBoardsApi } from './api'
import { createTokenAuthenticator, type Authenticate, type BoardTokenStore } from './auth'
import { startCredentialRecheck } from './auth/credentialRecheck'
import { registerContributorApi } from './api/contributorApi'
import { registerLinksApi } from './auth/linksApi'
import { startCluster, type ClusterWiring } from './cluster/clusterWiring'
import { ClusterMetrics } from './cluster/clusterMetrics'
import { makeProcessId, withLogFields } from './cluster/processIdentity'
import type { ServerConfig } from './config'
import { createStaticFilesHandler } from './http/staticFiles'
import { Router, sendJson } from './http/router'
import { createLogger, describeError, type Logger } from './logger'
import type { BoardStorage } from './storage/boardStorage'
import { openPostgresStorage, openSqliteStorage, type StorageProvider } from './storage/storageProvider'
import { alreadyOpen, openStorageWithRetry, type RetryingStorage } from './storage/storageStartup'
import { FacilitatedSessions } from './session/facilitatedSessions'
import { registerSessionApi } from './session/sessionApi'
import { RoomRegistry } from './sync/roomRegistry'
import { SyncGateway } from './sync/syncGateway'
import { BoardVersions, watchEdits } from './versions/boardVersions'
import { registerVersionsApi } from './versions/versionsApi'
import { parseVersionsConfig, type VersionsConfig } from './versions/versionsConfig'

export interface StartServerOptions {
	/**
	 * Every persisted store. Defaults to PostgreSQL when config.databaseUrl is
	 * set (opened with retry: /readyz says 503 until it is reachable), else
	 * SQLite in config.dataDir. Closed by `close()`.
	 */
	storage?: StorageProvider
	/**
	 * Defaults to role tokens (server/auth/tokenAuth.ts): boards with tokens
	 * require one; boards without (created before role links) are open to
	 * participants. Tests may pass `allowEveryoneAsParticipant`.
	 */
	authenticate?: Authenticate
	logger?: Logger
	/** This process's id in a cluster (logs, leases); defaults to host-pid-random. */
	processId?: string
	/** Lets features register routes (e.g. /api/…) before the server starts listening. */
	registerRoutes?: (router: Router, context: { rooms: RoomRegistry; storage: BoardStorage }) => void
	/** Board versions: settings (default: VERSIONS_* from the environment) and the clock tests move. */
	versions?: { config?: VersionsConfig; now?: () => number }
}

export interface RunningServer {
	/** e.g. http://127.0.0.1:8787 */
	url: string
	port: number
	httpServer: http.Server
	rooms: RoomRegistry
	router: Router
	/** Role tokens of every board. */
	tokens: BoardTokenStore
	/** Which backend holds the data. */
	storageBackend: StorageProvider['backend']
	/** Resolves once storage is usable (at once for SQLite and memory). */
	storageReady: Promise<void>
	/** Facilitated sessions; `getVoteResults(boardId)` feeds the export. */
	sessions: FacilitatedSessions
	/** Closes sockets (CloseCode.serverShutdown), flushes and unloads every room, closes storage. */
	close(): Promise<void>
}

export async function startServer(config: ServerConfig, options: StartServerOptions = {}): Promise<RunningServer> {
	const processId = options.processId ?? makeProcessId()
	// In a cluster every line names its process (main.ts passes a logger that already does).
	const logger = options.logger ?? (config.redisUrl ? withLogFields(createLogger(config.logLevel), { process: processId }) : createLogger(config.logLevel))
	const retrying = openConfiguredStorage(config, options.storage, logger)
	const { tokens } = retrying.provider
	let cluster: ClusterWiring | null = null
	const metrics: ClusterMetrics = new ClusterMetrics({
		connections: () => gateway.connectionCount,
		rooms: () => rooms.size,
		boardsOwned: () => cluster?.node.leases.ownedCount ?? 0,
		relayedConnections: () => cluster?.node.relay.relayedCount ?? 0,
	})
	// Rooms write through the fenced stores in a cluster (server/cluster/fencedStores.ts); alone, unchanged.
	const stores = startCluster.stores(config, retrying.provider, metrics, () => cluster)
	const storage = stores.apiBoards
	const sessions = new FacilitatedSessions({
		store: stores.sessions,
		isClaimed: (boardId) => tokens.isClaimed(boardId),
		logger,
	})
	const authenticate = options.authenticate ?? createTokenAuthenticator(tokens)
	let versions: BoardVersions | null = null
	const rooms: RoomRegistry = new RoomRegistry(
		watchEdits(stores.roomBoards, (boardId) => versions?.noteEdit(boardId)),
		{
			unloadDelayMs: config.roomUnloadDelayMs,
			flushIntervalMs: config.persistFlushIntervalMs,
			compactAfterUpdates: config.compactAfterUpdates,
			compactAfterBytes: config.compactAfterBytes,
			roomExtension: metrics.observingUpdates(sessions.roomExtension),
		},
		logger,
	)
	const gateway = new SyncGateway(
		rooms,
		startCluster.gatewayAuthenticate(config, authenticate, () => cluster),
		{
			maxPayloadBytes: config.maxPayloadBytes,
			maxBufferedBytes: config.maxBufferedBytes,
			pingIntervalMs: config.pingIntervalMs,
			allowedOrigins: config.allowedOrigins,
			maxConnections: config.maxConnections,
			maxRooms: config.maxRooms,
			maxConnectionsPerRoom: config.maxConnectionsPerRoom,
			messageRatePerSecond: config.messageRatePerSecond,
			messageRateBurst: config.messageRateBurst,
		},
		logger,
	)

	const router = new Router(logger)
	router.get(HEALTH_PATH, (_req, res) => {
		sendJson(res, 200, { ok: true, rooms: rooms.size, connections: gateway.connectionCount })
	})
	router.get(READY_PATH, (_req, res) => {
		const storageReady = retrying.isReady()
		if (!cluster) return sendJson(res, storageReady ? 200 : 503, { ready: storageReady, storage: retrying.provider.backend })
		// In a cluster a process without Redis cannot tell who owns a board: not ready either.
		const redis = cluster.node.redisReady ? 'ready' : 'unreachable'
		const ready = storageReady && redis === 'ready'
		sendJson(res, ready ? 200 : 503, { ready, storage: retrying.provider.backend, storageReady, redis, process: processId })
	})
	router.get('/metrics', async (_req, res) => {
		res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' })
		res.end(await metrics.registry.metrics())
	})
	registerBoardsApi(router, {
		rooms,
		storage,
		logger,
		authorize: createApiAuthorizer(authenticate, { adminToken: config.boardCreation === 'admin' ? config.adminToken : null }),
		issueRoleTokens: (boardId) => tokens.claim(boardId),
		closedVotingSessions: async (boardId) => (await sessions.getVoteResults(boardId)).sessions,
		estimationRounds: (boardId) => sessions.getEstimationRounds(boardId),
	})
	versions = new BoardVersions({
		store: retrying.provider.versions,
		boards: storage,
		rooms,
		config: options.versions?.config ?? parseVersionsConfig(process.env),
		logger,
		closedVotingSessions: async (boardId) => (await sessions.getVoteResults(boardId)).sessions,
		sessionState: (boardId) => sessions.publicState(boardId),
		issueRoleTokens: (boardId) => tokens.claim(boardId),
		newBoardId,
		now: options.versions?.now,
	})
	registerVersionsApi(router, { versions, rooms, storage, authorize: createApiAuthorizer(authenticate) })
	const stopVersionSweep = versions.startRetentionSweep()
	registerLinksApi(router, {
		authenticate,
		tokens,
		logger,
		disconnectCredential: (boardId, credentialId) => {
			cluster?.node.publishCredentialRevoked(boardId, credentialId)
			return closeCredentialHolders(boardId, credentialId)
		},
	})
	// With role tokens, a rotation or claim made by another process (board-admin CLI) also closes its holders.
	const stopCredentialRecheck = options.authenticate ? () => {} : startCredentialRecheck(tokens, () => gateway.acceptedConnections, logger, config.credentialRecheckMs)
	registerSessionApi(router, { authenticate, sessions })
	registerContributorApi(router, {
		contribute: (id, token, note) => sessions.contribute(rooms, id, token, note),
		linkOpen: (id, token) => sessions.contributorLinkOpen(id, token),
		status: (id, receipts) => sessions.contributionStatus(rooms, id, receipts),
		logger,
	})
	options.registerRoutes?.(router, { rooms, storage })
	router.setFallback(createStaticFilesHandler(config.clientDistDir))

	const closeCredentialHolders = (boardId: string, credentialId: string): number =>
		gateway.closeWhere((conn) => conn.boardId === boardId && conn.credentialId === credentialId, CloseCode.unauthorized, 'link rotated') +
		(cluster?.node.relay.closeWhere((client) => client.boardId === boardId && client.credentialId === credentialId, CloseCode.unauthorized, 'link rotated') ??
			0)
	cluster = startCluster.node(config, {
		processId,
		gateway,
		rooms,
		authenticate,
		provider: retrying.provider,
		logger,
		metrics,
		onCredentialRevoked: closeCredentialHolders,
	})

	const httpServer = http.createServer(router.handle)
	httpServer.on('upgrade', (request, socket, head) =>
		cluster ? cluster.node.relay.handleUpgrade(request, socket, head) : gateway.handleUpgrade(request, socket, head),
	)
	httpServer.on('clientError', (error, socket) => {
		logger.debug('http.client_error', { error: describeError(error) })
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
		else socket.destroy()
	})

	// A reachable database is migrated and ready before the first request; an unreachable one is retried in the background.
	await retrying.firstAttempt
	await cluster?.node.firstConnection()
	await new Promise<void>((resolve, reject) => {
		httpServer.once('error', reject)
		httpServer.listen(config.port, config.host, () => {
			httpServer.off('error', reject)
			resolve()
		})
	})
	httpServer.on('error', (error) => logger.error('http.server_error', { error: describeError(error) }))
	const port = (httpServer.address() as AddressInfo).port
	const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host
	cluster?.node.start(config.clusterAdvertiseUrl ?? `http://${hostForUrl}:${port}`)
	if (cluster) logger.info('cluster.started', { process: processId, leaseMs: config.boardLeaseMs })

	let closing: Promise<void> | null = null
	const close = (): Promise<void> => {
		closing ??= (async () => {
			logger.info('server.closing', { rooms: rooms.size, connections: gateway.connectionCount })
			stopCredentialRecheck()
			stopVersionSweep()
			const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()))
			// Sockets are marked closed first so no update arrives during the final flush.
			const socketsClosed = gateway.closeAll(CloseCode.serverShutdown, 'server shutting down')
			const relaysClosed = cluster?.node.relay.closeAll(CloseCode.serverShutdown, 'server shutting down')
			await rooms.unloadAll()
			await socketsClosed
			await relaysClosed
			// Handover: flushed above with this process's tokens; now successors may take the boards at once.
			await cluster?.node.close()
			await retrying.provider.close()
			httpServer.closeAllConnections()
			await httpClosed
			logger.info('server.closed')
		})()
		return closing
	}

	return {
		url: `http://${hostForUrl}:${port}`,
		port,
		httpServer,
		rooms,
		router,
		tokens,
		sessions,
		storageBackend: retrying.provider.backend,
		storageReady: retrying.ready,
		close,
	}
}

function openConfiguredStorage(config: ServerConfig, given: StorageProvider | undefined, logger: Logger): RetryingStorage {
	if (given) return alreadyOpen(given)
	const { databaseUrl } = config
	if (databaseUrl === null) return alreadyOpen(openSqliteStorage(config.dataDir))
	return openStorageWithRetry(
		'postgres',
		() => openPostgresStorage(databaseUrl, { onIdleError: (error) => logger.warn('storage.connection_lost', { error: describeError(error) }) }),
		{ logger },
	)
}
