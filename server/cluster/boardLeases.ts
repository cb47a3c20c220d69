/**
 * Ownership of boards in a cluster: one owner process per board, holding a
 * lease in Redis.
 *
 * - `lease:<board>` = "<fence>|<processId>|<internal url>", set only if absent
 *   (NX) with a TTL of BOARD_LEASE_MS, renewed every third of it by a
 *   compare-and-set script (only the holder's exact value is extended).
 * - `fence:<board>` is INCRed for every new lease: the fencing token, which
 *   every storage write of the owner carries (server/storage/postgres/pgFencing.ts).
 *   Acquisition is one Lua script (check absent → INCR → SET PX), so the token
 *   and the lease can never disagree.
 * - A new owner claims its token in PostgreSQL before it loads the board.
 *   Redis has no persistence here: after a Redis restart the counter starts
 *   again below the stored token, the claim is refused, and the counter is
 *   raised past it (`bumpFence`) before acquiring again.
 *
 * The process stops treating a lease as held at `validUntil` = time the last
 * successful renewal was SENT + TTL − margin, whether or not Redis answered:
 * by then another process may hold it. The fence, not this clock, is what
 * makes a late write harmless.
 */
import type { Redis } from 'ioredis'
import type { BoardId } from '../../shared/boardId'
import { describeError, type Logger } from '../logger'
import type { ClusterMetrics } from './clusterMetrics'

export interface BoardLeasesOptions {
	keyPrefix: string
	leaseMs: number
	processId: string
	/** http://host:port of this process, advertised in the lease for relays. */
	advertiseUrl: string
}

export type BoardRoute = { kind: 'local'; fence: number } | { kind: 'remote'; processId: string; url: string; fence: number }

interface HeldLease {
	fence: number
	value: string
	validUntil: number
	/** Last time a connection was routed to it (performance.now()). */
	lastUsed: number
}

/** The stored token is higher than the one Redis gave: raise the counter and retry. */
export class FenceBehindError extends Error {
	override name = 'FenceBehindError'
	constructor(readonly storedFence: number) {
		super(`stored fencing token ${storedFence} is ahead of Redis`)
	}
}

const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current then return {0, current} end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], fence .. '|' .. ARGV[1], 'PX', ARGV[2])
return {fence, ''}`

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

const BUMP = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1`

export interface LeaseHooks {
	/** Raises the stored token before the board is loaded (throws FenceBehindError when the store is ahead). */
	claim(boardId: BoardId, fence: number): Promise<void>
	/** Whether the board still has a room in this process (an idle lease is released). */
	isInUse(boardId: BoardId): boolean
	/** The lease is gone (renewal refused, or not confirmed in time): stop serving the board now. */
	onLost(boardId: BoardId): void
}

export class BoardLeases {
	private readonly held = new Map<BoardId, HeldLease>()
	private readonly acquiring = new Map<BoardId, Promise<BoardRoute>>()
	private renewTimer: NodeJS.Timeout | null = null
	private stopped = false
	/** Clock drift and scheduling slack kept back from the TTL. */
	private readonly marginMs: number

	constructor(
		private readonly redis: Redis,
		private readonly options: BoardLeasesOptions,
		private readonly hooks: LeaseHooks,
		private readonly logger: Logger,
		private readonly metrics: ClusterMetrics,
	) {
		this.marginMs = Math.max(100, Math.round(options.leaseMs / 10))
	}

	get ownedCount(): number {
		return this.held.size
	}

	start(): void {
		this.renewTimer = setInterval(() => void this.renewAll(), Math.max(50, Math.floor(this.options.leaseMs / 3)))
	}

	/** This process's token for the board while its lease is confirmed, else null. */
	fenceOf(boardId: BoardId): number | null {
		const lease = this.held.get(boardId)
		if (!lease) return null
		if (performance.now() >= lease.validUntil) {
			this.lose(boardId, 'not renewed in time')
			return null
		}
		return lease.fence
	}

	/**
	 * Where the board is served: here (holding or just acquiring its lease, fence
	 * claimed in the store) or by the process named in the lease.
	 */
	route(boardId: BoardId): Promise<BoardRoute> {
		const fence = this.fenceOf(boardId)
		if (fence !== null) {
			this.held.get(boardId)!.lastUsed = performance.now()
			return Promise.resolve({ kind: 'local', fence })
		}
		let pending = this.acquiring.get(boardId)
		if (!pending) {
			pending = this.acquire(boardId).finally(() => this.acquiring.delete(boardId))
			this.acquiring.set(boardId, pending)
		}
		return pending
	}

	/** The token of the board's current lease, whoever holds it (null: no lease). Rejects while Redis is unreachable. */
	async currentFence(boardId: BoardId): Promise<number | null> {
		const value = await this.redis.get(this.leaseKey(boardId))
		return value === null ? null : (parseLeaseValue(value)?.fence ?? null)
	}

	/** Releases every lease (after the rooms were flushed), so successors need not wait for expiry. */
	async releaseAll(): Promise<void> {
		this.stopped = true
		if (this.renewTimer) clearInterval(this.renewTimer)
		await Promise.all([...this.held.keys()].map((boardId) => this.release(boardId)))
	}

	/** Stops renewing without releasing (tests of a paused owner use SIGSTOP instead). */
	stop(): void {
		this.stopped = true
		if (this.renewTimer) clearInterval(this.renewTimer)
	}

	async release(boardId: BoardId): Promise<void> {
		const lease = this.held.get(boardId)
		if (!lease) return
		this.held.delete(boardId)
		try {
			await this.redis.eval(RELEASE, 1, this.leaseKey(boardId), lease.value)
			this.logger.info('cluster.lease_released', { board: boardId, fence: lease.fence })
		} catch (error) {
			// It expires by itself within the TTL.
			this.logger.warn('cluster.lease_release_failed', { board: boardId, error: describeError(error) })
		}
	}

	private async acquire(boardId: BoardId): Promise<BoardRoute> {
		for (let attempt = 0; ; attempt++) {
			const holder = `${this.options.processId}|${this.options.advertiseUrl}`
			const sentAt = performance.now()
			const [fence, current] = (await this.redis.eval(ACQUIRE, 2, this.leaseKey(boardId), this.fenceKey(boardId), holder, this.options.leaseMs)) as [
				number,
				string,
			]
			if (fence === 0) {
				const parsed = parseLeaseValue(current)
				if (!parsed) throw new Error('unreadable lease value')
				if (parsed.processId === this.options.processId && attempt < 3) {
					// A lease this process already gave up (renewal not confirmed in time) but Redis kept: drop it, take a new token.
					await this.redis.eval(RELEASE, 1, this.leaseKey(boardId), current)
					continue
				}
				return { kind: 'remote', processId: parsed.processId, url: parsed.url, fence: parsed.fence }
			}
			const value = `${fence}|${holder}`
			this.held.set(boardId, { fence, value, validUntil: sentAt + this.options.leaseMs - this.marginMs, lastUsed: performance.now() })
			try {
				await this.hooks.claim(boardId, fence)
			} catch (error) {
				await this.release(boardId)
				if (error instanceof FenceBehindError && attempt < 3) {
					this.logger.warn('cluster.fence_behind', { board: boardId, redisFence: fence, storedFence: error.storedFence })
					await this.redis.eval(BUMP, 1, this.fenceKey(boardId), error.storedFence)
					continue
				}
				throw error
			}
			this.metrics.leasesAcquired.inc()
			this.logger.info('cluster.lease_acquired', { board: boardId, fence })
			if (this.stopped) {
				await this.release(boardId)
				throw new Error('process is shutting down')
			}
			return { kind: 'local', fence }
		}
	}

	private async renewAll(): Promise<void> {
		if (this.stopped) return
		const now = performance.now()
		await Promise.all(
			[...this.held].map(async ([boardId, lease]) => {
				if (!this.hooks.isInUse(boardId) && !this.acquiring.has(boardId) && now - lease.lastUsed > this.options.leaseMs) {
					await this.release(boardId)
					return
				}
				const sentAt = performance.now()
				try {
					const renewed = await this.redis.eval(RENEW, 1, this.leaseKey(boardId), lease.value, this.options.leaseMs)
					if (this.held.get(boardId) !== lease) return
					if (renewed === 1) {
						lease.validUntil = sentAt + this.options.leaseMs - this.marginMs
						this.metrics.leaseRenewals.inc()
					} else {
						this.lose(boardId, 'taken by another process')
					}
				} catch (error) {
					this.metrics.leaseRenewalErrors.inc()
					this.logger.warn('cluster.lease_renew_failed', { board: boardId, error: describeError(error) })
					if (performance.now() >= lease.validUntil) this.lose(boardId, 'not renewed in time')
				}
			}),
		)
		// A lease whose renewal keeps failing is dropped at validUntil even between ticks' answers.
		for (const boardId of [...this.held.keys()]) this.fenceOf(boardId)
	}

	private lose(boardId: BoardId, reason: string): void {
		const lease = this.held.get(boardId)
		if (!lease) return
		this.held.delete(boardId)
		this.metrics.leasesLost.inc()
		this.logger.warn('cluster.lease_lost', { board: boardId, fence: lease.fence, reason })
		this.hooks.onLost(boardId)
	}

	private leaseKey(boardId: BoardId): string {
		return `${this.options.keyPrefix}lease:${boardId}`
	}

	private fenceKey(boardId: BoardId): string {
		return `${this.options.keyPrefix}fence:${boardId}`
	}
}

export function parseLeaseValue(value: string): { fence: number; processId: string; url: string } | null {
	const [fence, processId, url] = value.split('|')
	if (!fence || !processId || !url || !/^\d+$/.test(fence)) return null
	return { fence: Number(fence), processId, url }
}
