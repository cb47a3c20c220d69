/**
 * Which notes a voting session accepts dots on: a `note` of one of the
 * configured kinds, inside the configured frame (a descendant of it, or its
 * centre within the frame's bounds — the containment rule of themes). The
 * server enforces it from the live document; clients use it to show where
 * dots can go.
 */
import { applyToPoint, parseItemMeta, type BoardContainment } from '../items'
import type { Eligibility } from './messages'

export type PlacedNote = BoardContainment['notes'][number]

export function isNoteEligible(rule: Eligibility, containment: BoardContainment, note: PlacedNote): boolean {
	if (rule.kinds && !rule.kinds.includes(parseItemMeta(note.record.meta).meta.kind)) return false
	if (!rule.frameId) return true
	if (note.ancestorIds.includes(rule.frameId)) return true
	const frame = containment.frameById.get(rule.frameId)
	if (!frame || frame.pageId !== note.pageId) return false
	const local = applyToPoint(frame.inverse, note.center)
	return local.x >= 0 && local.x <= frame.w && local.y >= 0 && local.y <= frame.h
}
