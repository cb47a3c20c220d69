/**
 * Which records of the `records` map a Yjs update would change, found
 * WITHOUT applying it: the update's structs and delete set are decoded
 * (Y.decodeUpdate) and each new item or deletion is traced to its record —
 * through its parent, or through its origin (Yjs omits the parent of an item
 * that has a left/right origin; a sibling has the same parent), looking the
 * referenced items up in the live doc or in the update itself.
 *
 * Cost: linear in the update, plus a binary search per reference; nothing
 * proportional to the document. Used only while a lock is active.
 *
 * Chosen over "apply to a scratch copy and diff": copying the doc per update
 * is O(document) and allocates a second doc for every keystroke.
 */
import * as Y from 'yjs'
import { COMMENTS_MAP, REACTIONS_MAP, RECORDS_MAP } from '../../shared/docLayout'

export interface UpdateEffects {
	/** The update adds content the doc does not have, or deletes something still visible. */
	changesDocument: boolean
	/** Record ids (keys of `records`) the update creates, modifies or deletes. */
	recordIds: Set<string>
	/** New `parentId` values written per record id (a shape moved into / created inside a frame). */
	newParentIds: Map<string, string>
	/**
	 * Shapes whose comment threads or reactions the update touches (layout version 2): a
	 * reaction's key names its sticky; a thread's `targetId` is read from the live doc or, for a
	 * thread the update creates, from the update itself.
	 */
	conversationTargets: Set<string>
	/** Some change could not be traced to a record (missing references); treat as touching anything. */
	untraceable: boolean
}

/** Marker for "belongs to no record" (boardMeta, unknown root types). */
const NOT_A_RECORD = null
/** Marker for "could not be traced". */
const UNTRACEABLE = Symbol('untraceable')
type RecordKey = string | typeof NOT_A_RECORD | typeof UNTRACEABLE

interface Placement {
	container: Y.Item | string
	sub: string | null
}

const MAX_DEPTH = 64

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateEffects {
	const { structs, ds } = Y.decodeUpdate(update)
	const effects: UpdateEffects = { changesDocument: false, recordIds: new Set(), newParentIds: new Map(), conversationTargets: new Set(), untraceable: false }
	const stateOf = new Map<number, number>()
	const state = (client: number): number => {
		let value = stateOf.get(client)
		if (value === undefined) {
			value = Y.getState(doc.store, client)
			stateOf.set(client, value)
		}
		return value
	}

	// The update's own items by client, in clock order (as encoded).
	const updateItems = new Map<number, Y.Item[]>()
	for (const struct of structs) {
		if (!(struct instanceof Y.Item)) continue
		const list = updateItems.get(struct.id.client)
		if (list) list.push(struct)
		else updateItems.set(struct.id.client, [struct])
	}

	const findInUpdate = (id: Y.ID): Y.Item | null => {
		const list = updateItems.get(id.client)
		if (!list) return null
		let lo = 0
		let hi = list.length - 1
		while (lo <= hi) {
			const mid = (lo + hi) >> 1
			const item = list[mid]
			if (id.clock < item.id.clock) hi = mid - 1
			else if (id.clock >= item.id.clock + item.length) lo = mid + 1
			else return item
		}
		return null
	}
	const findInDoc = (id: Y.ID): Y.AbstractStruct | null => {
		if (id.clock >= state(id.client)) return null
		try {
			return Y.getItem(doc.store, id)
		} catch {
			return null
		}
	}

	/**
	 * Where an item sits: its container (a root type name, or the item holding
	 * the parent type) and its key in a map. Update items without parent info
	 * take both from a sibling (origin or right origin).
	 */
	const placementOf = (start: Y.Item): Placement | null => {
		let item: Y.Item = start
		for (let depth = 0; depth < MAX_DEPTH; depth++) {
			const parent = item.parent as unknown
			if (parent instanceof Y.AbstractType) {
				if (parent._item !== null) return { container: parent._item, sub: item.parentSub }
				return { container: Y.findRootTypeKey(parent), sub: item.parentSub }
			}
			if (typeof parent === 'string') return { container: parent, sub: item.parentSub }
			if (parent instanceof Y.ID) {
				const holder = findInDoc(parent) ?? findInUpdate(parent)
				return holder instanceof Y.Item ? { container: holder, sub: item.parentSub } : null
			}
			const siblingId = item.origin ?? item.rightOrigin
			if (!siblingId) return null
			const sibling = findInDoc(siblingId) ?? findInUpdate(siblingId)
			if (!(sibling instanceof Y.Item)) return null
			item = sibling
		}
		return null
	}

	/** The root type an item lives under and its key there (a record id, a thread id, a reaction key). */
	const rootEntryOf = (start: Y.Item): { root: string; key: string } | typeof UNTRACEABLE => {
		let item = start
		for (let depth = 0; depth < MAX_DEPTH; depth++) {
			const placement = placementOf(item)
			if (placement === null) return UNTRACEABLE
			if (typeof placement.container === 'string') return { root: placement.container, key: placement.sub ?? '' }
			item = placement.container
		}
		return UNTRACEABLE
	}

	/** The record (key of the root `records` map) an item belongs to. */
	const recordKeyOf = (start: Y.Item): RecordKey => {
		const entry = rootEntryOf(start)
		if (entry === UNTRACEABLE) return UNTRACEABLE
		if (entry.root !== RECORDS_MAP) return NOT_A_RECORD
		return entry.key === '' ? UNTRACEABLE : entry.key
	}

	// Targets of threads this update creates: their `targetId` value is in the update.
	const newThreadTargets = new Map<string, string>()
	for (const struct of structs) {
		if (!(struct instanceof Y.Item) || struct.parentSub !== 'targetId') continue
		const placement = placementOf(struct)
		if (!placement || !(placement.container instanceof Y.Item)) continue
		const holder = placementOf(placement.container)
		const [value] = struct.content.getContent() as unknown[]
		if (holder?.container === COMMENTS_MAP && holder.sub !== null && typeof value === 'string') newThreadTargets.set(holder.sub, value)
	}
	const threadTarget = (threadId: string): string | null => {
		const live: unknown = doc.getMap(COMMENTS_MAP).get(threadId)
		const target = live instanceof Y.Map ? (live.get('targetId') as unknown) : undefined
		return typeof target === 'string' ? target : (newThreadTargets.get(threadId) ?? null)
	}

	const note = (struct: Y.Item): void => {
		const entry = rootEntryOf(struct)
		if (entry === UNTRACEABLE) {
			effects.untraceable = true
			return
		}
		if (entry.root === RECORDS_MAP) {
			if (entry.key === '') effects.untraceable = true
			else effects.recordIds.add(entry.key)
		} else if (entry.root === REACTIONS_MAP) effects.conversationTargets.add(entry.key.split('|')[0]!)
		else if (entry.root === COMMENTS_MAP) {
			const target = threadTarget(entry.key)
			if (target === null) effects.untraceable = true
			else effects.conversationTargets.add(target)
		}
	}

	for (const struct of structs) {
		if (struct instanceof Y.Skip) continue
		if (struct.id.clock + struct.length <= state(struct.id.client)) continue // already known
		effects.changesDocument = true
		if (!(struct instanceof Y.Item)) continue // GC: content inserted and deleted already; changes nothing visible
		note(struct)
		const key = recordKeyOf(struct)
		// A new value of a record's own `parentId` field: the shape moves to (or is created in) that parent.
		const placement = typeof key === 'string' ? placementOf(struct) : null
		if (placement?.sub === 'parentId' && placement.container instanceof Y.Item) {
			const holder = placementOf(placement.container)
			if (holder?.container === RECORDS_MAP) {
				const [value] = struct.content.getContent() as unknown[]
				if (typeof value === 'string') effects.newParentIds.set(key as string, value)
				else effects.untraceable = true
			}
		}
	}

	for (const [client, deletes] of ds.clients) {
		const known = state(client)
		for (const { clock, len } of deletes) {
			let at = clock
			const end = Math.min(clock + len, known)
			while (at < end) {
				const struct = findInDoc(Y.createID(client, at))
				if (!struct) {
					effects.untraceable = true
					break
				}
				if (struct instanceof Y.Item && !struct.deleted) {
					effects.changesDocument = true
					note(struct)
				}
				at = struct.id.clock + struct.length
			}
		}
	}
	return effects
}
