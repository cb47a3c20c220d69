/**
 * How server/app.ts plugs the cluster in, kept here so app.ts stays a list of
 * parts: the stores the rooms and the API use, the gateway's authenticator,
 * and the ClusterNode with its lease hooks. Every function returns the
 * single-process parts unchanged when REDIS_URL is unset.
 */
import type { BoardId } from '../../shared/boardId'
import { CloseCode } from '../../shared/protocol'
import type { Authenticate } from '../auth'
import type { ServerConfig } from '../config'
import type { Logger } from '../logger'
import type { SessionStore } from '../session/sessionStore'
import type { BoardStorage } from '../storage/boardStorage'
import { StaleFenceError, type FencedBoardWrites } from '../storage/postgres/pgFencing'
import type { StorageProvider } from '../storage/storageProvider'
import type { RoomRegistry } from '../sync/roomRegistry'
import type { SyncGateway } from '../sync/syncGateway'
import { FenceBehindError } from './boardLeases'
import { relayAwareAuthenticate } from './boardRelay'
import { ClusterNode } from './clusterNode'
import type { ClusterMetrics } from './clusterMetrics'
import { ApiBoardStorage, FencedSessionStore, RoomBoardStorage, type FenceSource } from './fencedStores'

export interface ClusterWiring {
	node: ClusterNode
}

export interface ClusterStores {
	roomBoards: BoardStorage
	apiBoards: BoardStorage
	sessions: SessionStore
}

/** Fences read the leases of the node created later (the rooms need their stores first). */
function lateFences(getCluster: () => ClusterWiring | null): FenceSource {
	return { fenceOf: (boardId) => getCluster()?.node.leases.fenceOf(boardId) ?? null }
}

export const startCluster = {
	stores(config: ServerConfig, provider: StorageProvider, metrics: ClusterMetrics, getCluster: () => ClusterWiring | null): ClusterStores {
		if (!config.redisUrl) return { roomBoards: new RoomBoardStorage(provider.boards, null, metrics), apiBoards: provider.boards, sessions: provider.sessions }
		// Fenced writes exist on PostgreSQL only; config refuses REDIS_URL without DATABASE_URL, this catches a test's own provider.
		if (provider.backend !== 'postgres') throw new Error(`REDIS_URL needs PostgreSQL storage, not ${provider.backend}`)
		const fences = lateFences(getCluster)
		return {
			roomBoards: new RoomBoardStorage(provider.boards, fences, metrics),
			apiBoards: new ApiBoardStorage(provider.boards, fences),
			sessions: new FencedSessionStore(provider.sessions, fences, metrics),
		}
	},

	gatewayAuthenticate(config: ServerConfig, authenticate: Authenticate, getCluster: () => ClusterWiring | null): Authenticate {
		if (!config.redisUrl) return authenticate
		return relayAwareAuthenticate(authenticate, () => {
			const cluster = getCluster()
			return cluster ? cluster.node.relaySecretForChecks() : Promise.reject(new Error('cluster not started'))
		})
	},

	node(
		config: ServerConfig,
		deps: {
			processId: string
			gateway: SyncGateway
			rooms: RoomRegistry
			authenticate: Authenticate
			provider: StorageProvider
			logger: Logger
			metrics: ClusterMetrics
			onCredentialRevoked(boardId: BoardId, credentialId: string): void
		},
	): ClusterWiring | null {
		if (!config.redisUrl) return null
		const { gateway, rooms } = deps
		const boards = deps.provider.boards as unknown as FencedBoardWrites
		const node = new ClusterNode(
			{
				redisUrl: config.redisUrl,
				keyPrefix: config.redisKeyPrefix,
				leaseMs: config.boardLeaseMs,
				processId: deps.processId,
				maxPayloadBytes: config.maxPayloadBytes,
				maxBufferedBytes: config.maxBufferedBytes,
				pingIntervalMs: config.pingIntervalMs,
				allowedOrigins: config.allowedOrigins,
				maxConnections: config.maxConnections,
			},
			{
				gateway,
				authenticate: deps.authenticate,
				hooks: {
					async claim(boardId, fence) {
						try {
							await boards.claimFence(boardId, fence)
						} catch (error) {
							if (error instanceof StaleFenceError) throw new FenceBehindError(error.stored)
							throw error
						}
					},
					isInUse: (boardId) => rooms.get(boardId) !== undefined,
					onLost(boardId) {
						// Deposed: stop serving the board here. Clients reconnect (retryable code) and reach the new owner.
						gateway.closeWhere((conn) => conn.boardId === boardId, CloseCode.serverShutdown, 'board moved to another process')
						void rooms.discard(boardId)
					},
				},
				onCredentialRevoked: deps.onCredentialRevoked,
				logger: deps.logger,
				metrics: deps.metrics,
			},
		)
		return { node }
	},
}
