/**
 * Hostile input: oversized frames and garbage must close only the offending
 * connection while the process keeps serving everyone else.
 */
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import {
	connectClient,
	connectRawClient,
	destroyClients,
	fetchHealth,
	makeTempDir,
	mulberry32,
	removeDir,
	startServerProcess,
	waitFor,
	waitForSynced,
	type ServerProcess,
} from './helpers'

let server: ServerProcess
let dataDir: string
const clients: WebsocketProvider[] = []

beforeAll(async () => {
	dataDir = await makeTempDir()
	server = await startServerProcess({ boards: ['another-board', 'garbage-board', 'healthy-board', 'payload-board', ...Array.from({ length: 4 }, (_, i) => `garbage-room-${i}`)], dataDir, env: { ROOM_UNLOAD_DELAY_MS: '200', LOG_LEVEL: 'error' } })
})
afterAll(async () => {
	destroyClients(...clients.splice(0))
	await server.kill('SIGKILL')
	await removeDir(dataDir)
})

function client(boardId: string): WebsocketProvider {
	const provider = connectClient(server.wsUrl, boardId)
	clients.push(provider)
	return provider
}

/** Resolves with the close code a raw socket sees after sending `frames`. */
async function sendAndAwaitClose(boardId: string, frames: Array<Uint8Array | string>): Promise<number> {
	const raw = await connectRawClient(server.wsUrl, boardId)
	for (const frame of frames) {
		if (raw.ws.readyState === WebSocket.OPEN) raw.ws.send(frame)
	}
	const code = await Promise.race([raw.closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 3_000))])
	raw.close()
	return code
}

describe('server robustness', () => {
	it('closes a 64 MiB frame with 1009 while another client of the same room keeps syncing', async () => {
		const alice = client('payload-board')
		const bob = client('payload-board')
		await Promise.all([waitForSynced(alice), waitForSynced(bob)])

		const attacker = await connectRawClient(server.wsUrl, 'payload-board')
		attacker.ws.send(new Uint8Array(64 * 1024 * 1024))
		expect(await attacker.closed).toBe(1009)

		alice.doc.getMap('records').set('after-big-frame', 1)
		await waitFor(() => bob.doc.getMap('records').get('after-big-frame') === 1)
		expect(alice.wsconnected && bob.wsconnected).toBe(true)
	})

	it('closes text frames and undecodable messages with 4400', async () => {
		expect(await sendAndAwaitClose('garbage-board', ['hello'])).toBe(4400)
		expect(await sendAndAwaitClose('garbage-board', [new Uint8Array([0x80])])).toBe(4400) // truncated varint
		expect(await sendAndAwaitClose('garbage-board', [new Uint8Array([])])).toBe(4400) // empty frame
		expect(await sendAndAwaitClose('garbage-board', [new Uint8Array([42])])).toBe(4400) // unknown type
		expect(await sendAndAwaitClose('garbage-board', [new Uint8Array([0, 9])])).toBe(4400) // unknown sync type
		// Sync update claiming a 2^35-byte payload.
		expect(await sendAndAwaitClose('garbage-board', [new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2])])).toBe(4400)
		// Awareness update whose state is not JSON.
		expect(await sendAndAwaitClose('garbage-board', [new Uint8Array([1, 6, 1, 7, 1, 2, 0x7b, 0x7b])])).toBe(4400)
	})

	it('survives a burst of random garbage over many connections and keeps serving other rooms', async () => {
		const alice = client('healthy-board')
		const bob = client('healthy-board')
		await Promise.all([waitForSynced(alice), waitForSynced(bob)])

		const random = mulberry32(1234)
		const frame = (): Uint8Array | string => {
			const kind = random()
			if (kind < 0.1) return 'garbage text'
			const bytes = new Uint8Array(1 + Math.floor(random() * 256))
			for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256)
			// Bias some frames towards real message types so deeper decoders are exercised.
			if (kind < 0.6) bytes[0] = Math.floor(random() * 4)
			if (kind < 0.4 && bytes.length > 1) bytes[1] = Math.floor(random() * 3)
			return bytes
		}
		const attackers = await Promise.all(Array.from({ length: 20 }, (_, i) => connectRawClient(server.wsUrl, `garbage-room-${i % 4}`)))
		for (let round = 0; round < 50; round++) {
			for (const attacker of attackers) {
				if (attacker.ws.readyState === WebSocket.OPEN) attacker.ws.send(frame())
			}
		}
		await Promise.all(attackers.map((attacker) => Promise.race([attacker.closed, new Promise((r) => setTimeout(r, 2_000))])))
		const closedWithBadMessage = attackers.filter((attacker) => attacker.closeCode() === 4400).length
		for (const attacker of attackers) attacker.close()
		expect(closedWithBadMessage).toBeGreaterThan(10)

		// The process is alive and the healthy room still syncs both ways.
		expect(server.process.exitCode).toBeNull()
		// Every error was handled where it occurred, not by the last-resort handlers.
		expect(server.output()).not.toMatch(/uncaught_exception|unhandled_rejection/)
		alice.doc.getMap('records').set('after-garbage', 'ok')
		bob.doc.getMap('records').set('from-bob', 'ok')
		await waitFor(() => bob.doc.getMap('records').get('after-garbage') === 'ok' && alice.doc.getMap('records').get('from-bob') === 'ok')
		const fresh = client('another-board')
		await waitForSynced(fresh)
		expect((await fetchHealth(server.url)).ok).toBe(true)
	})

	it('answers upgrades to invalid paths with 404', async () => {
		for (const path of ['/sync/no', '/sync/bad%20id!', '/sync/', '/other/valid-board', '/sync/valid-board/extra']) {
			const status = await new Promise<number>((resolve, reject) => {
				const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`)
				ws.on('unexpected-response', (_req, res) => {
					resolve(res.statusCode ?? 0)
					ws.terminate()
				})
				ws.on('open', () => reject(new Error(`upgrade to ${path} was accepted`)))
				ws.on('error', () => {})
			})
			expect(status, path).toBe(404)
		}
	})
})
