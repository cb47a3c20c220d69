/**
 * Boards exist only once created (API, import, `board-admin create`); a
 * socket to any other id is refused with 4404. Tests that connect to fixed
 * ids create them first:
 *
 *   await seedBoards(dataDir, ['board-a', 'board-b'])                         // the data dir's test store (TEST_STORAGE)
 *   await seedBoards(dataDir, ids, { databaseUrl: process.env.DATABASE_URL }) // server process (inherits DATABASE_URL)
 *
 * Written as `board-admin create` writes them, but without tldraw's default
 * document/page records, so a document under test starts empty.
 */
import { BoardExistsError, storeNewBoard } from '../../../server/api/boardDocuments'
import { openPostgresStorage } from '../../../server/storage/storageProvider'
import { openTestStorage } from '../../helpers/testStorage'

export async function seedBoards(dataDir: string, boardIds: readonly string[], options: { databaseUrl?: string } = {}): Promise<void> {
	const storage = options.databaseUrl ? await openPostgresStorage(options.databaseUrl) : await openTestStorage(dataDir)
	try {
		for (const boardId of boardIds) {
			await storeNewBoard(storage.boards, boardId, [], { title: 'Test board', createdAt: Date.now() }).catch((error: unknown) => {
				if (!(error instanceof BoardExistsError)) throw error
			})
		}
	} finally {
		await storage.close()
	}
}
