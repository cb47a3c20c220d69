/**
 * Presence over y-protocols awareness. Each client publishes
 * `{ user: { id, name, color }, presence: <compact TLInstancePresence> }`
 * (shared/presence/presenceWire.ts: defaults left out, coordinates rounded); other
 * clients' states become `instance_presence` records in the local store
 * (cursors, selections, follow), validated one by one so a malformed state is
 * ignored. Presence never enters the Y.Doc.
 */
import { computed, react, type Signal } from '@tldraw/state'
import {
	InstancePresenceRecordType,
	UserRecordType,
	createPresenceStateDerivation,
	type TLInstancePresence,
	type TLStore,
	type TLUser,
} from '@tldraw/tlschema'
import { FpsScheduler } from '@tldraw/utils'
import type { Awareness } from 'y-protocols/awareness'
import { AwarenessStateSchema, AwarenessUserSchema, expandPresence, toAwarenessState, type AwarenessUser } from '../../shared/presence/presenceWire'
import { remoteCursorFeedFor, type RemoteCursorFeed } from '../presence/remoteCursorFeed'
import { localReaction } from '../presence/roomReactions'
import { setStoreAwareness } from '../presence/storeAwareness'
import { isPlainObject, jsonEqual } from './recordDiff'

export { toAwarenessState }

export type { AwarenessUser }

export type BoardAwarenessState = ReturnType<typeof toAwarenessState>

export interface Participant extends AwarenessUser {
	clientId: number
}

/** The subset of y-protocols' Awareness used here (eases testing). */
export type AwarenessLike = Pick<Awareness, 'clientID' | 'getStates' | 'on' | 'off'>

const MAX_NAME_LENGTH = 64

/** Cursor updates are published at most 30 times a second. */
const presenceScheduler = new FpsScheduler(30)

export function parseAwarenessUser(value: unknown): AwarenessUser | null {
	const parsed = AwarenessUserSchema.safeParse(value)
	return parsed.success ? withShownName(parsed.data) : null
}

function withShownName(user: AwarenessUser): AwarenessUser {
	return { ...user, name: user.name.slice(0, MAX_NAME_LENGTH) }
}

export function presenceIdForClient(clientId: number): TLInstancePresence['id'] {
	return InstancePresenceRecordType.createId(String(clientId))
}

/**
 * `next` with every top-level field that equals `previous`'s taken from
 * `previous`. Why: tldraw validates against a known-good record field by
 * field and skips identical ones, answers "nothing changed" with the known-good
 * record itself, and its components keyed on a field (a collaborator's
 * `cursor`) see the same object when it did not change. With 199 cursors at
 * 20 Hz most fields (camera, screen bounds, selection…) never change.
 */
function withUnchangedFieldsReused(previous: TLInstancePresence, next: Record<string, unknown>): Record<string, unknown> {
	const previousFields = previous as unknown as Record<string, unknown>
	const reused: Record<string, unknown> = {}
	for (const field of Object.keys(next)) {
		const value = next[field]
		reused[field] = field in previousFields && jsonEqual(previousFields[field], value) ? previousFields[field] : value
	}
	return reused
}

/**
 * Turns another client's awareness state into a validated instance_presence
 * record, or null when the state has no (valid) presence. With `previous`
 * (the client's record in the store) unchanged fields keep their identity,
 * and `previous` itself is returned when nothing changed.
 */
export function presenceRecordFromAwareness(store: TLStore, clientId: number, state: unknown, previous?: TLInstancePresence): TLInstancePresence | null {
	// Compact (shared/presence/presenceWire.ts) or full tldraw presence; defaults are filled in.
	const parsed = AwarenessStateSchema.safeParse(state)
	if (!parsed.success || !parsed.data.presence) return null
	const user = withShownName(parsed.data.user)
	const expanded = {
		...expandPresence(parsed.data.presence, user),
		id: presenceIdForClient(clientId),
		typeName: 'instance_presence',
	}
	const candidate = previous ? withUnchangedFieldsReused(previous, expanded) : expanded
	try {
		return store.schema.validateRecord(
			store,
			candidate as unknown as TLInstancePresence,
			previous ? 'updateRecord' : 'createRecord',
			previous ?? null,
		) as TLInstancePresence
	} catch {
		return null
	}
}

/** Other clients with a valid user, sorted by name. */
export function getParticipants(awareness: AwarenessLike): Participant[] {
	const participants: Participant[] = []
	for (const [clientId, state] of awareness.getStates()) {
		if (clientId === awareness.clientID || !isPlainObject(state)) continue
		const user = parseAwarenessUser(state.user)
		if (user) participants.push({ clientId, ...user })
	}
	return participants.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId)
}

function clientIdOfPresence(id: string): number | null {
	const clientId = Number(id.slice(id.indexOf(':') + 1))
	return Number.isInteger(clientId) ? clientId : null
}

/**
 * Pointer-only changes of a person reach the store at most this often (the
 * cursor layer draws every move from the RemoteCursorFeed in between).
 */
export const CURSOR_STORE_REFRESH_MS = 1000

/** Presence fields that change with every pointer move. */
const POINTER_FIELDS = new Set(['cursor', 'lastActivityTimestamp'])

/**
 * What the presence sync remembers per client between awareness changes when
 * a cursor feed draws the pointers: the raw presence last put into the store,
 * and who has a newer pointer than the store holds.
 */
export class RemotePresenceTracker {
	readonly storedPresence = new Map<number, Record<string, unknown>>()
	readonly storedUser = new Map<number, unknown>()
	readonly pointerAhead = new Set<number>()
	lastRefreshAt = Number.NEGATIVE_INFINITY
	constructor(readonly cursors: RemoteCursorFeed) {}

	forget(clientId: number): void {
		this.storedPresence.delete(clientId)
		this.storedUser.delete(clientId)
		this.pointerAhead.delete(clientId)
		this.cursors.remove(clientId)
	}
}

export interface ApplyRemoteAwarenessOptions {
	/** Draw pointers from this tracker's feed and keep pointer-only changes out of the store between refreshes. */
	tracker?: RemotePresenceTracker
	/** performance.now() by default. */
	now?: number
}

export interface ApplyRemoteAwarenessResult {
	/** Records put into the store. */
	put: number
	removed: number
	/** Changes that only moved a pointer: fed to the cursor layer, not (yet) to the store. */
	pointerOnly: number
}

function isFinitePoint(value: unknown): value is { x: number; y: number } {
	return isPlainObject(value) && Number.isFinite(value.x) && Number.isFinite(value.y)
}

/**
 * True when `next` differs from `previous` only in pointer fields (and the
 * new pointer is a plain point). Cheap next to zod + tldraw's validator, and
 * true for nearly every awareness change in a busy room.
 */
function onlyPointerMoved(previous: Record<string, unknown>, next: unknown): next is Record<string, unknown> {
	if (!isPlainObject(next)) return false
	if (next.cursor !== undefined && next.cursor !== null && !isFinitePoint(next.cursor)) return false
	if (next.lastActivityTimestamp !== undefined && next.lastActivityTimestamp !== null && !Number.isFinite(next.lastActivityTimestamp)) return false
	for (const key in next) {
		if (!POINTER_FIELDS.has(key) && !(key in previous && jsonEqual(previous[key], next[key]))) return false
	}
	for (const key in previous) {
		if (!POINTER_FIELDS.has(key) && !(key in next)) return false
	}
	return true
}

function feedCursorFromRecord(feed: RemoteCursorFeed, clientId: number, record: TLInstancePresence): void {
	if (!record.cursor) {
		feed.remove(clientId)
		return
	}
	feed.set(clientId, {
		pageId: record.currentPageId,
		x: record.cursor.x,
		y: record.cursor.y,
		color: record.color,
		name: record.userName,
		chatMessage: record.chatMessage,
	})
}

/**
 * Puts/removes instance_presence records for other clients. With
 * `changedClientIds` only those clients are looked at (cheap path for
 * awareness 'change' events); without, the store is fully reconciled. With a
 * tracker, a change that only moved a pointer goes to the cursor feed; the
 * store catches up for everyone at once every CURSOR_STORE_REFRESH_MS.
 */
export function applyRemoteAwareness(
	store: TLStore,
	awareness: AwarenessLike,
	changedClientIds?: Iterable<number>,
	options: ApplyRemoteAwarenessOptions = {},
): ApplyRemoteAwarenessResult {
	const { tracker } = options
	const now = options.now ?? performance.now()
	const states = awareness.getStates()
	const clientIds = new Set<number>(changedClientIds ?? states.keys())
	if (!changedClientIds) {
		for (const record of store.query.records('instance_presence').get()) {
			const clientId = clientIdOfPresence(record.id)
			if (clientId === null) continue
			clientIds.add(clientId)
		}
	}
	let pointerOnly = 0
	if (tracker) {
		for (const clientId of clientIds) {
			const state = states.get(clientId)
			const storedPresence = tracker.storedPresence.get(clientId)
			if (clientId === awareness.clientID || !storedPresence || !isPlainObject(state)) continue
			const presence = state.presence
			if (tracker.storedUser.get(clientId) !== undefined && jsonEqual(tracker.storedUser.get(clientId), state.user) && onlyPointerMoved(storedPresence, presence)) {
				const cursor = presence.cursor
				if (isFinitePoint(cursor)) {
					// A pointer that appears needs its colour and name: that takes the full path.
					if (!tracker.cursors.move(clientId, cursor.x, cursor.y)) continue
				} else {
					tracker.cursors.remove(clientId)
				}
				tracker.pointerAhead.add(clientId)
				clientIds.delete(clientId)
				pointerOnly++
			}
		}
		if (tracker.pointerAhead.size > 0 && now - tracker.lastRefreshAt >= CURSOR_STORE_REFRESH_MS) {
			for (const clientId of tracker.pointerAhead) clientIds.add(clientId)
			tracker.lastRefreshAt = now
		}
	}
	const puts: TLInstancePresence[] = []
	const removals: TLInstancePresence['id'][] = []
	for (const clientId of clientIds) {
		if (clientId === awareness.clientID) continue
		const id = presenceIdForClient(clientId)
		const existing = store.get(id)
		const state = states.get(clientId)
		const record = presenceRecordFromAwareness(store, clientId, state, existing)
		if (record) {
			if (record !== existing) puts.push(record)
			if (tracker && isPlainObject(state) && isPlainObject(state.presence)) {
				tracker.storedPresence.set(clientId, state.presence)
				tracker.storedUser.set(clientId, state.user)
				tracker.pointerAhead.delete(clientId)
				feedCursorFromRecord(tracker.cursors, clientId, record)
			}
		} else {
			if (existing) removals.push(id)
			tracker?.forget(clientId)
		}
	}
	if (puts.length || removals.length) {
		store.mergeRemoteChanges(() => {
			if (removals.length) store.remove(removals)
			if (puts.length) store.put(puts)
		})
	}
	return { put: puts.length, removed: removals.length, pointerOnly }
}

export interface SyncRemotePresenceOptions {
	/**
	 * Pointers are drawn by the cursor layer (client/presence/RemoteCursorLayer)
	 * from the store's RemoteCursorFeed; pointer-only moves reach the store at
	 * most every CURSOR_STORE_REFRESH_MS. Without it, every move is put into the store (tldraw draws cursors).
	 */
	cursorLayer?: boolean
}

/**
 * Keeps the store's instance_presence records in line with the awareness
 * states of other clients. Returns a function that stops and removes them.
 */
export function syncRemotePresence(store: TLStore, awareness: AwarenessLike, options: SyncRemotePresenceOptions = {}): () => void {
	const tracker = options.cursorLayer ? new RemotePresenceTracker(remoteCursorFeedFor(store)) : undefined
	setStoreAwareness(store, awareness)
	const onChange = (changes: { added: number[]; updated: number[]; removed: number[] }) => {
		applyRemoteAwareness(store, awareness, [...changes.added, ...changes.updated, ...changes.removed], { tracker })
	}
	applyRemoteAwareness(store, awareness, undefined, { tracker })
	awareness.on('change', onChange)
	// A room that falls quiet still gets its last pointers into the store.
	const refresh = tracker
		? setInterval(() => {
				if (tracker.pointerAhead.size > 0) applyRemoteAwareness(store, awareness, [], { tracker })
			}, CURSOR_STORE_REFRESH_MS)
		: null
	return () => {
		awareness.off('change', onChange)
		setStoreAwareness(store, null)
		if (refresh) clearInterval(refresh)
		tracker?.cursors.clear()
		const ids = store.query.ids('instance_presence').get()
		if (ids.size) store.mergeRemoteChanges(() => store.remove([...ids]))
	}
}

/** tldraw user record for the presence derivation. */
export function toTLUser(user: AwarenessUser): TLUser {
	return UserRecordType.create({ id: UserRecordType.createId(user.id), name: user.name, color: user.color })
}

/**
 * Publishes the local user's presence (cursor, camera, selection…, derived
 * from the store by tldraw's createPresenceStateDerivation) as this client's
 * awareness state, at most once per animation frame. Returns a function that
 * stops publishing and clears the local state (others see us leave).
 */
export function publishLocalPresence(
	store: TLStore,
	awareness: Pick<Awareness, 'setLocalState'>,
	user: Signal<AwarenessUser> | AwarenessUser,
): () => void {
	const $user: Signal<AwarenessUser> = 'get' in user ? user : computed('AwarenessUser', () => user)
	const $tlUser = computed('PresenceUser', () => toTLUser($user.get()))
	const $presence = createPresenceStateDerivation($tlUser)(store)
	let cancelFrame: (() => void) | null = null
	const stop = react(
		'publishLocalPresence',
		() => {
			const reaction = localReaction.get()
			const state = toAwarenessState($user.get(), $presence.get())
			awareness.setLocalState(reaction ? { ...state, reaction } : state)
		},
		{
			scheduleEffect: (run) => {
				cancelFrame = presenceScheduler.throttleToNextFrame(run)
			},
		},
	)
	return () => {
		stop()
		cancelFrame?.()
		awareness.setLocalState(null)
	}
}
