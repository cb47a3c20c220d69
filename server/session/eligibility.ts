/**
 * Which notes a voting session accepts dots on, evaluated by the server from
 * the live document (never from what the client claims): a `note` shape,
 * of one of the configured kinds (shared/items parseItemMeta), inside the
 * configured frame (a descendant of it, or its centre within the frame's
 * bounds — the same containment rule as themes, shared/items).
 *
 * The placement of all shapes is computed once per document change and
 * reused, so a burst of votes between two edits costs one computation.
 */
import type * as Y from 'yjs'
import { applyToPoint, computeContainment, parseItemMeta, type BoardContainment } from '../../shared/items'
import { readAllRecords } from '../../shared/recordCodec'
import type { Eligibility } from '../../shared/session/messages'

export class EligibilityIndex {
	private containment: BoardContainment | null = null
	private noteIndex: Map<string, BoardContainment['notes'][number]> | null = null

	constructor(private readonly doc: Y.Doc) {
		doc.on('update', this.invalidate)
	}

	dispose(): void {
		this.doc.off('update', this.invalidate)
	}

	isEligible(rule: Eligibility, itemId: string): boolean {
		const { notes, containment } = this.current()
		const note = notes.get(itemId)
		if (!note) return false
		if (rule.kinds && !rule.kinds.includes(parseItemMeta(note.record.meta).meta.kind)) return false
		if (rule.frameId) {
			if (note.ancestorIds.includes(rule.frameId)) return true
			const frame = containment.frameById.get(rule.frameId)
			if (!frame || frame.pageId !== note.pageId) return false
			const local = applyToPoint(frame.inverse, note.center)
			return local.x >= 0 && local.x <= frame.w && local.y >= 0 && local.y <= frame.h
		}
		return true
	}

	private current(): { containment: BoardContainment; notes: Map<string, BoardContainment['notes'][number]> } {
		if (this.containment === null || this.noteIndex === null) {
			this.containment = computeContainment(readAllRecords(this.doc))
			this.noteIndex = new Map(this.containment.notes.map((note) => [note.id, note]))
		}
		return { containment: this.containment, notes: this.noteIndex }
	}

	private readonly invalidate = (): void => {
		this.containment = null
		this.noteIndex = null
	}
}
