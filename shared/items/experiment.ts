/**
 * Experiments (stage 3): a sticky of kind `experiment` tests an idea or
 * feature. Its fields live in the note's `meta.experiment`, one JSON value
 * replaced as a whole (docs/protocol.md §6.2):
 * `{ hypothesis?, metric?, threshold?, result? }`.
 */
import { z } from 'zod'
import type { MetaIssue } from './itemMeta'

export const EXPERIMENT_RESULTS = ['running', 'validated', 'invalidated', 'inconclusive'] as const
export const ExperimentResultSchema = z.enum(EXPERIMENT_RESULTS)
export type ExperimentResult = z.infer<typeof ExperimentResultSchema>

export const EXPERIMENT_RESULT_LABELS: Readonly<Record<ExperimentResult, string>> = {
	running: 'Running',
	validated: 'Validated',
	invalidated: 'Invalidated',
	inconclusive: 'Inconclusive',
}

export const EXPERIMENT_TEXT_FIELDS = ['hypothesis', 'metric', 'threshold'] as const
export type ExperimentTextField = (typeof EXPERIMENT_TEXT_FIELDS)[number]
export const MAX_EXPERIMENT_TEXT = 2000

const ExperimentText = z.string().max(MAX_EXPERIMENT_TEXT)

/** `meta.experiment` as clients write it. */
export const ExperimentInputSchema = z.object({
	hypothesis: ExperimentText.optional(),
	metric: ExperimentText.optional(),
	threshold: ExperimentText.optional(),
	result: ExperimentResultSchema.optional(),
})
export type ExperimentInput = z.infer<typeof ExperimentInputSchema>

/** An experiment's fields after tolerant reading: absent or invalid fields are null. */
export interface ExperimentFields {
	hypothesis: string | null
	metric: string | null
	threshold: string | null
	/** null = no result recorded yet. */
	result: ExperimentResult | null
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const RESULTS: ReadonlySet<string> = new Set(EXPERIMENT_RESULTS)

export function isExperimentResult(value: unknown): value is ExperimentResult {
	return typeof value === 'string' && RESULTS.has(value)
}

/**
 * Reads `meta.experiment` without trusting it: each invalid field is reported
 * (path `experiment.<field>`) and read as null; blank strings count as absent.
 */
export function readExperiment(raw: unknown, issues: MetaIssue[] = []): ExperimentFields {
	const fields: ExperimentFields = { hypothesis: null, metric: null, threshold: null, result: null }
	if (raw === undefined || raw === null) return fields
	if (!isObject(raw)) {
		issues.push({ path: 'experiment', message: 'experiment is not an object' })
		return fields
	}
	for (const key of EXPERIMENT_TEXT_FIELDS) {
		const value = Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined
		if (value === undefined || value === null) continue
		if (typeof value === 'string' && value.length <= MAX_EXPERIMENT_TEXT) {
			const trimmed = value.trim()
			if (trimmed) fields[key] = trimmed
		} else issues.push({ path: `experiment.${key}`, message: `invalid ${key}` })
	}
	const result = Object.prototype.hasOwnProperty.call(raw, 'result') ? raw.result : undefined
	if (result !== undefined && result !== null) {
		if (isExperimentResult(result)) fields.result = result
		else issues.push({ path: 'experiment.result', message: `result must be one of ${EXPERIMENT_RESULTS.join(', ')}` })
	}
	return fields
}
