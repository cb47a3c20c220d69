import { atom } from '@tldraw/state'
import {
	CameraRecordType,
	InstancePageStateRecordType,
	TLINSTANCE_ID,
	TLPOINTER_ID,
	UserRecordType,
	createPresenceStateDerivation,
	type TLInstancePresence,
	type TLShapeId,
	type TLStore,
} from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { presenceRecordFromAwareness } from '../../client/sync/presence'
import { AwarenessStateSchema, compactPresence, expandPresence, toAwarenessState } from '../../shared/presence/presenceWire'
import { makeNote, newStore } from './helpers/boardFixtures'

const alice = { id: 'alice-participant-1', name: 'Alice Example', color: '#e03131' }

function storeWithDefaults(): TLStore {
	const store = newStore()
	store.mergeRemoteChanges(() => {}) // tldraw's default instance, page, camera, pointer records
	return store
}

/** What tldraw's own presence derivation makes of the store (the record a client would publish in full). */
function tldrawPresence(store: TLStore): TLInstancePresence {
	const $user = atom('user', UserRecordType.create({ id: UserRecordType.createId(alice.id), name: alice.name, color: alice.color }))
	const presence = createPresenceStateDerivation($user)(store).get()
	if (!presence) throw new Error('no presence')
	return presence
}

/** Sends a state the way awareness does (JSON) and reads it back on another client. */
function overTheWire(state: unknown): unknown {
	return JSON.parse(JSON.stringify(state))
}

function movePointer(store: TLStore, x: number, y: number): void {
	store.put([{ ...store.get(TLPOINTER_ID)!, x, y, lastActivityTimestamp: 1_795_000_000_123.4 }])
}

describe('compact presence on the wire', () => {
	it('rebuilds a busy tldraw presence (selection, brush, laser scribble, follow, chat) to within rounding', () => {
		const store = storeWithDefaults()
		const note = makeNote('shape:n1', 10, 20, 'hello')
		store.put([note])
		const instance = store.get(TLINSTANCE_ID)!
		store.put([
			{
				...instance,
				brush: { x: 1.23456, y: 2.34567, w: 300.5, h: 200.25 },
				scribbles: [
					{ id: 'laser-1', points: [{ x: 10.123456, y: 20.987654, z: 0.5 }, { x: 11.5, y: 21.5 }], size: 4, color: 'laser', opacity: 0.7, state: 'active', delay: 0, shrink: 0.1, taper: false },
				],
				chatMessage: 'look here',
				followingUserId: UserRecordType.createId('bob'),
				cursor: { type: 'grab', rotation: 0.7853981 },
				screenBounds: { x: 0, y: 0, w: 1440.5, h: 900 },
			},
			{ ...store.get(InstancePageStateRecordType.createId(instance.currentPageId))!, selectedShapeIds: [note.id as TLShapeId] },
		])
		store.put([{ ...store.get(CameraRecordType.createId('page:page'))!, x: -1234.56789, y: 98.7654321, z: 0.683013455 }])
		movePointer(store, 512.345678, -77.777777)
		const full = tldrawPresence(store)

		const received = presenceRecordFromAwareness(store, 7, overTheWire(toAwarenessState(alice, full)))
		expect(received).not.toBeNull()
		const { id: _fullId, ...expected } = full
		const { id, ...actual } = received!
		expect(id).toBe('instance_presence:7')
		expect(actual).toEqual({
			...expected,
			lastActivityTimestamp: Math.round(expected.lastActivityTimestamp!),
			camera: { x: -1234.57, y: 98.77, z: 0.683 },
			cursor: { x: 512.35, y: -77.78, type: 'grab', rotation: 0.7854 },
			brush: { x: 1.23, y: 2.35, w: 300.5, h: 200.25 },
			screenBounds: { x: 0, y: 0, w: 1440.5, h: 900 },
			scribbles: [{ ...expected.scribbles[0]!, points: [{ x: 10.12, y: 20.99, z: 0.5 }, { x: 11.5, y: 21.5 }] }],
		})
	})

	it('sends a moving cursor in well under half the bytes of the full record', () => {
		const store = storeWithDefaults()
		store.put([{ ...store.get(CameraRecordType.createId('page:page'))!, x: -1234.56789, y: 98.7654321, z: 0.683013455 }])
		movePointer(store, 512.345678, -77.777777)
		const full = tldrawPresence(store)
		const fullBytes = JSON.stringify({ user: alice, presence: full }).length
		const compactBytes = JSON.stringify(toAwarenessState(alice, full)).length
		expect(compactBytes / fullBytes).toBeLessThan(0.5)
		expect(compactBytes).toBeLessThan(300)
		// Only what a moving cursor changes differs between two moves.
		movePointer(store, 600, 100)
		const next = compactPresence(tldrawPresence(store))
		expect(Object.keys(next).sort()).toEqual(['camera', 'currentPageId', 'cursor', 'lastActivityTimestamp', 'screenBounds'])
		expect(next.cursor).toEqual({ x: 600, y: 100 })
	})

	it('accepts the full record from a client that does not compact', () => {
		const store = storeWithDefaults()
		movePointer(store, 5, 6)
		const full = tldrawPresence(store)
		const received = presenceRecordFromAwareness(store, 9, overTheWire({ user: alice, presence: full }))
		expect(received).toMatchObject({ id: 'instance_presence:9', cursor: { x: 5, y: 6 }, userName: alice.name, color: alice.color })
	})

	it('refuses states that are not presences, and never throws on them', () => {
		const store = storeWithDefaults()
		const good = compactPresence(tldrawPresence(store))
		const bad: unknown[] = [
			null,
			42,
			{ user: alice },
			{ user: alice, presence: {} },
			{ user: alice, presence: { ...good, cursor: 'nope' } },
			{ user: alice, presence: { ...good, cursor: { x: '1', y: 2 } } },
			{ user: alice, presence: { ...good, scribbles: [{ points: [{ x: 'a', y: 1 }] }] } },
			{ user: alice, presence: { ...good, scribbles: [{ points: [{ x: 1, y: 1 }] }] } }, // not a tldraw scribble
			{ user: alice, presence: { ...good, selectedShapeIds: 'shape:x' } },
			{ user: { ...alice, id: '' }, presence: good },
			{ user: { ...alice, color: 'x'.repeat(65) }, presence: good },
		]
		for (const state of bad) expect(presenceRecordFromAwareness(store, 3, state), JSON.stringify(state)).toBeNull()
		expect(presenceRecordFromAwareness(store, 3, { user: alice, presence: good })).not.toBeNull()
	})

	it('round-trips through the schema for seeded random presences', () => {
		let seed = 42
		const random = (): number => {
			seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
			return seed / 2 ** 31
		}
		const coordinate = (): number => (random() - 0.5) * 10_000
		for (let i = 0; i < 200; i++) {
			const presence = {
				currentPageId: random() < 0.8 ? 'page:page' : `page:p${i}`,
				lastActivityTimestamp: random() < 0.9 ? 1_795_000_000_000 + Math.floor(random() * 1e6) : null,
				camera: random() < 0.9 ? { x: coordinate(), y: coordinate(), z: 0.1 + random() * 7 } : null,
				screenBounds: random() < 0.9 ? { x: 0, y: 0, w: 300 + Math.floor(random() * 2000), h: 300 + Math.floor(random() * 1200) } : null,
				cursor: random() < 0.9 ? { x: coordinate(), y: coordinate(), type: random() < 0.7 ? 'default' : 'pointer', rotation: random() < 0.8 ? 0 : random() * 6 } : null,
				selectedShapeIds: random() < 0.5 ? [] : [`shape:s${i}`],
				brush: random() < 0.8 ? null : { x: coordinate(), y: coordinate(), w: random() * 500, h: random() * 500 },
				scribbles: [],
				followingUserId: random() < 0.9 ? null : 'user:someone',
				chatMessage: random() < 0.9 ? '' : 'hi',
				meta: {},
			}
			const parsed = AwarenessStateSchema.parse(overTheWire(toAwarenessState(alice, presence)))
			const back = expandPresence(parsed.presence!, parsed.user)
			expect(back.currentPageId).toBe(presence.currentPageId)
			expect(back.selectedShapeIds).toEqual(presence.selectedShapeIds)
			expect(back.followingUserId).toBe(presence.followingUserId)
			expect(back.chatMessage).toBe(presence.chatMessage)
			expect(back.cursor === null).toBe(presence.cursor === null)
			if (presence.cursor && back.cursor) {
				expect(Math.abs(back.cursor.x - presence.cursor.x)).toBeLessThanOrEqual(0.005)
				expect(back.cursor.type).toBe(presence.cursor.type)
			}
			if (presence.camera && back.camera) expect(Math.abs(back.camera.z - presence.camera.z)).toBeLessThanOrEqual(0.00005)
			expect(back.userId).toBe(`user:${alice.id}`)
		}
	})
})
