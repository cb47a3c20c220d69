/**
 * Board-wide UI state of the workshop layer that is not part of the shared
 * document: which tag is highlighted, which side panel is open. Signals so
 * shapes re-render when they change.
 */
import { atom } from 'tldraw'

/** Tag whose stickies are highlighted (others dimmed), or null. */
export const highlightedTag = atom<string | null>('highlighted tag', null)

export type WorkshopPanel = 'facilitate' | 'search' | 'comments' | 'votes' | 'ranking' | 'tags' | 'themes' | 'export' | 'versions' | null
export const openPanel = atom<WorkshopPanel>('open workshop panel', null)
