/**
 * Stock y-websocket clients and polling helpers for tests against a running server.
 *
 *   const client = connectClient(server.wsUrl, 'board-123')
 *   await waitForSynced(client)
 *   client.doc.getMap('records').set('a', 1)
 *   await waitFor(() => other.doc.getMap('records').get('a') === 1)
 *   client.destroy()
 */
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

export interface ConnectClientOptions {
	doc?: Y.Doc
	/** Query params appended to the URL (e.g. a token once auth lands). */
	params?: Record<string, string>
	connect?: boolean
}

/**
 * A stock WebsocketProvider using the `ws` package. BroadcastChannel is
 * disabled: providers in one Node process would otherwise sync through it and
 * a test could pass without the server.
 */
export function connectClient(wsUrl: string, boardId: string, options: ConnectClientOptions = {}): WebsocketProvider {
	return new WebsocketProvider(wsUrl, boardId, options.doc ?? new Y.Doc(), {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: options.params,
		connect: options.connect ?? true,
		maxBackoffTime: 500,
	})
}

export interface WaitForOptions {
	timeoutMs?: number
	intervalMs?: number
	/** Shown in the timeout error. */
	message?: string
}

/**
 * Polls `predicate` until it returns a truthy value (which is returned) or
 * throws after the timeout. Use it instead of fixed sleeps.
 */
export async function waitFor<T>(predicate: () => T | Promise<T>, options: WaitForOptions | number = {}): Promise<T> {
	const { timeoutMs = 10_000, intervalMs = 20, message } = typeof options === 'number' ? { timeoutMs: options } : options
	const deadline = Date.now() + timeoutMs
	let lastError: unknown
	for (;;) {
		try {
			const value = await predicate()
			if (value) return value
		} catch (error) {
			lastError = error
		}
		if (Date.now() > deadline) {
			const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
			throw new Error(`waitFor timed out after ${timeoutMs} ms${message ? `: ${message}` : ''}${detail}`)
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs))
	}
}

/** Resolves once the provider received the server's sync step 2. */
export async function waitForSynced(provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
	await waitFor(() => provider.synced, { timeoutMs, message: `provider ${provider.roomname} never synced` })
}

/** Destroys providers and their docs. */
export function destroyClients(...providers: WebsocketProvider[]): void {
	for (const provider of providers) {
		provider.destroy()
		provider.doc.destroy()
	}
}

/** GET /healthz of a running server. */
export async function fetchHealth(url: string): Promise<{ ok: boolean; rooms: number; connections: number }> {
	const response = await fetch(`${url}/healthz`)
	if (!response.ok) throw new Error(`/healthz answered ${response.status}`)
	return (await response.json()) as { ok: boolean; rooms: number; connections: number }
}

/** mulberry32: a tiny seeded PRNG so randomized tests can be replayed. */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0
	return () => {
		state = (state + 0x6d2b79f5) >>> 0
		let t = state
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}
