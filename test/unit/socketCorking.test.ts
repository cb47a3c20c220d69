import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { corkUntilEndOfTurn } from '../../server/sync/socketCorking'

const cleanups: Array<() => void> = []
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup()
})

/** A real loopback TCP connection: the client socket we write to and everything its peer received. */
async function connectedPair(): Promise<{ socket: net.Socket; received: () => Buffer; closed: Promise<void> }> {
	const chunks: Buffer[] = []
	let peerClosed: () => void = () => {}
	const closed = new Promise<void>((resolve) => (peerClosed = resolve))
	const server = net.createServer((peer) => {
		peer.on('data', (chunk) => chunks.push(chunk))
		peer.on('close', () => peerClosed())
		peer.on('error', () => {})
	})
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const { port } = server.address() as net.AddressInfo
	const socket = net.connect(port, '127.0.0.1')
	socket.on('error', () => {})
	await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
	cleanups.push(() => {
		socket.destroy()
		server.close()
	})
	return { socket, received: () => Buffer.concat(chunks), closed }
}

/** Counts the write calls that reach the socket's handle (one per writev / write syscall batch). */
function countHandleWrites(socket: net.Socket): { writes: number } {
	const counter = { writes: 0 }
	const self = socket as unknown as { _writev: (...args: unknown[]) => void; _write: (...args: unknown[]) => void }
	const writev = self._writev.bind(socket)
	const write = self._write.bind(socket)
	self._writev = (...args) => {
		counter.writes++
		writev(...args)
	}
	self._write = (...args) => {
		counter.writes++
		write(...args)
	}
	return counter
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
	const deadline = Date.now() + timeoutMs
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out')
		await new Promise((resolve) => setTimeout(resolve, 5))
	}
}

describe('corkUntilEndOfTurn', () => {
	it('sends every frame written in one turn with one write, in order', async () => {
		const { socket, received } = await connectedPair()
		const counter = countHandleWrites(socket)
		for (let i = 0; i < 50; i++) {
			corkUntilEndOfTurn(socket)
			socket.write(Buffer.from(`frame ${i};`))
		}
		expect(socket.writableCorked).toBe(1)
		expect(counter.writes).toBe(0)
		await nextTurn()
		expect(socket.writableCorked).toBe(0)
		expect(counter.writes).toBe(1)
		const expected = Array.from({ length: 50 }, (_, i) => `frame ${i};`).join('')
		await waitUntil(() => received().length === expected.length)
		expect(received().toString()).toBe(expected)
	})

	it('starts afresh in the next turn (no frame waits longer than its turn)', async () => {
		const { socket, received } = await connectedPair()
		const counter = countHandleWrites(socket)
		corkUntilEndOfTurn(socket)
		socket.write('a')
		await nextTurn()
		corkUntilEndOfTurn(socket)
		socket.write('b')
		expect(socket.writableCorked).toBe(1)
		await nextTurn()
		expect(counter.writes).toBe(2)
		await waitUntil(() => received().toString() === 'ab')
	})

	it('keeps nested corks (ws corks around header + payload) inside the turn', async () => {
		const { socket, received } = await connectedPair()
		const counter = countHandleWrites(socket)
		corkUntilEndOfTurn(socket)
		for (let i = 0; i < 3; i++) {
			socket.cork()
			socket.write(`h${i}`)
			socket.write(`p${i}`)
			socket.uncork()
		}
		expect(counter.writes).toBe(0)
		await nextTurn()
		expect(counter.writes).toBe(1)
		await waitUntil(() => received().toString() === 'h0p0h1p1h2p2')
	})

	it('tolerates a socket destroyed or ended during the turn', async () => {
		const first = await connectedPair()
		const second = await connectedPair()
		corkUntilEndOfTurn(first.socket)
		corkUntilEndOfTurn(second.socket)
		first.socket.write('lost')
		first.socket.destroy()
		second.socket.write('bye')
		second.socket.end()
		corkUntilEndOfTurn(first.socket)
		await nextTurn()
		await second.closed
		expect(second.received().toString()).toBe('bye')
	})
})
