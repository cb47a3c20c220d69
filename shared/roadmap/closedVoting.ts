/**
 * Closed voting sessions as an export lists them, back in the builder's input
 * shape: the roadmap page rebuilds the export from the live doc and takes the
 * (server-held) vote results from the server's export. The response is
 * untrusted: anything that does not parse gives no sessions.
 */
import { z } from 'zod'
import type { ClosedVotingInput } from '../export/build'
import { ExportVotingSessionSchema } from '../export/schema'

const ExportedVotingSchema = z.object({ votingSessions: z.array(ExportVotingSessionSchema) })

export function closedVotingFromExport(body: unknown): ClosedVotingInput[] {
	const parsed = ExportedVotingSchema.safeParse(body)
	if (!parsed.success) return []
	return parsed.data.votingSessions.map((session) => ({
		id: session.id,
		title: session.title,
		status: 'closed',
		anonymous: session.anonymous,
		closedAt: Date.parse(session.closedAt),
		results: { items: session.results, totalDots: session.totalDots, voterCount: session.voterCount },
	}))
}
