/**
 * Presence: awareness changes are merged per tick into one message per
 * client instead of being relayed N² times.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { MessageType } from '../../shared/protocol'
import {
	connectClient,
	connectRawClient,
	destroyClients,
	makeTempDir,
	removeDir,
	startServerProcess,
	waitFor,
	waitForSynced,
	type RawSyncClient,
	type ServerProcess,
} from './helpers'

let server: ServerProcess | null = null
let dataDir: string | null = null
const raws: RawSyncClient[] = []

async function start(): Promise<ServerProcess> {
	dataDir = await makeTempDir()
	server = await startServerProcess({ boards: ['presence-board', 'presence-join', 'presence-stock'], dataDir, env: { ROOM_UNLOAD_DELAY_MS: '200' } })
	return server
}

afterEach(async () => {
	for (const raw of raws.splice(0)) raw.close()
	await server?.kill('SIGKILL')
	if (dataDir) await removeDir(dataDir)
})

describe('awareness', () => {
	it('merges a burst of cursor updates: far fewer than N² frames, all final states arrive', async () => {
		const { wsUrl } = await start()
		const N = 10
		const UPDATES_PER_CLIENT = 20
		for (let i = 0; i < N; i++) raws.push(await connectRawClient(wsUrl, 'presence-board'))
		for (const [i, raw] of raws.entries()) {
			raw.awareness.setLocalState({ user: { name: `user-${i}` }, cursor: { x: 0, y: 0 } })
			raw.sendAwareness()
		}
		await waitFor(() => raws.every((raw) => raw.awareness.getStates().size === N), { message: 'initial presence' })

		const before = raws.map((raw) => raw.received.get(MessageType.awareness) ?? 0)
		for (let step = 1; step <= UPDATES_PER_CLIENT; step++) {
			for (const raw of raws) {
				raw.awareness.setLocalStateField('cursor', { x: step, y: step * 2 })
				raw.sendAwareness()
			}
		}
		const finalCursor = { x: UPDATES_PER_CLIENT, y: UPDATES_PER_CLIENT * 2 }
		await waitFor(
			() =>
				raws.every((raw) =>
					[...raw.awareness.getStates().values()].every((state) => JSON.stringify(state.cursor) === JSON.stringify(finalCursor)),
				),
			{ message: 'final cursors did not arrive' },
		)
		const framesPerClient = raws.map((raw, i) => (raw.received.get(MessageType.awareness) ?? 0) - before[i])
		// A relaying server would send each client (N-1) × 20 = 180 frames.
		for (const frames of framesPerClient) {
			expect(frames).toBeGreaterThan(0)
			expect(frames).toBeLessThan(N)
		}
		expect(framesPerClient.reduce((a, b) => a + b, 0)).toBeLessThan(N * N)
	})

	it('sends the full awareness right after sync step 1 to a newcomer, and removes a closed client\'s states', async () => {
		const { wsUrl } = await start()
		const present = await connectRawClient(wsUrl, 'presence-join')
		raws.push(present)
		present.awareness.setLocalState({ user: { name: 'first' } })
		present.sendAwareness()
		const watcher = await connectRawClient(wsUrl, 'presence-join')
		raws.push(watcher)
		const newcomer = await connectRawClient(wsUrl, 'presence-join')
		raws.push(newcomer)
		const order = newcomer.receivedTypes
		await waitFor(() => newcomer.awareness.getStates().get(present.doc.clientID)?.user?.name === 'first')
		expect(order[0]).toBe(MessageType.sync)
		expect(order[1]).toBe(MessageType.awareness)

		await waitFor(() => watcher.awareness.getStates().has(present.doc.clientID))
		present.ws.close()
		await waitFor(() => !watcher.awareness.getStates().has(present.doc.clientID), { message: 'removal not broadcast' })
	})

	it('answers queryAwareness with the full state to the asker only, and stock providers see each other', async () => {
		const { wsUrl } = await start()
		const alice = connectClient(wsUrl, 'presence-stock')
		const bob = connectClient(wsUrl, 'presence-stock')
		try {
			await Promise.all([waitForSynced(alice), waitForSynced(bob)])
			alice.awareness.setLocalStateField('user', { name: 'Alice' })
			await waitFor(() => bob.awareness.getStates().get(alice.doc.clientID)?.user?.name === 'Alice')

			const asker = await connectRawClient(wsUrl, 'presence-stock')
			raws.push(asker)
			await waitFor(() => asker.received.get(MessageType.awareness) === 1)
			const other = await connectRawClient(wsUrl, 'presence-stock')
			raws.push(other)
			await waitFor(() => other.received.get(MessageType.awareness) === 1)
			asker.ws.send(new Uint8Array([MessageType.queryAwareness]))
			await waitFor(() => asker.received.get(MessageType.awareness) === 2)
			expect(asker.awareness.getStates().get(alice.doc.clientID)?.user?.name).toBe('Alice')
			await new Promise((resolve) => setTimeout(resolve, 200))
			expect(other.received.get(MessageType.awareness)).toBe(1)
		} finally {
			destroyClients(alice, bob)
		}
	})
})
