/**
 * One process of a cluster (REDIS_URL set): its Redis connections, board
 * leases, relay of clients to other owners and cross-process events.
 * server/app.ts wires it in; without REDIS_URL none of this exists.
 *
 * Redis keys (all under REDIS_KEY_PREFIX):
 * | key | what |
 * |---|---|
 * | lease:<board> | "<fence>|<process id>|<internal url>" of the owner, TTL BOARD_LEASE_MS |
 * | fence:<board> | fencing token counter (INCR per new lease) |
 * | relay-secret | random secret a relaying process presents to an owner |
 * | events (pub/sub channel) | credential revocations (rotation, claim): kick the holders everywhere |
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { z } from 'zod'
import type { BoardId } from '../../shared/boardId'
import type { Authenticate } from '../auth'
import { describeError, type Logger } from '../logger'
import type { SyncGateway } from '../sync/syncGateway'
import { BoardLeases, type LeaseHooks } from './boardLeases'
import { BoardRelay, type BoardRelayOptions } from './boardRelay'
import type { ClusterMetrics } from './clusterMetrics'

export interface ClusterNodeOptions extends Omit<BoardRelayOptions, 'processId' | 'leaseMs'> {
	redisUrl: string
	keyPrefix: string
	leaseMs: number
	processId: string
}

const CredentialRevokedSchema = z.object({
	type: z.literal('credential-revoked'),
	from: z.string(),
	boardId: z.string(),
	credentialId: z.string(),
})

const ENSURE_SECRET = `redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])`

export class ClusterNode {
	readonly leases: BoardLeases
	readonly relay: BoardRelay
	private readonly redis: Redis
	private readonly subscriber: Redis
	private readonly leaseOptions: { keyPrefix: string; leaseMs: number; processId: string; advertiseUrl: string }
	private readonly eventsChannel: string

	constructor(
		private readonly options: ClusterNodeOptions,
		deps: {
			gateway: SyncGateway
			authenticate: Authenticate
			hooks: LeaseHooks
			/** Closes this process's holders of a revoked credential (local and relayed). */
			onCredentialRevoked(boardId: BoardId, credentialId: string): void
			logger: Logger
			metrics: ClusterMetrics
		},
	) {
		const { logger } = deps
		// Commands fail at once while Redis is unreachable (no offline queue): a lease that cannot be
		// confirmed must not wait in a queue, and a client is better refused (it retries) than stalled.
		this.redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: Math.max(250, options.leaseMs / 5) })
		this.redis.on('error', (error) => logger.warn('cluster.redis_error', { error: describeError(error) }))
		this.subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null })
		this.subscriber.on('error', (error) => logger.debug('cluster.redis_subscriber_error', { error: describeError(error) }))
		this.eventsChannel = `${options.keyPrefix}events`
		this.subscriber.subscribe(this.eventsChannel).catch((error: unknown) => logger.warn('cluster.subscribe_failed', { error: describeError(error) }))
		this.subscriber.on('message', (channel: string, message: string) => {
			if (channel !== this.eventsChannel) return
			let event: z.infer<typeof CredentialRevokedSchema>
			try {
				event = CredentialRevokedSchema.parse(JSON.parse(message))
			} catch {
				logger.warn('cluster.bad_event')
				return
			}
			if (event.from !== options.processId) deps.onCredentialRevoked(event.boardId, event.credentialId)
		})
		this.leaseOptions = { keyPrefix: options.keyPrefix, leaseMs: options.leaseMs, processId: options.processId, advertiseUrl: '' }
		this.leases = new BoardLeases(this.redis, this.leaseOptions, deps.hooks, logger, deps.metrics)
		this.relay = new BoardRelay(
			deps.gateway,
			this.leases,
			deps.authenticate,
			() => this.relaySecret(),
			{ ...options, processId: options.processId, leaseMs: options.leaseMs },
			logger,
			deps.metrics,
		)
	}

	/** Starts renewing leases; `advertiseUrl` is how the other processes reach this one. */
	start(advertiseUrl: string): void {
		this.leaseOptions.advertiseUrl = advertiseUrl
		this.leases.start()
	}

	/**
	 * Resolves once Redis answered, or after `timeoutMs` (the server then listens anyway:
	 * /readyz says 503 and sockets are refused with 503 until Redis is reachable).
	 */
	firstConnection(timeoutMs = 3_000): Promise<void> {
		if (this.redis.status === 'ready') return Promise.resolve()
		return new Promise((resolve) => {
			const done = () => {
				clearTimeout(timer)
				this.redis.off('ready', done)
				resolve()
			}
			const timer = setTimeout(done, timeoutMs)
			this.redis.once('ready', done)
		})
	}

	get redisReady(): boolean {
		return this.redis.status === 'ready'
	}

	/** Tells every other process to close the holders of a revoked credential (fire and forget). */
	publishCredentialRevoked(boardId: BoardId, credentialId: string): void {
		const event = { type: 'credential-revoked', from: this.options.processId, boardId, credentialId }
		// If Redis is down the owner's periodic credential re-check still closes them within seconds.
		this.redis.publish(this.eventsChannel, JSON.stringify(event)).catch(() => {})
	}

	/** After the rooms were flushed: releases the leases so successors take over at once, then disconnects. */
	async close(): Promise<void> {
		await this.leases.releaseAll()
		this.redis.disconnect()
		this.subscriber.disconnect()
	}

	/** The secret an arriving relay must present. */
	relaySecretForChecks(): Promise<string> {
		return this.relaySecret()
	}

	private async relaySecret(): Promise<string> {
		// Read every time: Redis runs without persistence, and after a restart the first process sets a new one.
		const secret = await this.redis.eval(ENSURE_SECRET, 1, `${this.options.keyPrefix}relay-secret`, randomBytes(32).toString('base64url'))
		if (typeof secret !== 'string') throw new Error('relay secret missing')
		return secret
	}
}
