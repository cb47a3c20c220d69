/**
 * What the canvas needs to know about the facilitated session, as tldraw
 * signals so shapes re-render when it changes: the open voting session,
 * this participant's dots, results to show, and the action to vote.
 */
import { atom } from 'tldraw'
import type { Ballot, VoteResults, VotingSessionPublic } from '../../shared/session/messages'
import type { BoardRole } from '../../shared/session/roles'

export interface VotingView {
	session: VotingSessionPublic
	ballot: Ballot | null
	/** Shape ids that accept dots (null while unknown). */
	eligible: ReadonlySet<string> | null
}

export const roleSignal = atom<BoardRole | null>('board role', null)
export const openVotingSignal = atom<VotingView | null>('open voting', null)
/** Results to draw on the stickies: the open session's when visible, else the latest closed one's. */
export const shownResultsSignal = atom<{ title: string; results: VoteResults; closed: boolean } | null>('shown vote results', null)
export const lockedShapesSignal = atom<ReadonlySet<string>>('locked shapes', new Set())

/** Set by the board while a session client exists; the note overlay calls it. */
export const voteActions = {
	place: async (_itemId: string): Promise<void> => {},
	remove: async (_itemId: string): Promise<void> => {},
}
