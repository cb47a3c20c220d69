/**
 * Vote results in the export, against a real server process: a board created
 * through POST /api/boards, notes written by a plain Yjs client, votes placed
 * by raw session clients (facilitator + 2 participants). While a session is
 * open nothing of it is exported; once closed, GET …/export.json (and .md,
 * .csv) and the CLI (`scripts/export-board.ts`, server stopped) carry the
 * results, valid against the committed JSON Schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { BOARD_EXPORT_SCHEMA_VERSION, CSV_COLUMNS, parseBoardImport, type BoardExport } from '../../shared/export'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import type { SessionServerMessage } from '../../shared/session/messages'
import {
	connectClient,
	connectSessionClient,
	destroyClients,
	makeTempDir,
	removeDir,
	runExportCli,
	startServerProcess,
	waitFor,
	waitForSynced,
	type ServerProcess,
	type SessionClient,
} from './helpers'
import { noteShapeRecord } from '../../shared/shapeRecords'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'

const expectSchemaValid = expectValidAgainstExportJsonSchema

type Role = 'facilitator' | 'participant' | 'viewer'

/** A note as docs/protocol.md describes it, with tldraw 5.4.2's full note props. */
function note(id: string, kind: string, x: number, text: string) {
	return recordToYMap(noteShapeRecord({ id, x, text, meta: { kind } }))
}

function expectOk(response: SessionServerMessage): Record<string, unknown> {
	if (response.type !== 'response' || !response.ok) throw new Error(`expected ok, got ${JSON.stringify(response)}`)
	return response.result as Record<string, unknown>
}

describe('vote results in the export (HTTP and CLI)', () => {
	let dataDir: string
	let server: ServerProcess
	const providers: WebsocketProvider[] = []
	const clients: SessionClient[] = []

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServerProcess({ dataDir })
	})

	afterAll(async () => {
		for (const client of clients) client.close()
		destroyClients(...providers)
		await server?.stop()
		if (dataDir) await removeDir(dataDir)
	})

	it('exports closed sessions only: counts and ranks on the items, ranked lists, no voter names', async () => {
		const created = await fetch(`${server.url}/api/boards`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ title: 'Vote export', template: 'blank' }),
		})
		expect(created.status).toBe(201)
		const board = (await created.json()) as { id: string; links: Record<Role, string> }
		const token = (role: Role) => new URL(board.links[role]).searchParams.get('token') ?? ''
		const exportAs = async (format: 'json' | 'md' | 'csv', role: Role = 'facilitator') => {
			const response = await fetch(`${server.url}/api/boards/${board.id}/export.${format}?token=${encodeURIComponent(token(role))}`)
			expect(response.status).toBe(200)
			return response.text()
		}
		const exportJson = async (role: Role = 'facilitator') => JSON.parse(await exportAs('json', role)) as BoardExport

		const writer = connectClient(server.wsUrl, board.id, { params: { token: token('facilitator') } })
		providers.push(writer)
		await waitForSynced(writer)
		const records = getRecordsMap(writer.doc)
		writer.doc.transact(() => {
			records.set('shape:templates', note('shape:templates', 'idea', 0, 'Workshop templates'))
			records.set('shape:invite', note('shape:invite', 'idea', 300, 'Invite by link'))
			records.set('shape:dark', note('shape:dark', 'idea', 600, 'Dark mode'))
			records.set('shape:risk', note('shape:risk', 'question', 900, 'Will teams pay?'))
		})
		await waitFor(async () => (await exportJson()).items.length === 4, { message: 'notes reached the server' })

		const join = async (role: Role, participantId: string, name: string) => {
			const client = await connectSessionClient(server.wsUrl, board.id, { token: token(role) })
			clients.push(client)
			expectOk(await client.join(participantId, name))
			return client
		}
		const facilitator = await join('facilitator', 'facil-0001', 'Fran')
		const ada = await join('participant', 'ada-000001', 'Ada Lovelace')
		const bob = await join('participant', 'bob-000001', 'Bob Bobson')
		const place = async (client: SessionClient, sessionId: string, itemId: string) => expectOk(await client.request({ type: 'vote.place', sessionId, itemId }))

		// 1. Anonymous, hidden results: nothing of it is exported while it is open.
		const first = expectOk(
			await facilitator.request({
				type: 'voting.start',
				config: { title: 'Which ideas first?', eligible: { kinds: ['idea'] }, votesPerParticipant: 3, maxVotesPerItem: 2, anonymous: true, hideResults: true },
			}),
		).sessionId as string
		await place(ada, first, 'shape:templates')
		await place(ada, first, 'shape:templates')
		await place(ada, first, 'shape:invite')
		await place(bob, first, 'shape:templates')
		await place(bob, first, 'shape:dark')
		const whileOpen = await exportJson('participant')
		expect(whileOpen.votingSessions).toEqual([])
		expect(whileOpen.items.every((item) => item.votes === null)).toBe(true)
		expect(await exportAs('md', 'participant')).not.toContain('Which ideas first?')
		expectOk(await facilitator.request({ type: 'voting.close', sessionId: first }))

		// 2. Named, live results visible in the app: still not exported until closed.
		const second = expectOk(
			await facilitator.request({
				type: 'voting.start',
				config: { title: 'Second round', votesPerParticipant: 2, maxVotesPerItem: 2, anonymous: false, hideResults: false },
			}),
		).sessionId as string
		await place(ada, second, 'shape:risk')
		await place(bob, second, 'shape:invite')
		await facilitator.waitForMessage(
			(m): m is Extract<SessionServerMessage, { type: 'state' }> =>
				m.type === 'state' && m.state.votingSessions.some((s) => s.id === second && s.results?.totalDots === 2),
		)
		const secondOpen = await exportJson()
		expect(secondOpen.votingSessions.map((s) => s.id)).toEqual([first])
		expect(JSON.stringify(secondOpen)).not.toContain('Second round')
		expectOk(await facilitator.request({ type: 'voting.close', sessionId: second }))

		// Both closed: the export has them, oldest first.
		const data = await exportJson('viewer')
		expectSchemaValid(data)
		expect(parseBoardImport(data).ok).toBe(true)
		expect(data.schemaVersion).toBe(BOARD_EXPORT_SCHEMA_VERSION)
		expect(data.votingSessions).toEqual([
			{
				id: first,
				title: 'Which ideas first?',
				status: 'closed',
				anonymous: true,
				closedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/u) as unknown as string,
				totalDots: 5,
				voterCount: 2,
				results: [
					{ itemId: 'shape:templates', count: 3, rank: 1 },
					{ itemId: 'shape:dark', count: 1, rank: 2 },
					{ itemId: 'shape:invite', count: 1, rank: 2 },
				],
			},
			{
				id: second,
				title: 'Second round',
				status: 'closed',
				anonymous: false,
				closedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/u) as unknown as string,
				totalDots: 2,
				voterCount: 2,
				results: [
					{ itemId: 'shape:invite', count: 1, rank: 1 },
					{ itemId: 'shape:risk', count: 1, rank: 1 },
				],
			},
		])
		const votesOf = (id: string) => data.items.find((item) => item.id === id)!.votes
		expect(votesOf('shape:templates')).toEqual({ total: 3, bySession: [{ sessionId: first, count: 3, rank: 1 }] })
		expect(votesOf('shape:invite')).toEqual({
			total: 2,
			bySession: [
				{ sessionId: first, count: 1, rank: 2 },
				{ sessionId: second, count: 1, rank: 1 },
			],
		})
		expect(votesOf('shape:risk')).toEqual({ total: 1, bySession: [{ sessionId: second, count: 1, rank: 1 }] })
		// Named voters are shown in the app, never written into an export.
		const json = JSON.stringify(data)
		for (const identity of ['Ada Lovelace', 'Bob Bobson', 'ada-000001', 'bob-000001']) expect(json).not.toContain(identity)

		const md = await exportAs('md')
		expect(md).toContain('## Vote results')
		expect(md).toContain('### Which ideas first?')
		expect(md).toContain('| 1 | Workshop templates | Idea | 3 |')
		expect(md).toContain('5 dots from 2 voters · anonymous')
		expect(md).not.toContain('Ada')
		const csv = (await exportAs('csv')).trimEnd().split('\r\n')
		// Columns are only appended: votes_total stays the 28th, version 4's columns follow it.
		const header = csv[0].split(',')
		expect(header.indexOf('votes_total')).toBe(27)
		expect(header).toEqual([...CSV_COLUMNS])
		expect(csv.find((row) => row.startsWith('shape:templates,'))?.split(',')[27]).toBe('3')

		// Import keeps the board and drops the votes (docs/items.md): compared are the items
		// (all fields but id, themeId and votes) and the board title; the copy has no sessions.
		const imported = await fetch(`${server.url}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json })
		expect(imported.status).toBe(201)
		const copy = (await imported.json()) as { id: string; links: Record<Role, string> }
		const copyToken = new URL(copy.links.viewer).searchParams.get('token') ?? ''
		const reExported = (await (await fetch(`${server.url}/api/boards/${copy.id}/export.json?token=${encodeURIComponent(copyToken)}`)).json()) as BoardExport
		expectSchemaValid(reExported)
		expect(reExported.votingSessions).toEqual([])
		const comparable = (d: BoardExport) => d.items.map(({ id: _id, votes: _votes, position, ...rest }) => ({ ...rest, position: { x: position.x, y: position.y } }))
		expect(comparable(reExported)).toEqual(comparable(data))
		expect(reExported.board.title).toBe(data.board.title)
		// A version-1 file (votes reserved as null, no votingSessions) still imports through the AddVoteResults migration.
		const { votingSessions: _sessions, ...v2 } = reExported
		const v1 = { ...v2, schemaVersion: 1 }
		const fromV1 = await fetch(`${server.url}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(v1) })
		expect(fromV1.status).toBe(201)

		// The CLI reads the same results from the SQLite file, with no server running.
		expect(await server.stop()).toBe(0)
		const cli = await runExportCli([board.id], dataDir)
		expect(cli.stderr).toBe('')
		expect(cli.code).toBe(0)
		const fromCli = JSON.parse(cli.stdout) as BoardExport
		expectSchemaValid(fromCli)
		expect(fromCli.votingSessions).toEqual(data.votingSessions)
		expect(fromCli.items).toEqual(data.items)
		const cliMd = await runExportCli([board.id, '--format', 'md'], dataDir)
		expect(cliMd.stdout).toContain('### Second round')
	})
})
