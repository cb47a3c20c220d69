/**
 * Contributor links (#13 item 6, stage 7 "feedback coming in"): a customer
 * or stakeholder with the board's contributor link submits a note — an
 * insight or an idea, its text and optionally their name — from a small page
 * with no canvas and no read access to the board. The server validates it
 * (this schema, docs/sessions.md §11) and adds it as a sticky in the board's
 * Inbox frame.
 */
import { z } from 'zod'

export const CONTRIBUTION_KINDS = ['insight', 'idea'] as const
export const MAX_CONTRIBUTION_TEXT = 1000
export const MAX_CONTRIBUTOR_NAME = 60
/** Requests per contributor link in one minute (valid or not: also bounds guessing). */
export const CONTRIBUTIONS_PER_LINK_PER_MINUTE = 30
/** Notes accepted per connection (client address) in one minute… */
export const CONTRIBUTIONS_PER_CONNECTION_PER_MINUTE = 5
/** …and requests of any kind per connection (so a person fixing a refused note is not locked out). */
export const CONTRIBUTION_ATTEMPTS_PER_CONNECTION_PER_MINUTE = 30

/** Tags, HTML entities, `javascript:` / `data:` URLs and Markdown links/images: none of it is meant for a sticky. */
const MARKUP = /<\/?[A-Za-z!?]|&#?[A-Za-z0-9]+;|\b(?:javascript|data|vbscript):|!?\[[^\]]*\]\([^)]*\)/iu
/** C0 controls except tab and newline, DEL, and bidi overrides (text that reads differently than it is). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/u

export function hasMarkup(text: string): boolean {
	return MARKUP.test(text)
}

const PlainText = (max: number, what: string) =>
	z
		.string()
		.max(max * 2, `${what} is too long`)
		.transform((s) => s.replace(/\r\n?/gu, '\n').trim())
		.pipe(
			z
				.string()
				.max(max, `${what} must be at most ${max} characters`)
				.refine((s) => !CONTROL.test(s), `${what} contains control characters`)
				.refine((s) => !hasMarkup(s), `${what} must be plain text (no HTML, entities or links)`),
		)

export const ContributionSchema = z
	.object({
		token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/u, 'invalid link'),
		kind: z.enum(CONTRIBUTION_KINDS),
		text: PlainText(MAX_CONTRIBUTION_TEXT, 'text').pipe(z.string().min(1, 'write something first')),
		name: PlainText(MAX_CONTRIBUTOR_NAME, 'name').optional(),
	})
	.strict()
export type Contribution = z.infer<typeof ContributionSchema>
export type ContributionInput = z.input<typeof ContributionSchema>

/** URL path of a board's contributor page (the token travels in the query). */
export const CONTRIBUTOR_PATH_PREFIX = '/c/'
