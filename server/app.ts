/**
 * Assembles the server: storage, rooms, the sync gateway and the HTTP
 * router. `startServer` is used by main.ts and by in-process tests.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { CloseCode, HEALTH_PATH, READY_PATH } from '../shared/protocol'
import { createApiAuthorizer, registerBoardsApi } from './api'
import { createTokenAuthenticator, type Authenticate, type BoardTokenStore } from './auth'
import { startCredentialRecheck } from './auth/credentialRecheck'
import { registerContributorApi } from './api/contributorApi'
import { registerLinksApi } from './auth/linksApi'
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
	/** Lets features register routes (e.g. /api/…) before the server starts listening. */
	registerRoutes?: (router: Router, context: { rooms: RoomRegistry; storage: BoardStorage }) => void
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
	const logger = options.logger ?? createLogger(config.logLevel)
	const retrying = openConfiguredStorage(config, options.storage, logger)
	const { boards: storage, tokens } = retrying.provider
	const sessions = new FacilitatedSessions({
		store: retrying.provider.sessions,
		isClaimed: (boardId) => tokens.isClaimed(boardId),
		logger,
	})
	const authenticate = options.authenticate ?? createTokenAuthenticator(tokens)
	const rooms = new RoomRegistry(
		storage,
		{
			unloadDelayMs: config.roomUnloadDelayMs,
			flushIntervalMs: config.persistFlushIntervalMs,
			compactAfterUpdates: config.compactAfterUpdates,
			compactAfterBytes: config.compactAfterBytes,
			roomExtension: sessions.roomExtension,
		},
		logger,
	)
	const gateway = new SyncGateway(
		rooms,
		authenticate,
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
		const ready = retrying.isReady()
		sendJson(res, ready ? 200 : 503, { ready, storage: retrying.provider.backend })
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
	registerLinksApi(router, {
		authenticate,
		tokens,
		logger,
		disconnectCredential: (boardId, credentialId) =>
			gateway.closeWhere(
				(conn) => conn.boardId === boardId && conn.credentialId === credentialId,
				CloseCode.unauthorized,
				'link rotated',
			),
	})
	// With role tokens, a rotation or claim made by another process (board-admin CLI) also closes its holders.
	const stopCredentialRecheck = options.authenticate ? () => {} : startCredentialRecheck(tokens, () => gateway.acceptedConnections, logger)
	registerSessionApi(router, { authenticate, sessions })
	registerContributorApi(router, { contribute: (id, token, note) => sessions.contribute(rooms, id, token, note), linkOpen: (id, token) => sessions.contributorLinkOpen(id, token), logger })
	options.registerRoutes?.(router, { rooms, storage })
	router.setFallback(createStaticFilesHandler(config.clientDistDir))

	const httpServer = http.createServer(router.handle)
	httpServer.on('upgrade', (request, socket, head) => gateway.handleUpgrade(request, socket, head))
	httpServer.on('clientError', (error, socket) => {
		logger.debug('http.client_error', { error: describeError(error) })
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
		else socket.destroy()
	})

	// A reachable database is migrated and ready before the first request; an unreachable one is retried in the background.
	await retrying.firstAttempt
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

	let closing: Promise<void> | null = null
	const close = (): Promise<void> => {
		closing ??= (async () => {
			logger.info('server.closing', { rooms: rooms.size, connections: gateway.connectionCount })
			stopCredentialRecheck()
			const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()))
			// Sockets are marked closed first so no update arrives during the final flush.
			const socketsClosed = gateway.closeAll(CloseCode.serverShutdown, 'server shutting down')
			await rooms.unloadAll()
			await socketsClosed
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
