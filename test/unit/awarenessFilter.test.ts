import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates, type Awareness } from 'y-protocols/awareness'
import { withoutStaleAwarenessEntries } from '../../server/sync/awarenessFilter'
import { newAwareness as trackedAwareness } from './helpers/awareness'
import { seededRandom } from './helpers/seededRandom'

/** A room or client with no local state of its own (y-protocols sets one by default). */
function newAwareness(clientId: number): Awareness {
	const awareness = trackedAwareness(clientId)
	awareness.setLocalState(null)
	return awareness
}

/** The room's view of its clients (its own, empty, local entry left out). */
function snapshot(awareness: Awareness): unknown {
	const others = (id: number) => id !== awareness.clientID
	const clocks = [...awareness.meta.entries()].filter(([id]) => others(id)).map(([id, meta]) => [id, meta.clock]).sort((a, b) => a[0] - b[0])
	const states = [...awareness.getStates().entries()].filter(([id]) => others(id)).sort((a, b) => a[0] - b[0])
	return { clocks, states }
}

describe('withoutStaleAwarenessEntries', () => {
	it('leaves the room in exactly the state the unfiltered update would, over seeded random traffic with echoes', () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const rng = seededRandom(seed)
			const random = () => rng.next()
			const clients = Array.from({ length: 6 }, (_, i) => newAwareness(100 + i))
			const unfiltered = newAwareness(1)
			const filtered = newAwareness(2)
			const sent: Uint8Array[] = []
			let dropped = 0
			for (let step = 0; step < 400; step++) {
				const client = clients[Math.floor(random() * clients.length)]
				const roll = random()
				let update: Uint8Array
				if (roll < 0.45) {
					client.setLocalState({ cursor: { x: Math.round(random() * 1000), y: step } })
					update = encodeAwarenessUpdate(client, [client.clientID])
				} else if (roll < 0.55) {
					client.setLocalState(null) // leaving: a null state with a newer clock
					update = encodeAwarenessUpdate(client, [client.clientID])
				} else if (roll < 0.65) {
					// The server removing a closed connection's states, then the same removal relayed again.
					removeAwarenessStates(unfiltered, [client.clientID], 'closed')
					removeAwarenessStates(filtered, [client.clientID], 'closed')
					update = encodeAwarenessUpdate(client, [client.clientID])
				} else if (sent.length > 0) {
					// An echo: an update the room already saw, as stock y-websocket providers re-send.
					update = sent[Math.floor(random() * sent.length)]
				} else {
					continue
				}
				sent.push(update)
				applyAwarenessUpdate(unfiltered, update, 'conn')
				const kept = withoutStaleAwarenessEntries(filtered, update)
				if (kept) applyAwarenessUpdate(filtered, kept, 'conn')
				else dropped++
				expect(snapshot(filtered)).toEqual(snapshot(unfiltered))
			}
			expect(dropped).toBeGreaterThan(50)
		}
	})

	it('keeps the fresh entries of a merged frame, drops the echoed ones, and returns the update itself when nothing is stale', () => {
		const room = newAwareness(1)
		const a = newAwareness(10)
		const b = newAwareness(11)
		a.setLocalState({ n: 1 })
		b.setLocalState({ n: 1 })
		// What the server relays: one frame with both clients' states.
		const relay = newAwareness(4)
		applyAwarenessUpdate(relay, encodeAwarenessUpdate(a, [10]), 'x')
		applyAwarenessUpdate(relay, encodeAwarenessUpdate(b, [11]), 'x')
		const first = encodeAwarenessUpdate(relay, [10, 11])
		expect(withoutStaleAwarenessEntries(room, first)).toBe(first)
		applyAwarenessUpdate(room, first, 'conn')
		expect(withoutStaleAwarenessEntries(room, first)).toBeNull()
		b.setLocalState({ n: 2 })
		applyAwarenessUpdate(relay, encodeAwarenessUpdate(b, [11]), 'x')
		const kept = withoutStaleAwarenessEntries(room, encodeAwarenessUpdate(relay, [10, 11]))
		expect(kept).not.toBeNull()
		const check = newAwareness(3)
		applyAwarenessUpdate(check, kept!, 'x')
		expect([...check.getStates().keys()]).toEqual([11])
	})

	it('keeps a null state with the known clock for a client the room still shows (y-protocols applies that removal)', () => {
		const room = newAwareness(1)
		const a = newAwareness(10)
		a.setLocalState({ n: 1 })
		applyAwarenessUpdate(room, encodeAwarenessUpdate(a, [10]), 'conn')
		const clock = room.meta.get(10)!.clock
		const removal = (stateJson: string): Uint8Array => {
			const encoder = encoding.createEncoder()
			encoding.writeVarUint(encoder, 1)
			encoding.writeVarUint(encoder, 10)
			encoding.writeVarUint(encoder, clock)
			encoding.writeVarString(encoder, stateJson)
			return encoding.toUint8Array(encoder)
		}
		expect(withoutStaleAwarenessEntries(room, removal('{"n":1}'))).toBeNull()
		const kept = withoutStaleAwarenessEntries(room, removal('null'))
		expect(kept).not.toBeNull()
		applyAwarenessUpdate(room, kept!, 'conn')
		expect(room.getStates().has(10)).toBe(false)
		// Once removed, the same removal again changes nothing and is dropped.
		expect(withoutStaleAwarenessEntries(room, removal('null'))).toBeNull()
	})

	it('throws on a truncated update (the room closes that connection with 4400)', () => {
		const room = newAwareness(1)
		const a = newAwareness(10)
		a.setLocalState({ n: 1 })
		const update = encodeAwarenessUpdate(a, [10])
		expect(() => withoutStaleAwarenessEntries(room, update.subarray(0, update.length - 3))).toThrow()
	})
})
