/**
 * Limits on a real server process: origin check on the upgrade, caps on
 * connections per board and boards in memory (clear close reason 4530), and
 * the per-connection message rate (4529) — none of them per IP.
 */
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/protocol'
import { connectClient, destroyClients, makeTempDir, removeDir, startServerProcess, waitFor, waitForSynced, type ServerProcess } from './helpers'

function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve) => {
		const ws = new WebSocket(url, { headers })
		ws.on('open', () => {
			ws.close()
			resolve(101)
		})
		ws.on('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0)
			ws.terminate()
		})
		ws.on('error', () => {})
	})
}

function openAndWaitClose(url: string): Promise<{ code: number; reason: string }> {
	return new Promise((resolve) => {
		const ws = new WebSocket(url)
		ws.on('error', () => {})
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
	})
}

describe('limits', () => {
	let server: ServerProcess
	let dataDir: string

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServerProcess({ boards: ['another-board', 'full-board', 'rate-board', 'origin-board', 'room-a', 'room-b', 'room-c', 'room-d'],
			dataDir,
			env: {
				ALLOWED_ORIGINS: 'https://workshop.example.com',
				MAX_CONNECTIONS_PER_ROOM: '3',
				MAX_ROOMS: '3',
				MESSAGE_RATE_PER_SECOND: '50',
				MESSAGE_RATE_BURST: '100',
				ROOM_UNLOAD_DELAY_MS: '200',
			},
		})
	})
	afterAll(async () => {
		await server?.stop()
		await removeDir(dataDir)
	})

	it('refuses browsers from other sites on the upgrade, allows our origin, configured ones and non-browser clients', async () => {
		const url = `${server.wsUrl}/origin-board`
		expect(await upgradeStatus(url, { origin: 'https://evil.example' })).toBe(403)
		expect(await upgradeStatus(url, { origin: server.url })).toBe(101)
		expect(await upgradeStatus(url, { origin: 'https://workshop.example.com' })).toBe(101)
		expect(await upgradeStatus(url)).toBe(101)
	})

	it('closes connections past the per-board cap with a clear reason; other boards are unaffected', async () => {
		const clients = [0, 1, 2].map(() => connectClient(server.wsUrl, 'full-board'))
		await Promise.all(clients.map((c) => waitForSynced(c)))
		const refused = await openAndWaitClose(`${server.wsUrl}/full-board`)
		expect(refused).toEqual({ code: CloseCode.capacity, reason: 'board is full: too many participants' })
		const other = connectClient(server.wsUrl, 'another-board')
		await waitForSynced(other)
		destroyClients(...clients, other)
	})

	it('closes a connection that floods messages (4529) while a normal one keeps syncing', async () => {
		const honest = connectClient(server.wsUrl, 'rate-board')
		await waitForSynced(honest)
		const flood = new WebSocket(`${server.wsUrl}/rate-board`)
		flood.on('error', () => {})
		const closed = new Promise<number>((resolve) => flood.on('close', (code) => resolve(code)))
		await new Promise((resolve) => flood.on('open', resolve))
		for (let i = 0; i < 400 && flood.readyState === WebSocket.OPEN; i++) flood.send(new Uint8Array([3])) // query awareness
		expect(await closed).toBe(CloseCode.rateLimited)
		honest.doc.getMap('boardMeta').set('still', 'syncing')
		const reader = connectClient(server.wsUrl, 'rate-board')
		await waitFor(() => reader.doc.getMap('boardMeta').get('still') === 'syncing', 10_000)
		destroyClients(honest, reader)
	})

	it('refuses opening more boards than MAX_ROOMS while the others are in use', async () => {
		await waitFor(async () => (await (await fetch(`${server.url}/healthz`)).json()).rooms === 0, 10_000)
		const held = ['room-a', 'room-b', 'room-c'].map((id) => connectClient(server.wsUrl, id))
		await Promise.all(held.map((c) => waitForSynced(c)))
		const refused = await openAndWaitClose(`${server.wsUrl}/room-d`)
		expect(refused).toEqual({ code: CloseCode.capacity, reason: 'server is full: too many open boards' })
		destroyClients(...held)
	})
})

describe('document layout guard', () => {
	let server: ServerProcess
	let dataDir: string
	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServerProcess({ boards: ['layout-board'], dataDir })
	})
	afterAll(async () => {
		await server?.stop()
		await removeDir(dataDir)
	})

	it('closes a client that creates an unknown top-level type (4400) and stores nothing of it', async () => {
		const hostile = connectClient(server.wsUrl, 'layout-board')
		await waitForSynced(hostile)
		const closed = new Promise<number>((resolve) => hostile.on('connection-close', (event: { code: number } | null) => resolve(event?.code ?? 0)))
		hostile.doc.getArray('junk').push(['x'.repeat(10_000)])
		expect(await closed).toBe(CloseCode.badMessage)
		destroyClients(hostile)
		const reader = connectClient(server.wsUrl, 'layout-board')
		await waitForSynced(reader)
		expect(reader.doc.share.has('junk')).toBe(false)
		reader.doc.getMap('records').set('shape:ok', 1)
		const other = connectClient(server.wsUrl, 'layout-board')
		await waitFor(() => other.doc.getMap('records').get('shape:ok') === 1, 10_000)
		destroyClients(reader, other)
	})
})
