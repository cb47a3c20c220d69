/**
 * Board versions (#14 item 5): what the versions API sends and accepts. A
 * version is a stored snapshot of a board's Y.Doc and of its session state
 * (closed votes, agenda…), saved by the facilitator ("named") or by the
 * server while people edit ("auto"). Server and browser both parse with
 * these schemas.
 */
import { z } from 'zod'

/** Longest version name, in characters after trimming. */
export const MAX_VERSION_NAME = 120

export const VersionKindSchema = z.enum(['named', 'auto']).describe('named: saved by the facilitator; auto: kept by the server while the board is edited')
export type VersionKind = z.infer<typeof VersionKindSchema>

/** Version ids are random base64url strings (server/versions). */
export const VersionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a version id is 8–64 letters, digits, - or _')

/** Control characters become spaces; a name ends up in headings and file names. */
export function withoutControlCharacters(text: string): string {
	let out = ''
	for (const char of text) {
		const code = char.codePointAt(0)!
		out += code < 0x20 || code === 0x7f ? ' ' : char
	}
	return out
}

export const VersionNameSchema = z
	.string({ error: (issue) => (issue.input === undefined ? 'name is required' : 'name must be a string') })
	.transform((s) => withoutControlCharacters(s).trim())
	.pipe(z.string().min(1, 'name must not be empty').max(MAX_VERSION_NAME, `name must be at most ${MAX_VERSION_NAME} characters`))

export const CreateVersionBodySchema = z.object({ name: VersionNameSchema }).strict()
export type CreateVersionBody = z.input<typeof CreateVersionBodySchema>

export const VersionSummarySchema = z.object({
	id: VersionIdSchema,
	boardId: z.string(),
	name: z.string(),
	kind: VersionKindSchema,
	/** ISO 8601 UTC. */
	createdAt: z.string(),
	/** Bytes the version takes in storage (document snapshot + session state). */
	sizeBytes: z.number().int().min(0),
})
export type VersionSummary = z.infer<typeof VersionSummarySchema>

export const VersionLimitsSchema = z.object({
	maxVersions: z.number().int().positive(),
	maxBytes: z.number().int().positive(),
	autoIntervalMinutes: z.number().positive(),
	autoRetentionDays: z.number().positive(),
})
export type VersionLimits = z.infer<typeof VersionLimitsSchema>

export const VersionListSchema = z.object({
	versions: z.array(VersionSummarySchema).describe('newest first'),
	usage: z.object({ count: z.number().int().min(0), bytes: z.number().int().min(0) }),
	limits: VersionLimitsSchema,
})
export type VersionList = z.infer<typeof VersionListSchema>

/** `from` / `to` of the compare API: a version id of the board, or the live board. */
export const LIVE = 'live'
export const CompareSideSchema = z.union([z.literal(LIVE), VersionIdSchema])
export type CompareSide = z.infer<typeof CompareSideSchema>
