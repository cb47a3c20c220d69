/**
 * When this person last looked at their mentions on a board, kept on this
 * device (localStorage, per board and person key). Mentions written after it
 * count as new, so a mention made while someone was away shows when they next
 * open the board — computed from the stored comments, nothing is sent to them.
 */
import { atom } from 'tldraw'

export const mentionsSeenAtSignal = atom<number>('mentions seen at', 0)

let storageKey: string | null = null

export function loadMentionsSeen(boardId: string, personKey: string): void {
	storageKey = `workshop-board:mentions-seen:${boardId}:${personKey}`
	let seen = 0
	try {
		const raw = Number(window.localStorage.getItem(storageKey))
		if (Number.isFinite(raw) && raw > 0) seen = raw
	} catch {
		// No storage (private mode): every mention counts as new on each load.
	}
	mentionsSeenAtSignal.set(seen)
}

export function markMentionsSeen(at = Date.now()): void {
	mentionsSeenAtSignal.set(at)
	if (!storageKey) return
	try {
		window.localStorage.setItem(storageKey, String(at))
	} catch {
		// Kept for this page only.
	}
}
