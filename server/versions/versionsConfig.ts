/**
 * Settings of board versions, from the environment (docs/reliability.md › Versions):
 *
 * | Variable                        | Default            | Meaning |
 * |---------------------------------|--------------------|---------|
 * | VERSIONS_AUTO_INTERVAL_MINUTES  | 30                 | At most one automatic version per board per this many minutes of editing; 0 turns them off |
 * | VERSIONS_AUTO_RETENTION_DAYS    | 30                 | Automatic versions older than this are deleted (named ones are kept) |
 * | VERSIONS_MAX_PER_BOARD          | 200                | Versions (named + automatic) one board may have |
 * | VERSIONS_MAX_BYTES_PER_BOARD    | 268435456 (256 MiB)| Bytes all versions of one board may take |
 *
 * Parsed with zod so a bad value stops the server at start with the variable's name.
 */
import { z } from 'zod'

export interface VersionsConfig {
	/** 0: no automatic versions. */
	autoIntervalMs: number
	autoRetentionMs: number
	maxVersionsPerBoard: number
	maxBytesPerBoard: number
}

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

const number = (name: string, fallback: number, min: number) =>
	z
		.string()
		.optional()
		.transform((raw, ctx) => {
			if (raw === undefined || raw.trim() === '') return fallback
			const value = Number(raw)
			if (!Number.isFinite(value) || value < min) {
				ctx.addIssue({ code: 'custom', message: `${name} must be a number ≥ ${min}, got ${JSON.stringify(raw)}` })
				return z.NEVER
			}
			return value
		})

const EnvSchema = z.object({
	VERSIONS_AUTO_INTERVAL_MINUTES: number('VERSIONS_AUTO_INTERVAL_MINUTES', 30, 0),
	VERSIONS_AUTO_RETENTION_DAYS: number('VERSIONS_AUTO_RETENTION_DAYS', 30, 0.001),
	VERSIONS_MAX_PER_BOARD: number('VERSIONS_MAX_PER_BOARD', 200, 1),
	VERSIONS_MAX_BYTES_PER_BOARD: number('VERSIONS_MAX_BYTES_PER_BOARD', 256 * 1024 * 1024, 1024),
})

export const DEFAULT_VERSIONS_CONFIG: VersionsConfig = parseVersionsConfig({})

/** Throws an Error naming the variable for a bad value. */
export function parseVersionsConfig(env: Record<string, string | undefined>): VersionsConfig {
	const parsed = EnvSchema.safeParse(env)
	if (!parsed.success) throw new Error(`invalid versions configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`)
	const data = parsed.data
	return {
		autoIntervalMs: data.VERSIONS_AUTO_INTERVAL_MINUTES * MINUTE,
		autoRetentionMs: data.VERSIONS_AUTO_RETENTION_DAYS * DAY,
		maxVersionsPerBoard: Math.floor(data.VERSIONS_MAX_PER_BOARD),
		maxBytesPerBoard: Math.floor(data.VERSIONS_MAX_BYTES_PER_BOARD),
	}
}
