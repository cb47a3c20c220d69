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
 * Puts/removes instance_presence records for other clients. With
 * `changedClientIds` only those clients are looked at (cheap path for
 * awareness 'change' events); without, the store is fully reconciled.
 */
export function applyRemoteAwareness(
	store: TLStore,
	awareness: AwarenessLike,
	changedClientIds?: Iterable<number>,
): { put: number; removed: number } {
	const states = awareness.getStates()
	const clientIds = new Set<number>(changedClientIds ?? states.keys())
	if (!changedClientIds) {
		for (const record of store.query.records('instance_presence').get()) {
			const clientId = clientIdOfPresence(record.id)
			if (clientId === null) continue
			clientIds.add(clientId)
		}
	}
	const puts: TLInstancePresence[] = []
	const removals: TLInstancePresence['id'][] = []
	for (const clientId of clientIds) {
		if (clientId === awareness.clientID) continue
		const id = presenceIdForClient(clientId)
		const existing = store.get(id)
		const record = presenceRecordFromAwareness(store, clientId, states.get(clientId), existing)
		if (record) {
			if (record !== existing) puts.push(record)
		} else if (existing) {
			removals.push(id)
		}
	}
	if (puts.length || removals.length) {
		store.mergeRemoteChanges(() => {
			if (removals.length) store.remove(removals)
			if (puts.length) store.put(puts)
		})
	}
	return { put: puts.length, removed: removals.length }
}

/**
 * Keeps the store's instance_presence records in line with the awareness
 * states of other clients. Returns a function that stops and removes them.
 */
export function syncRemotePresence(store: TLStore, awareness: AwarenessLike): () => void {
	const onChange = (changes: { added: number[]; updated: number[]; removed: number[] }) => {
		applyRemoteAwareness(store, awareness, [...changes.added, ...changes.updated, ...changes.removed])
	}
	applyRemoteAwareness(store, awareness)
	awareness.on('change', onChange)
	return () => {
		awareness.off('change', onChange)
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
			awareness.setLocalState(toAwarenessState($user.get(), $presence.get()))
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
