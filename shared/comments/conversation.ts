/** Everything the `comments` and `reactions` maps hold, read and validated in one go (exports, the UI). */
import type * as Y from 'yjs'
import { readThreads } from './commentsDoc'
import { readReactions, type ReactionSummary } from './reactions'
import type { CommentThread } from './schema'

export interface BoardConversation {
	threads: CommentThread[]
	reactions: Map<string, ReactionSummary[]>
	/** What was skipped as malformed (thread, message or reaction), one line each. */
	issues: string[]
}

export function readConversation(doc: Y.Doc): BoardConversation {
	const threads = readThreads(doc)
	const reactions = readReactions(doc)
	return { threads: threads.threads, reactions: reactions.byTarget, issues: [...threads.issues, ...reactions.issues] }
}
