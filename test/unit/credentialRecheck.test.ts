import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/boardId'
import { CloseCode } from '../../shared/protocol'
import { SqliteBoardTokenStore } from '../../server/auth'
import { closeRevokedConnections, type CheckedConnection } from '../../server/auth/credentialRecheck'
import { createTokenAuthenticator } from '../../server/auth/tokenAuth'
import { createLogger } from '../../server/logger'
import { openAppDatabase } from '../../server/storage/appDatabase'

const logger = createLogger('silent')
const databases: Database.Database[] = []
const dirs: string[] = []
afterEach(() => {
	for (const db of databases.splice(0)) db.close()
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

/** Two connections to one database file: the server's and another process's (the board-admin CLI). */
function serverAndCli(): { server: SqliteBoardTokenStore; cli: SqliteBoardTokenStore } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credential-recheck-'))
	dirs.push(dir)
	const serverDb = openAppDatabase(dir)
	const cliDb = openAppDatabase(dir)
	databases.push(serverDb, cliDb)
	return { server: new SqliteBoardTokenStore(serverDb), cli: new SqliteBoardTokenStore(cliDb) }
}

class FakeSocketConnection implements CheckedConnection {
	closedWith: { code: number; reason: string } | null = null
	constructor(
		readonly boardId: BoardId,
		readonly credentialId: string | undefined,
	) {}
	get isOpen(): boolean {
		return this.closedWith === null
	}
	close(code: number, reason: string): void {
		this.closedWith = { code, reason }
	}
}

/** The credential the real authenticator gives a token holder. */
async function credentialOf(store: SqliteBoardTokenStore, boardId: BoardId, token?: string): Promise<string | undefined> {
	const request = { url: token ? `/sync/${boardId}?token=${token}` : `/sync/${boardId}`, headers: {} }
	const auth = await createTokenAuthenticator(store)(request as never, boardId)
	return auth?.credentialId
}

describe('closeRevokedConnections', () => {
	it('closes the holders of a token rotated by another process, and only them', async () => {
		const { server, cli } = serverAndCli()
		const board = 'board-recheck-1' as BoardId
		const tokens = await cli.claim(board)
		const participant = new FakeSocketConnection(board, await credentialOf(server, board, tokens.participant))
		const secondParticipant = new FakeSocketConnection(board, participant.credentialId)
		const facilitator = new FakeSocketConnection(board, await credentialOf(server, board, tokens.facilitator))
		const all = [participant, secondParticipant, facilitator]

		expect(await closeRevokedConnections(server, all, logger)).toBe(0)
		await cli.rotate(board, 'participant')
		expect(await closeRevokedConnections(server, all, logger)).toBe(2)
		expect(participant.closedWith).toEqual({ code: CloseCode.unauthorized, reason: 'link rotated' })
		expect(secondParticipant.closedWith?.code).toBe(CloseCode.unauthorized)
		expect(facilitator.closedWith).toBeNull()
		// Already closed connections are not closed twice.
		expect(await closeRevokedConnections(server, all, logger)).toBe(0)
	})

	it('closes everyone on an open board once another process claims it', async () => {
		const { server, cli } = serverAndCli()
		const board = 'board-recheck-2' as BoardId
		const other = 'board-recheck-3' as BoardId
		const onBoard = new FakeSocketConnection(board, await credentialOf(server, board))
		const onOtherOpenBoard = new FakeSocketConnection(other, await credentialOf(server, other))
		expect(onBoard.credentialId).toBe('open')
		await cli.claim(board)
		expect(await closeRevokedConnections(server, [onBoard, onOtherOpenBoard], logger)).toBe(1)
		expect(onBoard.closedWith).toEqual({ code: CloseCode.unauthorized, reason: 'board now requires a link' })
		expect(onOtherOpenBoard.closedWith).toBeNull()
	})

	it('refuses forged or foreign credentials and leaves connections without one alone', async () => {
		const { server, cli } = serverAndCli()
		const board = 'board-recheck-4' as BoardId
		await cli.claim(board)
		const forged = new FakeSocketConnection(board, `token:${board}:facilitator:0000000000000000`)
		const otherBoards = new FakeSocketConnection(board, 'token:another-board:facilitator:0000000000000000')
		const custom = new FakeSocketConnection(board, undefined)
		expect(await closeRevokedConnections(server, [forged, otherBoards, custom], logger)).toBe(2)
		expect(custom.closedWith).toBeNull()
	})

	it('asks the database once per credential per pass, however many hold it', async () => {
		const { server, cli } = serverAndCli()
		const board = 'board-recheck-5' as BoardId
		const tokens = await cli.claim(board)
		const credential = await credentialOf(server, board, tokens.participant)
		let lookups = 0
		const counting = {
			isCredentialCurrent: (boardId: BoardId, credentialId: string) => {
				lookups++
				return server.isCredentialCurrent(boardId, credentialId)
			},
		}
		const holders = Array.from({ length: 200 }, () => new FakeSocketConnection(board, credential))
		expect(await closeRevokedConnections(counting, holders, logger)).toBe(0)
		expect(lookups).toBe(1)
	})
})
