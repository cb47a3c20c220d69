/**
 * Sticky badges at low zoom. Badge text is counter-scaled (CSS, app.css: never smaller than
 * 10 px on screen), and below COMPACT_BELOW the badges are summarised so that, grown in page
 * units, they still fit a sticky: the kind's short label on it, and one line under it with the
 * RICE score, the tags ("#3 tags") and the votes.
 */
import { computed, type Computed, type Editor } from 'tldraw'
import type { ItemKind } from '../../shared/items'

/** Zoom level under which a sticky shows the compact summary instead of every badge. */
export const COMPACT_BELOW = 0.6

const compactByEditor = new WeakMap<Editor, Computed<boolean>>()

/** One shared signal per editor: overlays re-render when it flips, not on every zoom step. */
export function compactBadges(editor: Editor): Computed<boolean> {
	let signal = compactByEditor.get(editor)
	if (!signal) {
		signal = computed('compact sticky badges', () => editor.getZoomLevel() < COMPACT_BELOW)
		compactByEditor.set(editor, signal)
	}
	return signal
}

/** The kind's label in the compact summary: the long one shortened, the others as they are. */
export function compactKindLabel(kind: ItemKind, label: string): string {
	return kind === 'jtbd' ? 'JTBD' : label
}

/** The tags in one short chip: the only tag, or how many there are (the chip's title lists them). */
export function tagSummary(tags: readonly string[]): string {
	return tags.length > 1 ? `#${tags.length} tags` : `#${tags[0]}`
}
