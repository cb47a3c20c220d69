/**
 * Refuses document updates that create a top-level type other than those of
 * the layout (`records`, `boardMeta`, `comments`, `reactions`; docs/protocol.md): nothing reads them, so they could only
 * be a hostile client filling the board's storage. Seen without applying the
 * update (its structs name their top-level parent). Anything finer — the
 * records themselves — is validated by every client against tldraw's schema,
 * which the server does not load.
 */
import * as Y from 'yjs'
import { TOP_LEVEL_TYPES as LAYOUT_TYPES } from '../../shared/docLayout'

const TOP_LEVEL_TYPES: ReadonlySet<string> = new Set(LAYOUT_TYPES)

/** Null when the update fits the layout, else why not. Throws on an undecodable update. */
export function findLayoutViolation(update: Uint8Array): string | null {
	for (const struct of Y.decodeUpdate(update).structs) {
		if (!(struct instanceof Y.Item)) continue
		// In a decoded update a top-level parent is its name (typed as a type or an id by Yjs).
		const parent: unknown = struct.parent
		if (typeof parent !== 'string') continue
		if (!TOP_LEVEL_TYPES.has(parent)) return `unknown top-level type ${JSON.stringify(parent.slice(0, 40))}`
	}
	return null
}
