/**
 * `npm run migrate-storage` (scripts/migrate-storage.ts) against real stores:
 * a server on SQLite collects boards, role links, a closed anonymous vote, an
 * open named vote with ballots and a timer; after the copy to a fresh
 * PostgreSQL database a server there serves the same exports, the same session
 * state and votes, the same links work, and the open vote goes on with each
 * voter's remaining budget. Then back from PostgreSQL to SQLite, the same
 * again. A target with data is refused without --force; bad locations get a
 * clear message and never echo a password.
 *
 * Runs in the `integration` project only: it chooses both backends itself.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type { BoardExport } from '../../shared/export'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import type { SessionServerMessage } from '../../shared/session/messages'
import { noteShapeRecord } from '../../shared/shapeRecords'
import { postgresForTests, type TestDatabase } from '../helpers/postgresDatabase'
import {
	connectClient,
	connectSessionClient,
	destroyClients,
	makeTempDir,
	removeDir,
	runScript,
	startServerProcess,
	waitFor,
	waitForSynced,
	type ServerProcess,
	type SessionClient,
} from './helpers'

type Role = 'facilitator' | 'participant' | 'viewer'
interface Board {
	id: string
	token(role: Role): string
}

const postgres = await postgresForTests()
const databases: TestDatabase[] = []
const dirs: string[] = []
const servers: ServerProcess[] = []
const providers: WebsocketProvider[] = []
const sessionClients: SessionClient[] = []

afterAll(async () => {
	for (const client of sessionClients) client.close()
	destroyClients(...providers)
	for (const server of servers) await server.stop()
	for (const db of databases) await db.drop()
	for (const dir of dirs) await removeDir(dir)
})

async function tempDir(): Promise<string> {
	const dir = await makeTempDir('workshop-board-migrate-')
	dirs.push(dir)
	return dir
}

/** The server on SQLite in `dataDir` (databaseUrl '') or on PostgreSQL. */
async function start(dataDir: string, databaseUrl: string): Promise<ServerProcess> {
	const server = await startServerProcess({ dataDir, env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' } })
	servers.push(server)
	return server
}

function expectOk(response: SessionServerMessage): Record<string, unknown> {
	if (response.type !== 'response' || !response.ok) throw new Error(`expected ok, got ${JSON.stringify(response)}`)
	return response.result as Record<string, unknown>
}

async function createBoard(server: ServerProcess, title: string, template: string): Promise<Board> {
	const response = await fetch(`${server.url}/api/boards`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ title, template }),
	})
	expect(response.status).toBe(201)
	const body = (await response.json()) as { id: string; links: Record<Role, string> }
	return { id: body.id, token: (role) => new URL(body.links[role]).searchParams.get('token') ?? '' }
}

async function exportOf(server: ServerProcess, board: Board): Promise<BoardExport> {
	const response = await fetch(`${server.url}/api/boards/${board.id}/export.json?token=${board.token('facilitator')}`)
	expect(response.status).toBe(200)
	const data = (await response.json()) as BoardExport
	// Ids compared as they are; only the time of this request is not board content.
	return { ...data, board: { ...data.board, exportedAt: '<time>' } }
}

async function join(server: ServerProcess, board: Board, role: Role, participantId: string, name: string) {
	const client = await connectSessionClient(server.wsUrl, board.id, { token: board.token(role) })
	sessionClients.push(client)
	const joined = expectOk(await client.join(participantId, name)) as { state: unknown }
	return { client, state: joined.state }
}

/** What a migration must carry over, as the server serves it. */
async function observe(server: ServerProcess, boards: Board[]) {
	const exports = await Promise.all(boards.map((board) => exportOf(server, board)))
	const { client, state } = await join(server, boards[0], 'facilitator', 'facil-0001', 'Fran')
	client.close()
	const votes = await (await fetch(`${server.url}/api/boards/${boards[0].id}/votes?token=${boards[0].token('viewer')}`)).json()
	return { exports, state, votes }
}

async function migrate(from: string, to: string, ...flags: string[]) {
	const cwd = await tempDir()
	return runScript('migrate-storage.ts', ['--from', from, '--to', to, ...flags], cwd, { DATABASE_URL: '' })
}

describe.skipIf(!postgres.available)(`migrate-storage between SQLite and PostgreSQL ${postgres.skipNote}`, () => {
	it('copies every board, link, vote and session state SQLite → PostgreSQL → SQLite without loss', async () => {
		const sqliteDir = await tempDir()
		const source = await start(sqliteDir, '')
		const workshop = await createBoard(source, 'Discovery workshop', 'discovery')
		const blank = await createBoard(source, 'Blank one', 'blank')

		const writer = connectClient(source.wsUrl, workshop.id, { params: { token: workshop.token('facilitator') } })
		providers.push(writer)
		await waitForSynced(writer)
		const records = getRecordsMap(writer.doc)
		writer.doc.transact(() => {
			for (const [i, text] of ['Templates', 'Invite by link', 'Dark mode'].entries()) {
				records.set(`shape:idea${i}`, recordToYMap(noteShapeRecord({ id: `shape:idea${i}`, x: i * 300, text, meta: { kind: 'idea' } })))
			}
		})
		await waitFor(async () => (await exportOf(source, workshop)).items.some((item) => item.id === 'shape:idea2'), { message: 'notes stored' })

		const facilitator = (await join(source, workshop, 'facilitator', 'facil-0001', 'Fran')).client
		const ada = (await join(source, workshop, 'participant', 'ada-000001', 'Ada')).client
		const bob = (await join(source, workshop, 'participant', 'bob-000001', 'Bob')).client
		const place = (client: SessionClient, sessionId: string, itemId: string) => client.request({ type: 'vote.place', sessionId, itemId })
		const anonymous = expectOk(
			await facilitator.request({ type: 'voting.start', config: { title: 'First', votesPerParticipant: 2, maxVotesPerItem: 2, anonymous: true, hideResults: true } }),
		).sessionId as string
		expectOk(await place(ada, anonymous, 'shape:idea0'))
		expectOk(await place(bob, anonymous, 'shape:idea1'))
		expectOk(await facilitator.request({ type: 'voting.close', sessionId: anonymous }))
		const open = expectOk(
			await facilitator.request({ type: 'voting.start', config: { title: 'Open round', votesPerParticipant: 3, maxVotesPerItem: 3, anonymous: false, hideResults: false } }),
		).sessionId as string
		expectOk(await place(ada, open, 'shape:idea2'))
		expectOk(await place(ada, open, 'shape:idea2'))
		expectOk(await place(bob, open, 'shape:idea0'))
		expectOk(await facilitator.request({ type: 'timer.set', durationMs: 300_000 }))
		for (const client of [facilitator, ada, bob]) client.close()
		destroyClients(writer)

		const before = await observe(source, [workshop, blank])
		expect(before.exports[0].votingSessions.map((s) => s.id)).toEqual([anonymous])
		expect((before.state as { votingSessions: { id: string }[] }).votingSessions.map((s) => s.id)).toEqual([anonymous, open])
		expect(await source.stop()).toBe(0)

		// SQLite → PostgreSQL.
		const target = await postgres.createDatabase()
		databases.push(target)
		const copied = await migrate(`sqlite:${sqliteDir}`, target.url)
		expect(copied.stderr).toBe('')
		expect(copied.code).toBe(0)
		expect(copied.stdout).toMatch(/^copied 2 boards, \d+ logged updates?, 6 role tokens, 2 voting sessions, 2 ballot rows, \d+ session states?(, \d+ board versions?)? from sqlite:/)

		const onPostgres = await start(await tempDir(), target.url)
		const after = await observe(onPostgres, [workshop, blank])
		expect(after).toEqual(before)
		// The ballots came along: Ada has 1 of her 3 dots left in the open round, Bob 2.
		const adaAgain = (await join(onPostgres, workshop, 'participant', 'ada-000001', 'Ada')).client
		expectOk(await place(adaAgain, open, 'shape:idea1'))
		const overBudget = await place(adaAgain, open, 'shape:idea1')
		expect(overBudget.type === 'response' && !overBudget.ok && overBudget.error.code).toBe('budget-exhausted')
		adaAgain.close()
		const during = await observe(onPostgres, [workshop, blank])
		expect(await onPostgres.stop()).toBe(0)

		// A target with data is refused, and left as it was; --force replaces it.
		const refused = await migrate(`sqlite:${sqliteDir}`, target.url)
		expect(refused.code).toBe(1)
		expect(refused.stderr).toMatch(/is not empty \(2 boards, .*\); pass --force to replace its contents/)

		// PostgreSQL → SQLite (a new DATA_DIR), then a server on it serves the PostgreSQL state.
		const backDir = await tempDir()
		const back = await migrate(target.url, `sqlite:${backDir}`)
		expect(back.stderr).toBe('')
		expect(back.code).toBe(0)
		const onSqlite = await start(backDir, '')
		expect(await observe(onSqlite, [workshop, blank])).toEqual(during)
		expect(await onSqlite.stop()).toBe(0)

		// --force: the PostgreSQL database gets the original SQLite state back (Ada's extra dot gone).
		const forced = await migrate(`sqlite:${sqliteDir}`, target.url, '--force')
		expect(forced.code).toBe(0)
		expect(forced.stdout).toMatch(/replaced what it held: 2 boards/)
		const reset = await start(await tempDir(), target.url)
		expect(await observe(reset, [workshop, blank])).toEqual(before)
		expect(await reset.stop()).toBe(0)
	})

	it('bad locations get a clear message, exit 2 (usage) or 1 (unreachable, missing), and never echo a password', async () => {
		const dir = await tempDir()
		const cases: [string[], number, RegExp][] = [
			[['--to', 'postgres://u@127.0.0.1/db'], 2, /--from is missing: give sqlite:DIR or postgres:\/\//],
			[['--from', 'mysql://u:hunter2@h/db', '--to', `sqlite:${dir}`], 2, /--from must start with sqlite: or postgres:\/\//],
			[['--from', `sqlite:${dir}`, '--to', 'postgres://u:hunter2@127.0.0.1'], 2, /--to names no database/],
			[['--from', 'sqlite:', '--to', 'postgres://u@127.0.0.1/db'], 2, /sqlite: needs a directory/],
			[['--from', `sqlite:${dir}/nowhere`, '--to', `sqlite:${dir}/copy`], 1, /no database at .*nowhere\/workshop-board\.sqlite/],
			[['--from', 'postgres://u:hunter2@127.0.0.1:1/db', '--to', `sqlite:${dir}/copy`], 1, /migrate-storage failed, nothing was written.*ECONNREFUSED/],
			[['--from', `sqlite:${dir}`, '--to', `sqlite:${dir}`], 1, /name the same store/],
		]
		for (const [args, code, message] of cases) {
			const result = await runScript('migrate-storage.ts', args, dir, { DATABASE_URL: '' })
			expect(result.code, args.join(' ')).toBe(code)
			expect(result.stderr, args.join(' ')).toMatch(message)
			expect(result.stderr + result.stdout).not.toContain('hunter2')
		}
	})
})
