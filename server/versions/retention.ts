/**
 * Which versions go (pure policy, unit-tested in test/unit/versions.retention.test.ts):
 * automatic versions past their retention, and — to make room for a new
 * version under the per-board caps — the oldest automatic ones. Named
 * versions are never deleted by the server; when only they fill the caps, a
 * new named version is refused (the facilitator deletes one) and a new
 * automatic one is skipped.
 */
import type { VersionMeta } from '../storage/versionStore'
import type { VersionsConfig } from './versionsConfig'

/** Automatic versions older than the retention period at `now`. */
export function expiredVersions(versions: readonly VersionMeta[], now: number, config: VersionsConfig): VersionMeta[] {
	return versions.filter((version) => version.kind === 'auto' && now - version.createdAt > config.autoRetentionMs)
}

export type RoomDecision = { fits: true; evict: VersionMeta[] } | { fits: false; reason: string }

/** Makes room for one more version of `sizeBytes` among `kept` (not yet expired): which automatic versions to evict, oldest first. */
export function makeRoom(kept: readonly VersionMeta[], sizeBytes: number, config: VersionsConfig): RoomDecision {
	if (sizeBytes > config.maxBytesPerBoard) {
		return { fits: false, reason: `the board is too big for a version (${sizeBytes} bytes; the limit for all versions of a board is ${config.maxBytesPerBoard})` }
	}
	let count = kept.length
	let bytes = kept.reduce((sum, version) => sum + version.sizeBytes, 0)
	const fits = () => count + 1 <= config.maxVersionsPerBoard && bytes + sizeBytes <= config.maxBytesPerBoard
	const autosOldestFirst = kept.filter((version) => version.kind === 'auto').sort((a, b) => a.createdAt - b.createdAt)
	const evict: VersionMeta[] = []
	for (const version of autosOldestFirst) {
		if (fits()) break
		evict.push(version)
		count--
		bytes -= version.sizeBytes
	}
	if (fits()) return { fits: true, evict }
	return {
		fits: false,
		reason: `this board has reached its version limit (${config.maxVersionsPerBoard} versions, ${config.maxBytesPerBoard} bytes); delete a named version first`,
	}
}
