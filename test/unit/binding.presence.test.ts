import { TLPOINTER_ID, type TLStore } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { applyAwarenessUpdate, encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness'
import { CURSOR_GLIDE_MS, RemoteCursorFeed, cursorPositionAt } from '../../client/presence/remoteCursorFeed'
import {
	CURSOR_STORE_REFRESH_MS,
	RemotePresenceTracker,
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
		expect(applyRemoteAwareness(store, local)).toEqual({ put: 1, removed: 0, pointerOnly: 0 })
		expect(applyRemoteAwareness(store, local)).toEqual({ put: 0, removed: 0, pointerOnly: 0 })
		expect(applyRemoteAwareness(store, local, [1])).toEqual({ put: 0, removed: 0, pointerOnly: 0 }) // own client id is never shown
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
		expect(applyRemoteAwareness(store, local, [2])).toEqual({ put: 0, removed: 0, pointerOnly: 0 })
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

	it('with a cursor layer, pointer moves go to the feed at once and to the store once a second, everything else at once', () => {
		const { store, local, other } = storeAndOtherClient()
		let time = 10_000
		const feed = new RemoteCursorFeed(() => time)
		const tracker = new RemotePresenceTracker(feed)
		const apply = () => applyRemoteAwareness(store, local, [2], { tracker, now: time })
		const state = other.getLocalState() as { user: unknown; presence: Record<string, unknown> }
		const withPresence = (presence: Record<string, unknown>) => {
			other.setLocalState({ ...state, presence: { ...state.presence, ...presence } })
			relay(other, local)
		}
		withPresence({ cursor: { x: 10, y: 20 } })
		expect(apply()).toEqual({ put: 1, removed: 0, pointerOnly: 0 }) // first sight: the full path
		expect(feed.get(2)).toMatchObject({ x: 10, y: 20, name: 'Other', color: '#00f', pageId: 'page:page' })

		// A pointer move within the second: the feed moves, the store keeps the last record.
		time += 100
		withPresence({ cursor: { x: 30, y: 40 }, lastActivityTimestamp: 123 })
		expect(apply()).toEqual({ put: 1, removed: 0, pointerOnly: 1 }) // the first pointer-only change refreshes at once
		time += 100
		withPresence({ cursor: { x: 50, y: 60 }, lastActivityTimestamp: 124 })
		expect(apply()).toEqual({ put: 0, removed: 0, pointerOnly: 1 })
		expect(feed.get(2)).toMatchObject({ x: 50, y: 60 })
		expect(store.get(presenceIdForClient(2))!.cursor).toMatchObject({ x: 30, y: 40 })
		expect(tracker.pointerAhead.has(2)).toBe(true)

		// A selection change is not pointer-only: it reaches the store at once.
		time += 100
		withPresence({ cursor: { x: 55, y: 65 }, selectedShapeIds: ['shape:a'] })
		expect(apply()).toMatchObject({ put: 1, pointerOnly: 0 })
		expect(store.get(presenceIdForClient(2))).toMatchObject({ selectedShapeIds: ['shape:a'], cursor: { x: 55, y: 65 } })
		expect(tracker.pointerAhead.has(2)).toBe(false)

		// After CURSOR_STORE_REFRESH_MS the store catches up with the pointer.
		time += 100
		withPresence({ cursor: { x: 70, y: 80 }, selectedShapeIds: ['shape:a'] })
		expect(apply()).toMatchObject({ put: 0, pointerOnly: 1 })
		time += CURSOR_STORE_REFRESH_MS
		expect(applyRemoteAwareness(store, local, [], { tracker, now: time })).toMatchObject({ put: 1 })
		expect(store.get(presenceIdForClient(2))!.cursor).toMatchObject({ x: 70, y: 80 })

		// A pointer that is not a point is not trusted by the fast path: tldraw's validator decides.
		withPresence({ cursor: { x: 'left', y: 1 }, selectedShapeIds: ['shape:a'] })
		expect(apply()).toMatchObject({ pointerOnly: 0, removed: 1 })
		expect(feed.get(2)).toBeUndefined()

		// The person leaves: record and pointer go.
		withPresence({ cursor: { x: 1, y: 2 } })
		apply()
		expect(feed.get(2)).toBeDefined()
		other.setLocalState(null)
		relay(other, local)
		expect(apply()).toMatchObject({ removed: 1 })
		expect(feed.size).toBe(0)
	})

	it('glides a moved pointer from where it is drawn to its new point', () => {
		let time = 0
		const feed = new RemoteCursorFeed(() => time)
		const look = { pageId: 'page:page', color: '#00f', name: 'Ann', chatMessage: '' }
		feed.set(7, { ...look, x: 0, y: 0 })
		expect(cursorPositionAt(feed.get(7)!, time)).toEqual({ x: 0, y: 0, gliding: false })
		feed.move(7, 100, 0)
		const start = cursorPositionAt(feed.get(7)!, time)
		time += CURSOR_GLIDE_MS / 2
		const middle = cursorPositionAt(feed.get(7)!, time)
		expect(start).toMatchObject({ x: 0, gliding: true })
		expect(middle.x).toBeGreaterThan(0)
		expect(middle.x).toBeLessThan(100)
		// A new point mid-glide starts from where the pointer is drawn, never jumps back.
		feed.move(7, 200, 0)
		expect(cursorPositionAt(feed.get(7)!, time).x).toBeCloseTo(middle.x)
		time += CURSOR_GLIDE_MS
		expect(cursorPositionAt(feed.get(7)!, time)).toEqual({ x: 200, y: 0, gliding: false })
		// A page change jumps.
		feed.set(7, { ...look, pageId: 'page:other', x: 5, y: 5 })
		expect(cursorPositionAt(feed.get(7)!, time)).toEqual({ x: 5, y: 5, gliding: false })
		expect(feed.move(8, 1, 1)).toBe(false) // unknown pointer: needs its look first
	})
})
