/**
 * RICE estimation poker, server side (docs/sessions.md §10): the rounds of a
 * board, kept in its stored session state and changed only through the
 * board's request queue (like every session change), as pure functions over
 * plain JSON so a restart restores them exactly.
 *
 * Hiding, as for hidden dot voting: while a round is open its estimates
 * exist only here; the public view carries how many people estimated (and,
 * in a named round, who — never what). In an anonymous round estimates are
 * keyed by HMAC(salt, participant id) and carry no name. The reveal
 * aggregates every field (min, median, max; outliers by name in a named
 * round), then erases the individual estimates and the salt: only the
 * aggregates remain, for the app and the export.
 */
import { createHmac } from 'node:crypto'
import { z } from 'zod'
import { RICE_FIELDS } from '../../shared/items/rice'
import {
	AcceptedRiceSchema,
	EstimateSchema,
	EstimationConfigSchema,
	EstimationItemResultSchema,
	spreadOf,
	type AcceptedRice,
	type Estimate,
	type EstimationConfig,
	type EstimationItemResult,
	type EstimationRoundPublic,
	type MyEstimates,
} from '../../shared/session/estimation'
import { personKey } from '../../shared/session/personKey'

const VoterSchema = z.object({ name: z.string().nullable(), items: z.record(z.string(), EstimateSchema) })

export const StoredEstimationRoundSchema = z.object({
	id: z.string(),
	config: EstimationConfigSchema,
	status: z.enum(['open', 'revealed']),
	createdAt: z.number(),
	revealedAt: z.number().nullable(),
	/** base64url secret of an open anonymous round; null otherwise. */
	salt: z.string().nullable(),
	/** voter key → their estimates; emptied at the reveal. */
	estimates: z.record(z.string(), VoterSchema),
	estimatorCount: z.number().int().min(0),
	results: z.array(EstimationItemResultSchema).nullable(),
})
export type StoredEstimationRound = z.infer<typeof StoredEstimationRoundSchema>

export function newRound(id: string, config: EstimationConfig, now: number, salt: Buffer): StoredEstimationRound {
	return {
		id,
		config,
		status: 'open',
		createdAt: now,
		revealedAt: null,
		salt: config.anonymous ? salt.toString('base64url') : null,
		estimates: {},
		estimatorCount: 0,
		results: null,
	}
}

function voterKey(round: StoredEstimationRound, participantId: string): string {
	if (!round.config.anonymous) return participantId
	if (!round.salt) throw new Error('anonymous estimation round without salt')
	return createHmac('sha256', Buffer.from(round.salt, 'base64url')).update(participantId).digest('base64url')
}

function hasAny(estimate: Estimate): boolean {
	return RICE_FIELDS.some((field) => estimate[field] !== undefined)
}

function countEstimators(estimates: StoredEstimationRound['estimates']): number {
	return Object.values(estimates).filter((voter) => Object.values(voter.items).some(hasAny)).length
}

/** The round with the participant's estimate of one item replaced (an empty estimate withdraws it). */
export function withEstimate(round: StoredEstimationRound, participantId: string, name: string, itemId: string, estimate: Estimate): StoredEstimationRound {
	const key = voterKey(round, participantId)
	const voter = round.estimates[key] ?? { name: round.config.anonymous ? null : name, items: {} }
	const items = { ...voter.items }
	if (hasAny(estimate)) items[itemId] = estimate
	else delete items[itemId]
	const estimates = { ...round.estimates, [key]: { name: round.config.anonymous ? null : name, items } }
	return { ...round, estimates, estimatorCount: countEstimators(estimates) }
}

export function myEstimates(round: StoredEstimationRound, participantId: string): MyEstimates {
	const voter = round.status === 'open' ? round.estimates[voterKey(round, participantId)] : undefined
	return { roundId: round.id, estimates: voter ? { ...voter.items } : {} }
}

/** Aggregates every item's fields, then forgets who estimated what (and the salt). */
export function revealed(round: StoredEstimationRound, now: number): StoredEstimationRound {
	if (round.status === 'revealed') return round
	const named = !round.config.anonymous
	const voters = Object.values(round.estimates)
	const results: EstimationItemResult[] = round.config.itemIds.map((itemId) => {
		const entries = voters.map((voter) => ({ name: voter.name ?? '', estimate: voter.items[itemId] })).filter((e) => e.estimate !== undefined)
		const field = (key: (typeof RICE_FIELDS)[number]) =>
			spreadOf(
				entries.filter((e) => e.estimate![key] !== undefined).map((e) => ({ name: e.name, value: e.estimate![key]! })),
				named,
			)
		return { itemId, estimators: entries.length, reach: field('reach'), impact: field('impact'), confidence: field('confidence'), effort: field('effort'), accepted: null }
	})
	return { ...round, status: 'revealed', revealedAt: now, salt: null, estimates: {}, estimatorCount: countEstimators(round.estimates), results }
}

export function withAccepted(round: StoredEstimationRound, itemId: string, rice: AcceptedRice): StoredEstimationRound {
	return { ...round, results: round.results?.map((r) => (r.itemId === itemId ? { ...r, accepted: AcceptedRiceSchema.parse(rice) } : r)) ?? null }
}

/** What every client may see. */
export function publicRound(round: StoredEstimationRound): EstimationRoundPublic {
	const open = round.status === 'open'
	return {
		id: round.id,
		title: round.config.title,
		status: round.status,
		anonymous: round.config.anonymous,
		itemIds: round.config.itemIds,
		createdAt: round.createdAt,
		revealedAt: round.revealedAt,
		estimators: round.estimatorCount,
		// Named rounds key estimates by participant id; anonymous ones by an HMAC, so there is nothing to list — and nothing must be.
		estimatedPersonKeys: open && !round.config.anonymous
			? Object.entries(round.estimates)
					.filter(([, voter]) => Object.values(voter.items).some(hasAny))
					.map(([participantId]) => personKey(participantId))
					.sort()
			: null,
		results: open ? null : round.results,
	}
}
