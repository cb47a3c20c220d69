/**
 * Ctrl/⌘+F on a board opens the board search instead of the browser's find
 * (which cannot see text drawn on the canvas outside the viewport). Pressed
 * again while the search is open, it puts the cursor back in the search box.
 */
import { useEffect } from 'react'
import { atom } from 'tldraw'
import { openPanel } from '../items/boardUi'

/** Bumped on every Ctrl/⌘+F: the open search panel focuses its input. */
export const searchFocusRequests = atom('search focus requests', 0)

export function isSearchShortcut(event: KeyboardEvent): boolean {
	return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'f'
}

export function useSearchShortcut(): void {
	useEffect(() => {
		const onKeyDown = (event: KeyboardEvent) => {
			if (!isSearchShortcut(event)) return
			event.preventDefault()
			event.stopPropagation()
			openPanel.set('search')
			searchFocusRequests.update((n) => n + 1)
		}
		// Capture: before tldraw's own key handling sees it.
		window.addEventListener('keydown', onKeyDown, { capture: true })
		return () => window.removeEventListener('keydown', onKeyDown, { capture: true })
	}, [])
}
