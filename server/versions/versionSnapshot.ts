/**
 * What a version holds besides the document: the board's session state when
 * it was taken — closed voting sessions with their results (dots per item),
 * and the public session state (agenda, timer, lock…). Stored as versioned
 * JSON (`session` column); read back tolerantly, so a damaged row still
 * opens as a document without votes.
 */
import { z } from 'zod'
import { VoteResultsSchema } from '../../shared/session/messages'

export const SESSION_SNAPSHOT_VERSION = 1

const StoredClosedVotingSchema = z.object({
	id: z.string(),
	title: z.string(),
	anonymous: z.boolean(),
	closedAt: z.number(),
	results: VoteResultsSchema,
})

export const SessionSnapshotSchema = z.object({
	version: z.literal(SESSION_SNAPSHOT_VERSION),
	/** Closed voting sessions, oldest first (what the export's votingSessions and items[].votes come from). */
	votingSessions: z.array(StoredClosedVotingSchema),
	/** The public session state (shared/session/messages SessionState) or null; kept for the record, not restored. */
	state: z.unknown(),
})
export type SessionSnapshot = z.infer<typeof SessionSnapshotSchema>

export function encodeSessionSnapshot(snapshot: Omit<SessionSnapshot, 'version'>): string {
	return JSON.stringify({ version: SESSION_SNAPSHOT_VERSION, ...snapshot })
}

/** The stored JSON → snapshot; unreadable → no votes, no state. */
export function decodeSessionSnapshot(json: string): SessionSnapshot {
	try {
		const parsed = SessionSnapshotSchema.safeParse(JSON.parse(json))
		if (parsed.success) return parsed.data
	} catch {
		// fall through
	}
	return { version: SESSION_SNAPSHOT_VERSION, votingSessions: [], state: null }
}
