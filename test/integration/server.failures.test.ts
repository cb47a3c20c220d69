/**
 * Failure handling, in-process (so storage and auth can be swapped):
 * storage errors, viewers, refused auth, slow consumers, dead peers, bad config.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { startServer, type RunningServer } from '../../server/app'
import type { Authenticate } from '../../server/auth'
import { parseConfig } from '../../server/config'
import { createLogger } from '../../server/logger'
import type { BoardStorage } from '../../server/storage/boardStorage'
import { withBoards } from '../../server/storage/storageProvider'
import { CloseCode } from '../../shared/protocol'
import {
	REPO_ROOT,
	connectClient,
	connectRawClient,
	destroyClients,
	fetchHealth,
	makeTempDir,
	openTestStorage,
	seedBoards,
	storageEnvFor,
	removeDir,
	waitFor,
	waitForSynced,
} from './helpers'

/** Wraps real storage; writes for boards in `failingBoards` throw like a full disk would. */
class FailingWritesStorage implements BoardStorage {
	readonly failingBoards = new Set<string>()
	constructor(private readonly inner: BoardStorage) {}
	loadBoard(boardId: string) {
		return this.inner.loadBoard(boardId)
	}
	async appendUpdates(boardId: string, updates: readonly Uint8Array[]) {
		if (this.failingBoards.has(boardId)) throw new Error('SQLITE_FULL: database or disk is full')
		return this.inner.appendUpdates(boardId, updates)
	}
	async compact(boardId: string, snapshot: Uint8Array, throughSeq: number) {
		if (this.failingBoards.has(boardId)) throw new Error('SQLITE_FULL: database or disk is full')
		return this.inner.compact(boardId, snapshot, throughSeq)
	}
	close() {
		return this.inner.close()
	}
}

/** Wraps real storage; loading takes `delayMs`, to test messages that arrive meanwhile. */
class SlowLoadStorage extends FailingWritesStorage {
	constructor(
		inner: BoardStorage,
		private readonly delayMs: number,
	) {
		super(inner)
	}
	override async loadBoard(boardId: string) {
		await new Promise((resolve) => setTimeout(resolve, this.delayMs))
		return super.loadBoard(boardId)
	}
}

let running: RunningServer | null = null
let dataDir: string | null = null
const clients: WebsocketProvider[] = []

async function start(
	env: Record<string, string> = {},
	options: { wrapBoards?: (boards: BoardStorage) => BoardStorage; authenticate?: Authenticate } = {},
): Promise<RunningServer & { wsUrl: string }> {
	dataDir = await makeTempDir()
	await seedBoards(dataDir, ['failing-board', 'healthy-board', 'ping-board', 'slow-board', 'slow-load-board', 'viewer-board'])
	const config = parseConfig({ PORT: '0', DATA_DIR: dataDir, ROOM_UNLOAD_DELAY_MS: '300', ...(await storageEnvFor(dataDir)), ...env })
	running = await startServer(config, {
		logger: createLogger('silent'),
		storage: options.wrapBoards && withBoards(await openTestStorage(dataDir), options.wrapBoards),
		authenticate: options.authenticate,
	})
	return Object.assign(running, { wsUrl: `${running.url.replace('http', 'ws')}/sync` })
}
function client(wsUrl: string, boardId: string, params?: Record<string, string>): WebsocketProvider {
	const provider = connectClient(wsUrl, boardId, { params })
	clients.push(provider)
	return provider
}

afterEach(async () => {
	destroyClients(...clients.splice(0))
	await running?.close()
	running = null
	if (dataDir) await removeDir(dataDir)
})

describe('failure handling', () => {
	it('closes a room whose storage fails with 4503, refuses it meanwhile, and keeps other rooms working', async () => {
		let storage: FailingWritesStorage | null = null
		const server = await start({}, { wrapBoards: (boards) => (storage = new FailingWritesStorage(boards)) })
		const victim = client(server.wsUrl, 'failing-board')
		const bystander = client(server.wsUrl, 'healthy-board')
		const bystanderPeer = client(server.wsUrl, 'healthy-board')
		await Promise.all([waitForSynced(victim), waitForSynced(bystander), waitForSynced(bystanderPeer)])
		const closes: number[] = []
		victim.on('connection-close', (event) => {
			if (event) closes.push(event.code)
		})

		storage!.failingBoards.add('failing-board')
		victim.doc.getMap('records').set('unsaved', 1)
		await waitFor(() => closes.includes(CloseCode.storageUnavailable), { message: 'victim not closed with 4503' })
		// While the failed room is still in memory, reconnects are refused too.
		await waitFor(() => closes.filter((code) => code === CloseCode.storageUnavailable).length >= 2, {
			message: 'reconnect was not refused',
		})

		bystander.doc.getMap('records').set('still', 'works')
		await waitFor(() => bystanderPeer.doc.getMap('records').get('still') === 'works')

		// Once storage recovers and the failed room was evicted, the client's kept edit is saved.
		storage!.failingBoards.clear()
		await waitFor(async () => {
			const reader = connectClient(server.wsUrl, 'failing-board')
			try {
				await waitForSynced(reader, 2_000)
				return reader.doc.getMap('records').get('unsaved') === 1
			} finally {
				destroyClients(reader)
			}
		}, { timeoutMs: 15_000, message: 'edit was not saved after recovery' })
	})

	it('queues messages until the room is loaded: a client is never synced to an empty board', async () => {
		const server = await start({ ROOM_UNLOAD_DELAY_MS: '50' }, { wrapBoards: (boards) => new SlowLoadStorage(boards, 400) })
		const writer = client(server.wsUrl, 'slow-load-board')
		await waitForSynced(writer)
		writer.doc.getMap('records').set('existing', 'content')
		const seer = client(server.wsUrl, 'slow-load-board')
		await waitFor(() => seer.doc.getMap('records').get('existing') === 'content')
		destroyClients(...clients.splice(0))
		await waitFor(() => server.rooms.size === 0, { message: 'room did not unload' })

		// The new client's sync step 1 arrives while the room is loading; its first sync must carry the content.
		const reader = client(server.wsUrl, 'slow-load-board')
		const sizeWhenSynced = await new Promise<number>((resolve) =>
			reader.once('sync', () => resolve(reader.doc.getMap('records').size)),
		)
		expect(sizeWhenSynced).toBe(1)
		expect(reader.doc.getMap('records').get('existing')).toBe('content')
	})

	it('never applies a viewer\'s document updates, but viewers still receive edits', async () => {
		const authenticate: Authenticate = async (request) =>
			new URL(request.url ?? '/', 'http://x').searchParams.get('role') === 'viewer' ? { role: 'viewer' } : { role: 'participant' }
		const server = await start({}, { authenticate })
		const viewerDoc = new Y.Doc()
		viewerDoc.getMap('records').set('from-viewer-offline', 1)
		const viewer = connectClient(server.wsUrl, 'viewer-board', { doc: viewerDoc, params: { role: 'viewer' } })
		clients.push(viewer)
		const editor = client(server.wsUrl, 'viewer-board')
		await Promise.all([waitForSynced(viewer), waitForSynced(editor)])

		viewer.doc.getMap('records').set('from-viewer', 1)
		editor.doc.getMap('records').set('from-editor', 1)
		await waitFor(() => viewer.doc.getMap('records').get('from-editor') === 1)
		// A fresh reader sees exactly what the server holds.
		const reader = client(server.wsUrl, 'viewer-board')
		await waitForSynced(reader)
		expect(reader.doc.getMap('records').toJSON()).toEqual({ 'from-editor': 1 })
		expect(editor.doc.getMap('records').has('from-viewer')).toBe(false)
	})

	it('answers 401 on upgrade when authenticate refuses', async () => {
		const server = await start({}, { authenticate: async () => null })
		const status = await new Promise<number>((resolve) => {
			const ws = new WebSocket(`${server.wsUrl}/some-board`)
			ws.on('error', () => {})
			ws.on('unexpected-response', (_req, res) => {
				resolve(res.statusCode ?? 0)
				ws.terminate()
			})
		})
		expect(status).toBe(401)
	})

	it('closes a client that stops reading with 4508 without stalling the others', async () => {
		const server = await start({ MAX_BUFFERED_BYTES: '65536' })
		const writer = client(server.wsUrl, 'slow-board')
		const reader = client(server.wsUrl, 'slow-board')
		await Promise.all([waitForSynced(writer), waitForSynced(reader)])
		const slow = await connectRawClient(server.wsUrl, 'slow-board')
		await waitFor(() => (slow.received.get(0) ?? 0) > 0)
		// Stop reading: the kernel buffers fill, then the server's send buffer grows.
		const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket
		socket.pause()
		const chunk = 'x'.repeat(256 * 1024)
		for (let i = 0; i < 100; i++) writer.doc.getMap('records').set(`big${i}`, chunk)
		await waitFor(() => reader.doc.getMap('records').size === 100, { message: 'reader stalled' })
		// Reading again, the slow client drains what was queued and then finds the close frame.
		socket.resume()
		expect(await slow.closed).toBe(CloseCode.slowConsumer)
		await waitFor(async () => (await fetchHealth(server.url)).connections === 2, { message: 'slow client not dropped' })
		slow.close()
	})

	it('terminates peers that stop answering pings', async () => {
		const server = await start({ PING_INTERVAL_MS: '100' })
		const alive = client(server.wsUrl, 'ping-board')
		await waitForSynced(alive)
		const dead = await connectRawClient(server.wsUrl, 'ping-board')
		;(dead.ws as unknown as { _socket: { pause(): void } })._socket.pause()
		expect((await fetchHealth(server.url)).connections).toBe(2)
		await waitFor(async () => (await fetchHealth(server.url)).connections === 1, { message: 'dead peer kept' })
		expect(alive.wsconnected).toBe(true)
		dead.ws.terminate()
	})
})

describe('configuration', () => {
	it('exits 1 with a message naming the bad variable', async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'main.ts')], {
			cwd: REPO_ROOT,
			env: { ...process.env, PORT: 'eighty', MAX_PAYLOAD_BYTES: '-5', DATA_DIR: path.join(REPO_ROOT, 'data-never-created') },
			stdio: ['ignore', 'pipe', 'pipe'],
		})
		let stderr = ''
		let stdout = ''
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
		const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
		expect(code).toBe(1)
		expect(stderr).toContain('PORT')
		expect(stderr).toContain('MAX_PAYLOAD_BYTES')
		expect(stdout).toBe('')
	})
})
