/**
 * The contract of the VersionStore port (server/storage/versionStore.ts), run
 * against every adapter by test/unit/storage.versions.test.ts — SQLite,
 * PostgreSQL and memory — like storage.contract.ts for board documents.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { StoredVersion, VersionStore } from '../../server/storage/versionStore'
import type { ContractOptions } from './storage.contract'

export interface VersionStoreUnderTest {
	store: VersionStore
	/** The same data through a second connection (another process), when the adapter has one. */
	second: VersionStore
	cleanup(): Promise<void>
}

function version(id: string, boardId: string, createdAt: number, overrides: Partial<StoredVersion> = {}): StoredVersion {
	const doc = new Uint8Array([1, 2, 3, createdAt % 256])
	const session = JSON.stringify({ version: 1, votingSessions: [], state: null })
	return { id, boardId, name: `Version ${id}`, kind: 'named', createdAt, sizeBytes: doc.byteLength + session.length, doc, session, ...overrides }
}

export function runVersionStoreContract(name: string, makeStore: () => Promise<VersionStoreUnderTest>, options: ContractOptions = {}): void {
	const describeOrSkip = options.skipNote ? describe.skip : describe
	describeOrSkip(`VersionStore contract: ${name}${options.skipNote ? ` ${options.skipNote}` : ''}`, () => {
		let subject: VersionStoreUnderTest | null = null
		const open = async () => (subject = await makeStore())
		afterEach(async () => {
			await subject?.cleanup()
			subject = null
		})

		it('stores versions with their bytes and lists them newest first without bytes', async () => {
			const { store, second } = await open()
			expect(await store.listVersions('board-a')).toEqual([])
			await store.insertVersion(version('v-old-0001', 'board-a', 1_000, { kind: 'auto', name: 'Automatic version' }))
			await store.insertVersion(version('v-new-0001', 'board-a', 3_000, { name: 'After workshop 1 — “quotes” ✓' }))
			await store.insertVersion(version('v-mid-0001', 'board-a', 2_000))
			await store.insertVersion(version('v-other-01', 'board-b', 5_000))

			const listed = await second.listVersions('board-a')
			expect(listed.map((v) => v.id)).toEqual(['v-new-0001', 'v-mid-0001', 'v-old-0001'])
			expect(listed[0]).toEqual({ id: 'v-new-0001', boardId: 'board-a', name: 'After workshop 1 — “quotes” ✓', kind: 'named', createdAt: 3_000, sizeBytes: listed[0].sizeBytes })
			expect(listed[2].kind).toBe('auto')
			expect(listed[0]).not.toHaveProperty('doc')

			const loaded = await second.loadVersion('board-a', 'v-old-0001')
			expect(loaded).not.toBeNull()
			expect([...loaded!.doc]).toEqual([1, 2, 3, 1_000 % 256])
			expect(JSON.parse(loaded!.session)).toEqual({ version: 1, votingSessions: [], state: null })
			expect(loaded).toMatchObject({ boardId: 'board-a', kind: 'auto', createdAt: 1_000 })
		})

		it('a version is found only through its own board', async () => {
			const { store } = await open()
			await store.insertVersion(version('v-b-000001', 'board-b', 1_000))
			expect(await store.loadVersion('board-a', 'v-b-000001')).toBeNull()
			expect(await store.loadVersion('board-b', 'v-unknown1')).toBeNull()
			expect(await store.deleteVersions('board-a', ['v-b-000001'])).toBe(0)
			expect(await store.loadVersion('board-b', 'v-b-000001')).not.toBeNull()
		})

		it('deletes the given versions of one board, atomically counted', async () => {
			const { store, second } = await open()
			for (const [i, id] of ['v-del-0001', 'v-del-0002', 'v-del-0003'].entries()) await store.insertVersion(version(id, 'board-a', 1_000 + i))
			expect(await store.deleteVersions('board-a', [])).toBe(0)
			expect(await store.deleteVersions('board-a', ['v-del-0001', 'v-del-0003', 'v-nope-001'])).toBe(2)
			expect((await second.listVersions('board-a')).map((v) => v.id)).toEqual(['v-del-0002'])
		})

		it('copies bytes in and out: changing an array later changes nothing stored', async () => {
			const { store } = await open()
			const stored = version('v-copy-001', 'board-a', 1_000)
			await store.insertVersion(stored)
			stored.doc[0] = 99
			const loaded = (await store.loadVersion('board-a', 'v-copy-001'))!
			expect(loaded.doc[0]).toBe(1)
			loaded.doc[0] = 77
			expect((await store.loadVersion('board-a', 'v-copy-001'))!.doc[0]).toBe(1)
		})

		it('deletes automatic versions of every board older than a cutoff, never named ones', async () => {
			const { store, second } = await open()
			await store.insertVersion(version('v-auto-old', 'board-a', 1_000, { kind: 'auto' }))
			await store.insertVersion(version('v-auto-ol2', 'board-b', 1_999, { kind: 'auto' }))
			await store.insertVersion(version('v-auto-new', 'board-a', 2_000, { kind: 'auto' }))
			await store.insertVersion(version('v-named-ol', 'board-a', 500))
			expect(await store.deleteAutoVersionsBefore(2_000)).toBe(2)
			expect((await second.listVersions('board-a')).map((v) => v.id)).toEqual(['v-auto-new', 'v-named-ol'])
			expect(await second.listVersions('board-b')).toEqual([])
			expect(await store.deleteAutoVersionsBefore(2_000)).toBe(0)
		})

		it('refuses a second version with the same id', async () => {
			const { store } = await open()
			await store.insertVersion(version('v-dup-0001', 'board-a', 1_000))
			await expect(store.insertVersion(version('v-dup-0001', 'board-a', 2_000))).rejects.toThrow()
		})
	})
}
