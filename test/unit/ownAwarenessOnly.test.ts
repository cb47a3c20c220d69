import type { AddressInfo } from 'node:net'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { sendOnlyOwnAwareness } from '../../client/sync/ownAwarenessOnly'
import { MessageType } from '../../shared/protocol'

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Client ids of the awareness entries in one y-websocket frame (none for other message types). */
function awarenessClientIds(frame: Uint8Array): number[] {
	const decoder = decoding.createDecoder(frame)
	if (decoding.readVarUint(decoder) !== MessageType.awareness) return []
	const update = decoding.createDecoder(decoding.readVarUint8Array(decoder))
	const ids: number[] = []
	for (let count = decoding.readVarUint(update); count > 0; count--) {
		ids.push(decoding.readVarUint(update))
		decoding.readVarUint(update) // clock
		decoding.readVarString(update) // state JSON
	}
	return ids
}

/** Another participant's awareness state, as the server would relay it. */
function foreignAwarenessFrame(clientId: number): Uint8Array {
	const doc = new Y.Doc()
	doc.clientID = clientId
	const other = new Awareness(doc)
	other.setLocalState({ user: { id: 'someone-else', name: 'Other', color: '#000' } })
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MessageType.awareness)
	encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(other, [clientId]))
	other.destroy()
	return encoding.toUint8Array(encoder)
}

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
	const deadline = Date.now() + timeoutMs
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out')
		await new Promise((resolve) => setTimeout(resolve, 10))
	}
}

/**
 * A stock y-websocket provider against a real WebSocket server that records what the client
 * sends and relays one foreign awareness state to it.
 */
async function runProvider(patch: boolean): Promise<{ ownId: number; sentIds: number[] }> {
	const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
	await new Promise<void>((resolve) => server.once('listening', () => resolve()))
	cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
	const sentIds: number[] = []
	server.on('connection', (socket) => {
		socket.on('message', (data: Buffer) => sentIds.push(...awarenessClientIds(new Uint8Array(data))))
		socket.send(foreignAwarenessFrame(424_242))
	})
	const doc = new Y.Doc()
	const provider = new WebsocketProvider(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, 'board', doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
	})
	cleanups.push(() => provider.destroy())
	if (patch) sendOnlyOwnAwareness(provider)
	provider.awareness.setLocalState({ user: { id: 'me', name: 'Me', color: '#fff' } })
	await waitFor(() => provider.awareness.getStates().has(424_242))
	provider.awareness.setLocalStateField('cursor', { x: 1, y: 2 })
	await waitFor(() => sentIds.filter((id) => id === doc.clientID).length >= 2)
	// Give an echo of the foreign state time to arrive if the provider sends one.
	await new Promise((resolve) => setTimeout(resolve, 100))
	return { ownId: doc.clientID, sentIds }
}

describe('sendOnlyOwnAwareness', () => {
	it('a stock provider echoes other participants\u2019 states back to the server (the behaviour being fixed)', async () => {
		const { sentIds } = await runProvider(false)
		expect(sentIds).toContain(424_242)
	})

	it('sends this client\u2019s own state changes and never another participant\u2019s', async () => {
		const { ownId, sentIds } = await runProvider(true)
		expect(sentIds.length).toBeGreaterThanOrEqual(2)
		expect(new Set(sentIds)).toEqual(new Set([ownId]))
	})
})
