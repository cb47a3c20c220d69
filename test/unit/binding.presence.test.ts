import { TLPOINTER_ID, type TLStore } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { applyAwarenessUpdate, encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness'
import {
	applyRemoteAwareness,
	getParticipants,
	presenceIdForClient,
	publishLocalPresence,
	syncRemotePresence,
} from '../../client/sync/presence'
import { newAwareness } from './helpers/awareness'
import { newStore } from './helpers/boardFixtures'
import { createPeer } from './helpers/boardPeer'
import { YNetwork } from './helpers/yNetwork'

/** Copies the given clients' awareness states from one instance to another (what the server relays). */
function relay(from: Awareness, to: Awareness): void {
	const clients = new Set([from.clientID, ...from.getStates().keys()])
	applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...clients]), 'network')
}

const presences = (store: TLStore) =>
	store.query.records('instance_presence').get().sort((a, b) => a.id.localeCompare(b.id))

/** A store (client 1) and another client (2) publishing a real tldraw presence, relayed to client 1's awareness. */
function storeAndOtherClient() {
	const store = newStore()
	store.mergeRemoteChanges(() => {})
	const local = newAwareness(1)
	const other = newAwareness(2)
	const source = newStore()
	source.mergeRemoteChanges(() => {})
	publishLocalPresence(source, other, { id: 'o', name: 'Other', color: '#00f' })
	relay(other, local)
	return { store, local, other }
}

describe('presence over awareness', () => {
	it('publishes the local presence and shows other clients as instance_presence records', () => {
		const net = new YNetwork()
		const alice = createPeer(net, 'alice', { clientID: 11 })
		net.flush()
		const bob = createPeer(net, 'bob', { clientID: 22 })
		const aliceAwareness = newAwareness(11)
		const bobAwareness = newAwareness(22)
		const stopPublishing = publishLocalPresence(alice.store, aliceAwareness, { id: 'alice-id', name: 'Alice', color: '#1971c2' })
		const stopSync = syncRemotePresence(bob.store, bobAwareness)

		const state = aliceAwareness.getLocalState() as { user: unknown; presence: Record<string, unknown> }
		expect(state.user).toEqual({ id: 'alice-id', name: 'Alice', color: '#1971c2' })
		// Compact on the wire: what the receiver rebuilds from `user` or defaults is left out.
		expect(state.presence).toMatchObject({ currentPageId: 'page:page', camera: { x: 0, y: 0, z: 1 } })
		for (const key of ['id', 'typeName', 'userId', 'userName', 'color', 'brush', 'scribbles', 'chatMessage', 'meta', 'selectedShapeIds']) {
			expect(state.presence).not.toHaveProperty(key)
		}

		relay(aliceAwareness, bobAwareness)
		const [record] = presences(bob.store)
		expect(record).toMatchObject({ id: presenceIdForClient(11), userName: 'Alice', color: '#1971c2' })
		expect(getParticipants(bobAwareness)).toEqual([{ clientId: 11, id: 'alice-id', name: 'Alice', color: '#1971c2' }])

		// Alice moves her pointer: the record follows.
		alice.store.put([{ ...alice.store.get(TLPOINTER_ID)!, x: 321, y: 123 }])
		relay(aliceAwareness, bobAwareness)
		expect(presences(bob.store)[0]!.cursor).toMatchObject({ x: 321, y: 123 })
		// Presence never enters the doc.
		expect([...bob.doc.getMap('records').keys()].some((id) => id.startsWith('instance_presence'))).toBe(false)

		// Alice leaves.
		stopPublishing()
		relay(aliceAwareness, bobAwareness)
		expect(presences(bob.store)).toEqual([])
		expect(getParticipants(bobAwareness)).toEqual([])
		stopSync()
	})

	it('ignores garbage awareness states and removes a client whose state turns invalid', () => {
		const store = newStore()
		store.mergeRemoteChanges(() => {}) // creates tldraw's default records
		const local = newAwareness(1)
		const valid = newAwareness(2)
		const garbage = [newAwareness(3), newAwareness(4), newAwareness(5), newAwareness(6), newAwareness(7)]
		const validPresence = (() => {
			const source = newStore()
			source.mergeRemoteChanges(() => {})
			const publisher = newAwareness(99)
			publishLocalPresence(source, publisher, { id: 'u', name: 'Valid', color: '#000' })
			return (publisher.getLocalState() as { presence: Record<string, unknown> }).presence
		})()
		valid.setLocalState({ user: { id: 'v', name: 'Valid', color: '#0a0' }, presence: validPresence })
		garbage[0]!.setLocalState({ user: 'not an object', presence: validPresence })
		garbage[1]!.setLocalState({ user: { id: 'x', name: 'X', color: '#f00' }, presence: { ...validPresence, cursor: 'nope' } })
		garbage[2]!.setLocalState({ user: { id: 'y', name: 'Y', color: '#f00' }, presence: 42 })
		garbage[3]!.setLocalState({ totally: ['unrelated'] })
		garbage[4]!.setLocalState({ user: { id: 'z', name: 'Z', color: '#f00' }, presence: { ...validPresence, currentPageId: 12 } })
		for (const source of [valid, ...garbage]) relay(source, local)

		const stop = syncRemotePresence(store, local)
		expect(presences(store).map((r) => r.id)).toEqual([presenceIdForClient(2)])
		// The participants list only needs a valid user (sorted by name).
		expect(getParticipants(local).map((p) => p.name)).toEqual(['Valid', 'X', 'Y', 'Z'])

		valid.setLocalState({ user: { id: 'v', name: 'Valid', color: '#0a0' }, presence: { broken: true } })
		relay(valid, local)
		expect(presences(store)).toEqual([])
		stop()
	})

	it('only touches the clients that changed', () => {
		const { store, local } = storeAndOtherClient()
		expect(applyRemoteAwareness(store, local)).toEqual({ put: 1, removed: 0 })
		expect(applyRemoteAwareness(store, local)).toEqual({ put: 0, removed: 0 })
		expect(applyRemoteAwareness(store, local, [1])).toEqual({ put: 0, removed: 0 }) // own client id is never shown
		expect(presences(store).map((r) => r.id)).toEqual([presenceIdForClient(2)])
	})

	it('keeps the unchanged parts of a moving cursor and still checks what changed against tldraw\'s schema', () => {
		const { store, local, other } = storeAndOtherClient()
		const stop = syncRemotePresence(store, local)
		const before = store.get(presenceIdForClient(2))!
		const state = other.getLocalState() as { user: unknown; presence: Record<string, unknown> }

		// The same state again under a new clock: the record stays the very same object.
		other.setLocalState({ ...state })
		relay(other, local)
		expect(applyRemoteAwareness(store, local, [2])).toEqual({ put: 0, removed: 0 })
		expect(store.get(presenceIdForClient(2))).toBe(before)

		// The cursor moves: a new record whose untouched fields are the previous record's objects.
		other.setLocalState({ ...state, presence: { ...state.presence, cursor: { x: 40, y: 50 } } })
		relay(other, local)
		const moved = store.get(presenceIdForClient(2))!
		expect(moved).not.toBe(before)
		expect(moved.cursor).toEqual({ x: 40, y: 50, type: 'default', rotation: 0 })
		expect(moved.camera).toBe(before.camera)
		expect(moved.screenBounds).toBe(before.screenBounds)
		expect(moved.selectedShapeIds).toBe(before.selectedShapeIds)

		// A change only tldraw's validator refuses (not a page id) removes the record, as for a new client.
		other.setLocalState({ ...state, presence: { ...state.presence, currentPageId: 'not-a-page' } })
		relay(other, local)
		expect(presences(store)).toEqual([])
		stop()
	})
})
