/**
 * BoardVersions (server/versions/boardVersions.ts) over the memory adapters:
 * the automatic-version rule, eviction under the caps, and the sweep that
 * enforces retention for boards nobody opens any more. The HTTP side and the
 * SQL adapters are covered by test/integration/api.versions.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { storeNewBoard } from '../../server/api/boardDocuments'
import { createLogger } from '../../server/logger'
import { MemoryBoardStorage } from '../../server/storage/memoryBoardStorage'
import { MemoryVersionStore } from '../../server/storage/memoryVersionStore'
import { RoomRegistry } from '../../server/sync/roomRegistry'
import { BoardVersions, VersionError } from '../../server/versions/boardVersions'
import { DEFAULT_VERSIONS_CONFIG, type VersionsConfig } from '../../server/versions/versionsConfig'
import { defaultDocumentRecords } from '../../shared/templates'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

async function setup(config: Partial<VersionsConfig> = {}) {
	const clock = { now: Date.UTC(2026, 0, 5, 9) }
	const boards = new MemoryBoardStorage()
	const store = new MemoryVersionStore()
	const logger = createLogger('silent')
	const rooms = new RoomRegistry(boards, { unloadDelayMs: 0, flushIntervalMs: 10, compactAfterUpdates: 1000, compactAfterBytes: 1 << 20 }, logger)
	let boardCount = 0
	const versions = new BoardVersions({
		store,
		boards,
		rooms,
		config: { ...DEFAULT_VERSIONS_CONFIG, ...config },
		logger,
		closedVotingSessions: async () => [],
		sessionState: async () => null,
		newBoardId: () => `copy-${++boardCount}`,
		now: () => clock.now,
	})
	const createBoard = async (id: string) => storeNewBoard(boards, id, defaultDocumentRecords(), { title: id, createdAt: clock.now })
	/** noteEdit runs in the background; wait until the store has settled. */
	const settle = () => new Promise((resolve) => setTimeout(resolve, 20))
	return { clock, store, versions, createBoard, settle }
}

describe('BoardVersions', () => {
	it('takes an automatic version on the first edit after the interval, never two within it', async () => {
		const { clock, versions, createBoard, settle, store } = await setup()
		await createBoard('board-a')
		const autos = async () => (await store.listVersions('board-a')).filter((v) => v.kind === 'auto')
		versions.noteEdit('board-a')
		versions.noteEdit('board-a')
		await settle()
		expect(await autos()).toHaveLength(1)
		clock.now += 29 * MINUTE
		versions.noteEdit('board-a')
		await settle()
		expect(await autos()).toHaveLength(1)
		clock.now += MINUTE
		versions.noteEdit('board-a')
		await settle()
		expect((await autos()).map((v) => v.createdAt)).toEqual([clock.now, clock.now - 30 * MINUTE])
		// An unknown board is not versioned (and the edit path never throws).
		versions.noteEdit('board-unknown')
		await settle()
		expect(await store.listVersions('board-unknown')).toEqual([])
	})

	it('evicts the oldest automatic versions for a new one, refuses a named one past the cap', async () => {
		const { clock, versions, createBoard, settle, store } = await setup({ maxVersionsPerBoard: 3 })
		await createBoard('board-a')
		for (let i = 0; i < 3; i++) {
			versions.noteEdit('board-a')
			await settle()
			clock.now += 31 * MINUTE
		}
		expect((await store.listVersions('board-a')).map((v) => v.kind)).toEqual(['auto', 'auto', 'auto'])
		const oldest = (await store.listVersions('board-a'))[2]
		await versions.save('board-a', 'Named 1')
		expect((await store.listVersions('board-a')).map((v) => v.id)).not.toContain(oldest.id)
		await versions.save('board-a', 'Named 2')
		await versions.save('board-a', 'Named 3')
		expect((await store.listVersions('board-a')).map((v) => v.kind)).toEqual(['named', 'named', 'named'])
		await expect(versions.save('board-a', 'Named 4')).rejects.toSatisfy((error) => error instanceof VersionError && error.status === 409)
		await expect(versions.save('board-none', 'x')).rejects.toSatisfy((error) => error instanceof VersionError && error.status === 404)
	})

	it('the sweep deletes expired automatic versions of every board, also boards nobody lists', async () => {
		const { clock, versions, createBoard, settle, store } = await setup()
		await createBoard('board-a')
		await createBoard('board-b')
		versions.noteEdit('board-a')
		versions.noteEdit('board-b')
		await settle()
		await versions.save('board-a', 'Keep me')
		clock.now += 20 * DAY
		expect(await versions.sweepExpired()).toBe(0)
		clock.now += 11 * DAY
		expect(await versions.sweepExpired()).toBe(2)
		expect((await store.listVersions('board-a')).map((v) => v.name)).toEqual(['Keep me'])
		expect(await store.listVersions('board-b')).toEqual([])
	})
})
