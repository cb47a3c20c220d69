/**
 * Board administration on the server's DATA_DIR (run where the server runs):
 *
 *   npm run board-admin -- create <boardId>         create an empty open board with this id (refused if it exists)
 *   npm run board-admin -- claim <boardId>          issue the three role links of an "open" board
 *   npm run board-admin -- rotate <boardId> <role>  replace one role's link (old one refused from now on)
 *   npm run board-admin -- status <boardId>         open (no links) or claimed
 *
 * Options: --origin https://board.example.com (default $PUBLIC_URL or
 * http://localhost:$PORT). DATABASE_URL / DATA_DIR as for the server (PostgreSQL
 * when DATABASE_URL is set, else SQLite in DATA_DIR, default ./data).
 *
 * Links are printed once and only their SHA-256 is stored: keep them. A
 * rotation refuses the old token at once; a running server on the same
 * DATA_DIR disconnects its current holders within ~2 s (and, after a claim,
 * everyone still on the open board), server/auth/credentialRecheck.ts.
 */
import path from 'node:path'
import { parseConfig } from '../server/config'
import { BoardIdSchema } from '../shared/boardId'
import { BoardRoleSchema } from '../shared/session/roles'
import { BoardAlreadyClaimedError } from '../server/auth'
import { BoardExistsError, storeNewBoard } from '../server/api/boardDocuments'
import { DEFAULT_PAGE_ID, defaultDocumentRecords } from '../shared/templates'
import { roleLink, roleLinks } from '../server/auth/linksApi'
import { openPostgresStorage, openSqliteStorage } from '../server/storage/storageProvider'

const USAGE = `usage:
  board-admin create <boardId>
  board-admin claim <boardId> [--origin URL]
  board-admin rotate <boardId> <facilitator|participant|viewer> [--origin URL]
  board-admin status <boardId>`

function fail(message: string): never {
	process.stderr.write(`${message}\n`)
	process.exit(1)
}

const args = process.argv.slice(2)
let origin = process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || '8787'}`
const originAt = args.indexOf('--origin')
if (originAt >= 0) {
	origin = args[originAt + 1] ?? fail(USAGE)
	args.splice(originAt, 2)
}
origin = origin.replace(/\/+$/, '')
const [command, rawBoardId, rawRole] = args
if (!command || !rawBoardId) fail(USAGE)
const boardId = BoardIdSchema.safeParse(rawBoardId)
if (!boardId.success) fail(`invalid board id: ${boardId.error.issues[0]?.message ?? ''}`)

let databaseUrl: string | null
try {
	databaseUrl = parseConfig({ DATABASE_URL: process.env.DATABASE_URL }).databaseUrl
} catch (error) {
	fail(error instanceof Error ? error.message : String(error))
}
const storage = databaseUrl ? await openPostgresStorage(databaseUrl) : openSqliteStorage(path.resolve(process.env.DATA_DIR || './data'))
try {
	const { tokens } = storage
	switch (command) {
		case 'create': {
			// Sockets never create boards (they get 4404); this and the API do.
			try {
				await storeNewBoard(storage.boards, boardId.data, defaultDocumentRecords(DEFAULT_PAGE_ID), { title: 'Untitled board', createdAt: Date.now() })
			} catch (error) {
				if (error instanceof BoardExistsError) fail(error.message)
				throw error
			}
			process.stdout.write(`Board ${boardId.data} created (open: anyone with the id is a participant; board-admin claim ${boardId.data} for role links).\n`)
			break
		}
		case 'claim': {
			let links
			try {
				links = roleLinks(origin, boardId.data, await tokens.claim(boardId.data))
			} catch (error) {
				if (error instanceof BoardAlreadyClaimedError) fail(`${error.message} (board-admin rotate ${boardId.data} <role>)`)
				throw error
			}
			process.stdout.write(
				`Board ${boardId.data} claimed. Keep these links; they are shown only once.\n` +
					`facilitator: ${links.facilitator}\nparticipant: ${links.participant}\nviewer:      ${links.viewer}\n`,
			)
			break
		}
		case 'rotate': {
			const role = BoardRoleSchema.safeParse(rawRole)
			if (!role.success) fail(USAGE)
			if (!(await tokens.isClaimed(boardId.data))) fail(`board ${boardId.data} is open (no links yet): board-admin claim ${boardId.data}`)
			const { token } = await tokens.rotate(boardId.data, role.data)
			process.stdout.write(`${role.data}: ${roleLink(origin, boardId.data, token)}\n`)
			break
		}
		case 'status':
			process.stdout.write(`${boardId.data}: ${(await tokens.isClaimed(boardId.data)) ? 'claimed (role links required)' : 'open (anyone with the board id is a participant; no facilitator)'}\n`)
			break
		default:
			fail(USAGE)
	}
} finally {
	await storage.close()
}
