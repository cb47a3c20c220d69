/**
 * Document sync and durability against the real server process with stock
 * y-websocket clients.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import WebSocket from 'ws'
import type { WebsocketProvider } from 'y-websocket'
import { CloseCode } from '../../shared/protocol'
import {
	connectClient,
	destroyClients,
	fetchHealth,
	makeTempDir,
	mulberry32,
	queryStored,
	removeDir,
	startServerProcess,
	waitFor,
	waitForSynced,
	type ServerProcess,
} from './helpers'

const BOARDS = ['converge-board', 'restart-board', 'crash-board', 'sigterm-board', 'unload-board', 'other-board', 'churn-board', 'compact-board', 'offline-board']
const servers: ServerProcess[] = []
const clients: WebsocketProvider[] = []
const dirs: string[] = []

async function start(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
	const server = await startServerProcess({ dataDir, env: { ROOM_UNLOAD_DELAY_MS: '300', ...env }, boards: BOARDS })
	servers.push(server)
	return server
}
async function tempDir(): Promise<string> {
	const dir = await makeTempDir()
	dirs.push(dir)
	return dir
}
function client(server: ServerProcess, boardId: string): WebsocketProvider {
	const provider = connectClient(server.wsUrl, boardId)
	clients.push(provider)
	return provider
}
function records(provider: WebsocketProvider): Record<string, unknown> {
	return provider.doc.getMap('records').toJSON()
}
/** Opens a fresh client, waits for sync and returns the board's records. */
async function readBoard(server: ServerProcess, boardId: string): Promise<Record<string, unknown>> {
	const reader = client(server, boardId)
	await waitForSynced(reader)
	return records(reader)
}

afterEach(async () => {
	destroyClients(...clients.splice(0))
	await Promise.all(servers.splice(0).map((server) => server.kill('SIGKILL')))
	await Promise.all(dirs.splice(0).map(removeDir))
})

describe('sync server', () => {
	it('converges several stock y-websocket clients doing seeded random edits', async () => {
		const server = await start(await tempDir())
		const boardId = 'converge-board'
		const peers = Array.from({ length: 5 }, () => client(server, boardId))
		await Promise.all(peers.map((peer) => waitForSynced(peer)))
		// Shared text lives inside boardMeta: the server refuses unknown top-level types.
		peers[0].doc.getMap('boardMeta').set('notes', new Y.Text())
		const notes = (peer: WebsocketProvider) => peer.doc.getMap('boardMeta').get('notes') as Y.Text | undefined
		await waitFor(() => peers.every((peer) => notes(peer) instanceof Y.Text))
		const random = mulberry32(0xc0ffee)
		for (let step = 0; step < 400; step++) {
			const peer = peers[Math.floor(random() * peers.length)]
			const map = peer.doc.getMap<number>('records')
			const key = `shape:${Math.floor(random() * 40)}`
			if (random() < 0.15) map.delete(key)
			else map.set(key, Math.floor(random() * 1_000_000))
			if (step % 3 === 0) notes(peer)!.insert(0, String.fromCharCode(97 + (step % 26)))
		}
		// Key order of Y.Map depends on arrival order, so compare canonically.
		const state = (peer: WebsocketProvider) =>
			JSON.stringify([Object.entries(records(peer)).sort(([a], [b]) => a.localeCompare(b)), notes(peer)!.toString()])
		await waitFor(() => peers.every((peer) => state(peer) === state(peers[0])), {
			message: 'peers did not converge',
		})
		expect(Object.keys(records(peers[0])).length).toBeGreaterThan(10)
		expect(notes(peers[0])!.length).toBe(134)
		// A late joiner gets the same state from the server alone.
		const late = await readBoard(server, boardId)
		expect(late).toEqual(records(peers[0]))
	})

	it('keeps everything across a restart on the same DATA_DIR', async () => {
		const dataDir = await tempDir()
		const first = await start(dataDir)
		const writer = client(first, 'restart-board')
		await waitForSynced(writer)
		for (let i = 0; i < 50; i++) writer.doc.getMap('records').set(`k${i}`, i)
		const observer = client(first, 'restart-board')
		await waitFor(() => observer.doc.getMap('records').size === 50)
		destroyClients(...clients.splice(0))
		expect(await first.stop()).toBe(0)

		const second = await start(dataDir)
		const board = await readBoard(second, 'restart-board')
		expect(Object.keys(board)).toHaveLength(50)
		expect(board.k49).toBe(49)
	})

	it('keeps a write when the server is SIGKILLed 1.5 s after it', async () => {
		const dataDir = await tempDir()
		const first = await start(dataDir)
		const writer = client(first, 'crash-board')
		const observer = client(first, 'crash-board')
		await Promise.all([waitForSynced(writer), waitForSynced(observer)])
		writer.doc.getMap('records').set('survives', 'yes')
		// The observer seeing it proves the server accepted it.
		await waitFor(() => observer.doc.getMap('records').get('survives') === 'yes')
		await new Promise((resolve) => setTimeout(resolve, 1_500))
		await first.kill('SIGKILL')
		destroyClients(...clients.splice(0))

		const second = await start(dataDir)
		expect((await readBoard(second, 'crash-board')).survives).toBe('yes')
	})

	it('exits 0 on SIGTERM after flushing, and the data persists', async () => {
		const dataDir = await tempDir()
		const first = await start(dataDir, { PERSIST_FLUSH_INTERVAL_MS: '900' })
		const writer = client(first, 'sigterm-board')
		const observer = client(first, 'sigterm-board')
		await Promise.all([waitForSynced(writer), waitForSynced(observer)])
		const closeCodes: number[] = []
		observer.on('connection-close', (event) => {
			if (event) closeCodes.push(event.code)
		})
		writer.doc.getMap('records').set('flushed-on-shutdown', true)
		await waitFor(() => observer.doc.getMap('records').get('flushed-on-shutdown') === true)
		// Stop right away: the 900 ms flush timer has not fired, so only the shutdown flush saves it.
		expect(await first.stop()).toBe(0)
		expect(closeCodes).toContain(4504)
		destroyClients(...clients.splice(0))

		const second = await start(dataDir)
		expect((await readBoard(second, 'sigterm-board'))['flushed-on-shutdown']).toBe(true)
	})

	it('unloads a room after its last client leaves and reloads it intact', async () => {
		const server = await start(await tempDir(), { ROOM_UNLOAD_DELAY_MS: '200' })
		expect(await fetchHealth(server.url)).toEqual({ ok: true, rooms: 0, connections: 0 })
		const writer = client(server, 'unload-board')
		const other = client(server, 'other-board')
		await Promise.all([waitForSynced(writer), waitForSynced(other)])
		expect(await fetchHealth(server.url)).toEqual({ ok: true, rooms: 2, connections: 2 })
		for (let i = 0; i < 20; i++) writer.doc.getMap('records').set(`k${i}`, `v${i}`)
		const expected = records(writer)
		await waitFor(async () => (await readBoard(server, 'unload-board')).k19 === 'v19')
		destroyClients(...clients.filter((c) => c.roomname === 'unload-board'))
		await waitFor(async () => {
			const health = await fetchHealth(server.url)
			return health.rooms === 1 && health.connections === 1
		}, { message: 'room did not unload' })

		const reader = client(server, 'unload-board')
		await waitForSynced(reader)
		expect(records(reader)).toEqual(expected)
		expect((await fetchHealth(server.url)).rooms).toBe(2)
	})

	it('a client joining while the room unloads gets the complete, single room', async () => {
		// Unload delay 0: the room starts unloading the moment its last client leaves.
		const server = await start(await tempDir(), { ROOM_UNLOAD_DELAY_MS: '0' })
		for (let round = 0; round < 5; round++) {
			const writer = client(server, 'churn-board')
			await waitForSynced(writer)
			writer.doc.getMap('records').set(`round${round}`, round)
			await waitFor(async () => {
				const observer = connectClient(server.wsUrl, 'churn-board')
				try {
					await waitForSynced(observer)
					return observer.doc.getMap('records').get(`round${round}`) === round
				} finally {
					destroyClients(observer)
				}
			})
			destroyClients(writer)
			clients.splice(clients.indexOf(writer), 1)
			// Reconnect immediately, racing the unload.
			const rejoin = client(server, 'churn-board')
			await waitForSynced(rejoin)
			const board = records(rejoin)
			for (let r = 0; r <= round; r++) expect(board[`round${r}`]).toBe(r)
			destroyClients(rejoin)
			clients.splice(clients.indexOf(rejoin), 1)
		}
		await waitFor(async () => (await fetchHealth(server.url)).rooms === 0)
	})

	it('compacts the log past the threshold and when the room unloads', async () => {
		const dataDir = await tempDir()
		const server = await start(dataDir, { COMPACT_AFTER_UPDATES: '20', PERSIST_FLUSH_INTERVAL_MS: '10', ROOM_UNLOAD_DELAY_MS: '100' })
		const count = async (table: string) =>
			(await queryStored<{ n: number }>(dataDir, `SELECT COUNT(*) AS n FROM ${table} WHERE board_id = 'compact-board'`))[0].n
		const counts = async () => ({ updates: await count('board_updates'), snapshots: await count('board_snapshots') })
		const writer = client(server, 'compact-board')
		await waitForSynced(writer)
		for (let i = 0; i < 60; i++) {
			writer.doc.getMap('records').set(`k${i}`, i)
			// Spread the edits over several flushes so each becomes its own log row.
			await new Promise((resolve) => setTimeout(resolve, 5))
		}
		await waitFor(async () => (await counts()).snapshots === 1, { message: 'no snapshot written past the threshold' })
		expect((await counts()).updates).toBeLessThanOrEqual(20)

		destroyClients(...clients.splice(0))
		await waitFor(async () => (await fetchHealth(server.url)).rooms === 0)
		expect(await counts()).toEqual({ updates: 0, snapshots: 1 })
		const board = await readBoard(server, 'compact-board')
		expect(Object.keys(board)).toHaveLength(60)
	})

	it('applies a late client\'s offline edits made before connecting (sync step 2 from client)', async () => {
		const server = await start(await tempDir())
		const doc = new Y.Doc()
		doc.getMap('records').set('offline', 'edit')
		const offline = connectClient(server.wsUrl, 'offline-board', { doc })
		clients.push(offline)
		await waitForSynced(offline)
		expect((await readBoard(server, 'offline-board')).offline).toBe('edit')
	})

	it('refuses a socket to a board that was never created with 4404: nothing written, nothing kept in memory', async () => {
		const dataDir = await tempDir()
		const server = await start(dataDir)
		const ws = new WebSocket(`${server.wsUrl}/made-up-board-20208`)
		const code = await new Promise<number>((resolve, reject) => {
			ws.on('close', (closeCode) => resolve(closeCode))
			ws.on('error', reject)
		})
		expect(code).toBe(CloseCode.notFound)
		await waitFor(async () => (await fetchHealth(server.url)).rooms === 0, { message: 'a room was kept for an unknown board' })
		expect(await queryStored(dataDir, "SELECT COUNT(*) AS n FROM boards WHERE id = 'made-up-board-20208'")).toEqual([{ n: 0 }])
		expect(await queryStored(dataDir, "SELECT COUNT(*) AS n FROM board_updates WHERE board_id = 'made-up-board-20208'")).toEqual([{ n: 0 }])
	})
})
