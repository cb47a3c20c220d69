/** Keyboard shortcuts 1–8: set the kind of the selected stickies. */
import type { TLNoteShape, TLUiOverrides, TldrawOptions } from 'tldraw'
import { ITEM_KINDS, ITEM_KIND_INFO } from '../../shared/items'
import { setKindOfNotes } from './itemLifecycle'

/**
 * tldraw's toolbar also binds the digits (1 = select, 2 = hand, 3 = draw, 4 = eraser, …);
 * with both active, "4" makes a sticky an Insight *and* arms the eraser. The digits are ours.
 */
export const workshopEditorOptions: Partial<TldrawOptions> = {
	// Digits set a sticky's kind; tldraw's toolbar digits (4 = eraser…) would change the tool too.
	enableToolbarKeyboardShortcuts: false,
	// tldraw hides collaborators after 60 s without activity; in a workshop people read and think
	// for minutes, and everyone connected must stay in the people list and on the canvas.
	collaboratorInactiveTimeoutMs: Number.POSITIVE_INFINITY,
}

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
