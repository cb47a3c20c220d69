/**
 * Start-up of a storage backend that may not be reachable yet (PostgreSQL
 * starting after the board server, a failover): the server listens at once,
 * `/readyz` answers 503 and every store call rejects with
 * StorageNotReadyError — rooms close with 4503 and clients retry, as for any
 * storage fault — while the backend is retried with exponential backoff.
 */
import { describeError, type Logger } from '../logger'
import type { StorageBackend, StorageProvider } from './storageProvider'

export class StorageNotReadyError extends Error {
	override name = 'StorageNotReadyError'
	constructor(backend: StorageBackend) {
		super(`${backend} storage is not ready yet`)
	}
}

export interface RetryingStorage {
	/** Usable at once; forwards to the backend once it opened. */
	provider: StorageProvider
	isReady(): boolean
	/** Resolves when the backend opened (never rejects; retries until stopped). */
	ready: Promise<void>
	/**
	 * Resolves after the first attempt, opened or not: the server awaits it before it
	 * listens, so a reachable database is ready before the first request arrives.
	 */
	firstAttempt: Promise<void>
}

export interface RetryOptions {
	logger: Logger
	initialDelayMs?: number
	maxDelayMs?: number
}

type Port = 'boards' | 'tokens' | 'sessions' | 'versions'

/** Opens `open()` with backoff (initialDelayMs doubling up to maxDelayMs) until it resolves or close() is called. */
export function openStorageWithRetry(backend: StorageBackend, open: () => Promise<StorageProvider>, options: RetryOptions): RetryingStorage {
	const { logger } = options
	let current: StorageProvider | null = null
	let stopped = false
	let timer: NodeJS.Timeout | null = null
	let wake: (() => void) | null = null
	let firstAttemptDone: () => void = () => {}
	const firstAttempt = new Promise<void>((resolve) => (firstAttemptDone = resolve))

	const ready = (async () => {
		let delay = options.initialDelayMs ?? 250
		for (let attempt = 1; !stopped; attempt++) {
			try {
				const opened = await open()
				if (stopped) {
					await opened.close()
					return
				}
				current = opened
				logger.info('storage.ready', { backend, attempt })
				return
			} catch (error) {
				logger.warn('storage.unavailable', { backend, attempt, retryInMs: delay, error: describeError(error) })
			} finally {
				firstAttemptDone()
			}
			await new Promise<void>((resolve) => {
				wake = resolve
				timer = setTimeout(resolve, delay)
			})
			delay = Math.min(delay * 2, options.maxDelayMs ?? 10_000)
		}
	})()

	// Each port forwards every method call to the opened backend, or rejects while there is none.
	const forward = <K extends Port>(port: K): StorageProvider[K] =>
		new Proxy({} as StorageProvider[K], {
			get: (_target, method) => (...args: unknown[]) => {
				if (!current) return Promise.reject(new StorageNotReadyError(backend))
				const target = current[port] as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>
				return target[method](...args)
			},
		})

	const provider: StorageProvider = {
		backend,
		boards: forward('boards'),
		tokens: forward('tokens'),
		sessions: forward('sessions'),
		versions: forward('versions'),
		async close() {
			stopped = true
			if (timer) clearTimeout(timer)
			wake?.()
			await ready
			await current?.close()
		},
	}
	return { provider, isReady: () => current !== null, ready, firstAttempt }
}

/** A provider that is ready from the start (SQLite, memory, one passed by a test). */
export function alreadyOpen(provider: StorageProvider): RetryingStorage {
	return { provider, isReady: () => true, ready: Promise.resolve(), firstAttempt: Promise.resolve() }
}
