/** Keyboard shortcuts 1–7: set the kind of the selected stickies (tldraw leaves the digits free). */
import type { TLNoteShape, TLUiOverrides } from 'tldraw'
import { ITEM_KINDS, ITEM_KIND_INFO } from '../../shared/items'
import { setKindOfNotes } from './itemLifecycle'

export const workshopUiOverrides: TLUiOverrides = {
	actions(editor, actions) {
		for (const kind of ITEM_KINDS) {
			const info = ITEM_KIND_INFO[kind]
			actions[`workshop-set-kind-${kind}`] = {
				id: `workshop-set-kind-${kind}`,
				label: `Make ${info.label}`,
				kbd: info.shortcut,
				onSelect() {
					const notes = editor.getSelectedShapes().filter((s): s is TLNoteShape => s.type === 'note')
					if (notes.length) setKindOfNotes(editor, notes.map((n) => n.id), kind)
				},
			}
		}
		return actions
	},
}
