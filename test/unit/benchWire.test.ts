import * as awarenessProtocol from 'y-protocols/awareness'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { encodeAwarenessMessage } from '../../server/sync/messages'
import { countAwarenessStates, encodeAwarenessFrame, readAwarenessCount } from '../../bench/lib/wire'

describe('bench wire: counting delivered cursor states', () => {
	it('counts the states of a one-state frame, minus the receiver’s own', () => {
		const frame = encodeAwarenessFrame(1_000_007, 3, JSON.stringify({ cursor: { x: 1, y: 2 } }))
		expect(countAwarenessStates(frame, 1_000_007)).toEqual({ all: 1, fromOthers: 0 })
		expect(countAwarenessStates(frame, 1_000_001)).toEqual({ all: 1, fromOthers: 1 })
	})

	it('reads a merged frame as the server encodes it (states of several clients, a removed one included)', () => {
		const doc = new Y.Doc()
		const awareness = new awarenessProtocol.Awareness(doc)
		awareness.setLocalState(null)
		const peer = (clientId: number, state: Record<string, unknown>): Uint8Array => {
			const peerDoc = new Y.Doc()
			peerDoc.clientID = clientId
			const other = new awarenessProtocol.Awareness(peerDoc)
			other.setLocalState(state)
			return awarenessProtocol.encodeAwarenessUpdate(other, [clientId])
		}
		for (const id of [11, 12, 13]) awarenessProtocol.applyAwarenessUpdate(awareness, peer(id, { name: `p${id}`, text: 'é'.repeat(200) }), 'test')
		awarenessProtocol.removeAwarenessStates(awareness, [13], 'test')
		const frame = encodeAwarenessMessage(awareness, [11, 12, 13])
		expect(readAwarenessCount(frame)).toBe(3)
		expect(countAwarenessStates(frame, 12)).toEqual({ all: 3, fromOthers: 2 })
		expect(countAwarenessStates(frame, 99)).toEqual({ all: 3, fromOthers: 3 })
	})
})
