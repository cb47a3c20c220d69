import { MemoryBoardStorage, type MemoryBoardData } from '../../server/storage/memoryBoardStorage'
import { MemoryBoardTokenStore, MemorySessionStore } from '../../server/storage/memoryAppStores'
import { runAppStoresContract } from './appStores.contract'
import { runBoardStorageContract } from './storage.contract'

runBoardStorageContract('MemoryBoardStorage', async () => {
	const data: MemoryBoardData = new Map()
	let storage = new MemoryBoardStorage(data)
	const writers: MemoryBoardStorage[] = [storage]
	return {
		storage,
		async reopen() {
			await storage.close()
			storage = new MemoryBoardStorage(data)
			writers.push(storage)
			return storage
		},
		async cleanup() {
			for (const writer of writers) await writer.close()
		},
		async failCompactionAfterSnapshotWrite() {
			storage.failOperation('compact', new Error('simulated failure'))
		},
		// The memory store checks before writing, so a failure anywhere in a batch writes none of it.
		async failAppendsFromSeq() {
			storage.failOperation('appendUpdates', new Error('simulated failure'))
		},
		async healAppends() {
			storage.failOperation('appendUpdates', null)
		},
		async openSecondWriter() {
			const second = new MemoryBoardStorage(data)
			writers.push(second)
			return second
		},
	}
})

runAppStoresContract('memory', async () => {
	// One store object stands for one database; the "second connection" is the same object.
	const tokens = new MemoryBoardTokenStore()
	const sessions = new MemorySessionStore()
	return { tokens, sessions, second: { tokens, sessions }, cleanup: async () => {} }
})
