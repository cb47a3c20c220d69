/** Retention and caps of board versions (server/versions/retention.ts) and their settings (versionsConfig.ts). */
import { describe, expect, it } from 'vitest'
import type { VersionMeta } from '../../server/storage/versionStore'
import { expiredVersions, makeRoom } from '../../server/versions/retention'
import { DEFAULT_VERSIONS_CONFIG, parseVersionsConfig } from '../../server/versions/versionsConfig'

const DAY = 86_400_000
const meta = (id: string, kind: VersionMeta['kind'], createdAt: number, sizeBytes = 100): VersionMeta => ({ id, boardId: 'b', name: id, kind, createdAt, sizeBytes })

describe('version retention', () => {
	it('expires automatic versions after the retention period, never named ones', () => {
		const now = 100 * DAY
		const versions = [meta('auto-new', 'auto', now - 29 * DAY), meta('auto-old', 'auto', now - 31 * DAY), meta('named-old', 'named', now - 400 * DAY)]
		expect(expiredVersions(versions, now, DEFAULT_VERSIONS_CONFIG).map((v) => v.id)).toEqual(['auto-old'])
		expect(expiredVersions(versions, now, { ...DEFAULT_VERSIONS_CONFIG, autoRetentionMs: 7 * DAY }).map((v) => v.id)).toEqual(['auto-new', 'auto-old'])
	})

	it('makes room by evicting the oldest automatic versions; refuses when named ones fill the caps', () => {
		const config = { ...DEFAULT_VERSIONS_CONFIG, maxVersionsPerBoard: 3, maxBytesPerBoard: 1000 }
		const kept = [meta('named', 'named', 5), meta('auto-2', 'auto', 2), meta('auto-1', 'auto', 1)]
		expect(makeRoom(kept, 100, config)).toEqual({ fits: true, evict: [kept[2]] })
		expect(makeRoom(kept, 850, config)).toEqual({ fits: true, evict: [kept[2], kept[1]] })
		expect(makeRoom(kept.slice(0, 1), 100, config)).toEqual({ fits: true, evict: [] })
		const full = [meta('n1', 'named', 1), meta('n2', 'named', 2), meta('n3', 'named', 3)]
		const refused = makeRoom(full, 10, config)
		expect(refused.fits).toBe(false)
		expect(!refused.fits && refused.reason).toMatch(/version limit \(3 versions, 1000 bytes\); delete a named version first/)
		const tooBig = makeRoom([], 1001, config)
		expect(!tooBig.fits && tooBig.reason).toMatch(/too big for a version/)
	})

	it('reads its settings from the environment and names a bad variable', () => {
		expect(DEFAULT_VERSIONS_CONFIG).toEqual({ autoIntervalMs: 30 * 60_000, autoRetentionMs: 30 * DAY, maxVersionsPerBoard: 200, maxBytesPerBoard: 256 * 1024 * 1024 })
		expect(parseVersionsConfig({ VERSIONS_AUTO_INTERVAL_MINUTES: '0', VERSIONS_AUTO_RETENTION_DAYS: '90', VERSIONS_MAX_PER_BOARD: '50' })).toMatchObject({
			autoIntervalMs: 0,
			autoRetentionMs: 90 * DAY,
			maxVersionsPerBoard: 50,
		})
		expect(() => parseVersionsConfig({ VERSIONS_MAX_PER_BOARD: 'lots' })).toThrow(/VERSIONS_MAX_PER_BOARD must be a number ≥ 1, got "lots"/)
		expect(() => parseVersionsConfig({ VERSIONS_AUTO_RETENTION_DAYS: '-1' })).toThrow(/VERSIONS_AUTO_RETENTION_DAYS/)
	})
})
