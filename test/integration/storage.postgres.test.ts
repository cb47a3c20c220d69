/**
 * The server on a real PostgreSQL (test/helpers/postgresDatabase.ts; skipped
 * with the reason when there is none, failing under CI=true):
 *
 * - PostgreSQL unreachable at start: the server listens, /healthz is 200,
 *   /readyz 503 until the database can be reached, then 200 and it works.
 *   (A TCP gate in front of the real database plays "down".)
 * - PostgreSQL stopped and restarted under load: clients are closed with
 *   4503, keep their edits, and every edit is stored once the database is back.
 * - A socket opened while PostgreSQL is down (its role token cannot be
 *   checked) is accepted and closed with 4503, not answered HTTP 500; once the
 *   database is back the same link connects.
 *
 * Stopping is done on a private PostgreSQL server (test/helpers/privatePostgres.ts:
 * same binaries, own data dir and port), so the machine's shared cluster, which
 * other test files use at the same moment, is never stopped.
 */
import net from 'node:net'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { startServer, type RunningServer } from '../../server/app'
import { allowEveryoneAsParticipant, type Authenticate } from '../../server/auth'
import { ConfigError, parseConfig } from '../../server/config'
import { createLogger } from '../../server/logger'
import { CloseCode, READY_PATH } from '../../shared/protocol'
import { postgresForTests, type TestDatabase } from '../helpers/postgresDatabase'
import { privatePostgresForTests, type PrivatePostgres } from '../helpers/privatePostgres'
import { connectClient, connectRawClient, destroyClients, upgradeStatus, waitFor, waitForSynced } from './helpers'

const postgres = await postgresForTests()
const privatePostgres = privatePostgresForTests()
const databases: TestDatabase[] = []
const privateServers: PrivatePostgres[] = []
const clients: WebsocketProvider[] = []
let server: RunningServer | null = null

afterEach(async () => {
	destroyClients(...clients.splice(0))
	await server?.close()
	server = null
})
afterAll(async () => {
	for (const db of databases.splice(0)) await db.drop()
	for (const pg of privateServers.splice(0)) await pg.destroy()
})

/** A PostgreSQL server of this file alone, to stop and restart (destroyed after the file). */
async function startPrivatePostgres(): Promise<PrivatePostgres> {
	const pg = await privatePostgres.start()
	privateServers.push(pg)
	return pg
}

async function newDatabase(): Promise<TestDatabase> {
	const db = await postgres.createDatabase()
	databases.push(db)
	return db
}

/** The server on `databaseUrl`; `authenticate: 'role tokens'` is the real token check against the database. */
async function start(databaseUrl: string, authenticate: Authenticate | 'role tokens' = allowEveryoneAsParticipant): Promise<RunningServer & { wsUrl: string }> {
	const config = parseConfig({ PORT: '0', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ROOM_UNLOAD_DELAY_MS: '300' })
	server = await startServer(config, { logger: createLogger('silent'), authenticate: authenticate === 'role tokens' ? undefined : authenticate })
	return Object.assign(server, { wsUrl: `${server.url.replace('http', 'ws')}/sync` })
}

async function createBoard(url: string): Promise<string> {
	const response = await fetch(`${url}/api/boards`, { method: 'POST' })
	expect(response.status).toBe(201)
	return ((await response.json()) as { id: string }).id
}

/** A TCP port that refuses connections until open(), then forwards them to PostgreSQL. */
async function startGate(target: { host: string; port: number }) {
	let isOpen = false
	const sockets = new Set<net.Socket>()
	const gate = net.createServer((socket) => {
		if (!isOpen) {
			socket.destroy()
			return
		}
		const upstream = net.connect(target.port, target.host)
		sockets.add(socket).add(upstream)
		socket.pipe(upstream).pipe(socket)
		const end = () => {
			socket.destroy()
			upstream.destroy()
		}
		socket.on('error', end).on('close', end)
		upstream.on('error', end).on('close', end)
	})
	await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve))
	return {
		port: (gate.address() as net.AddressInfo).port,
		open: () => (isOpen = true),
		close: async () => {
			for (const socket of sockets) socket.destroy()
			await new Promise<void>((resolve) => gate.close(() => resolve()))
		},
	}
}

describe('DATABASE_URL', () => {
	it('a malformed DATABASE_URL stops the server at start, naming the variable and not echoing the value', () => {
		for (const bad of ['mysql://x@h/db', 'postgres://', 'not a url with secret-password']) {
			expect(() => parseConfig({ DATABASE_URL: bad })).toThrow(ConfigError)
			try {
				parseConfig({ DATABASE_URL: bad })
			} catch (error) {
				expect((error as Error).message).toContain('DATABASE_URL')
				expect((error as Error).message).not.toContain('secret-password')
			}
		}
		expect(parseConfig({ DATABASE_URL: 'postgresql://u:p@db.internal:5433/boards' }).databaseUrl).toBe('postgresql://u:p@db.internal:5433/boards')
		expect(parseConfig({}).databaseUrl).toBeNull()
	})
})

describe.skipIf(!postgres.available)(`server on PostgreSQL ${postgres.skipNote}`, () => {
	it('database down at start: /healthz live, /readyz 503 while retrying, then ready and storing', async () => {
		const db = await newDatabase()
		const gate = await startGate({ host: '127.0.0.1', port: 5432 })
		try {
			const gated = new URL(db.url)
			gated.port = String(gate.port)
			const running = await start(gated.toString())
			expect((await fetch(`${running.url}/healthz`)).status).toBe(200)
			const notReady = await fetch(`${running.url}${READY_PATH}`)
			expect(notReady.status).toBe(503)
			expect(await notReady.json()).toEqual({ ready: false, storage: 'postgres' })
			expect((await fetch(`${running.url}/api/boards`, { method: 'POST' })).status).toBeGreaterThanOrEqual(500)

			gate.open()
			await waitFor(async () => (await fetch(`${running.url}${READY_PATH}`)).status === 200, { timeoutMs: 15_000, message: 'never ready' })
			const boardId = await createBoard(running.url)
			const writer = connectClient(running.wsUrl, boardId)
			clients.push(writer)
			await waitForSynced(writer)
			writer.doc.getMap('records').set('stored', 'in postgres')
			await waitFor(async () => {
				const { rows } = await queryDb(db.url, 'SELECT COUNT(*)::int AS n FROM board_updates')
				return (rows[0] as { n: number }).n >= 2
			}, { message: 'update never reached PostgreSQL' })
		} finally {
			await server?.close()
			server = null
			await gate.close()
		}
	})

})

describe.skipIf(!privatePostgres.available)(`server on a PostgreSQL that is stopped and restarted ${privatePostgres.skipNote}`, () => {
	it('PostgreSQL stopped and restarted under load: 4503, clients keep edits, everything lands once it is back', async () => {
		const pg = await startPrivatePostgres()
		const db = { url: pg.url }
		const running = await start(db.url)
		await running.storageReady
		const boardId = await createBoard(running.url)
		const writer = connectClient(running.wsUrl, boardId)
		const peer = connectClient(running.wsUrl, boardId)
		clients.push(writer, peer)
		await Promise.all([waitForSynced(writer), waitForSynced(peer)])
		const closes: number[] = []
		writer.on('connection-close', (event) => {
			if (event) closes.push(event.code)
		})

		let written = 0
		const load = setInterval(() => writer.doc.getMap('records').set(`k${written++}`, written), 10)
		try {
			await waitFor(() => written >= 30)
			await pg.stop()
			try {
				await waitFor(() => closes.includes(CloseCode.storageUnavailable), { timeoutMs: 15_000, message: 'writer not closed with 4503' })
				await waitFor(() => written >= 150)
			} finally {
				await pg.restart()
			}
			await waitFor(() => written >= 250)
		} finally {
			clearInterval(load)
		}
		const expected = writer.doc.getMap('records').toJSON()
		const edits = (records: Record<string, unknown>) => Object.keys(records).filter((key) => /^k\d+$/.test(key)).length
		expect(edits(expected)).toBe(written)
		// A fresh client, after the writer reconnected and re-synced its kept edits, sees every edit.
		await waitFor(async () => {
			const reader = connectClient(running.wsUrl, boardId)
			try {
				await waitForSynced(reader, 2_000)
				return edits(reader.doc.getMap('records').toJSON()) === written
			} finally {
				destroyClients(reader)
			}
		}, { timeoutMs: 30_000, message: 'not every edit arrived after PostgreSQL came back' })
		// And they are durable: a new server process state (new pool) on the same database loads them all.
		await running.close()
		server = null
		const again = await start(db.url)
		await again.storageReady
		const reader = connectClient(again.wsUrl, boardId)
		clients.push(reader)
		await waitForSynced(reader)
		expect(reader.doc.getMap('records').toJSON()).toEqual(expected)
	})

	it('a socket opened while PostgreSQL is down is accepted and closed with 4503 (not HTTP 500); the same link works once it is back', async () => {
		const pg = await startPrivatePostgres()
		// The real role-token check: authenticating a socket reads the database.
		const running = await start(pg.url, 'role tokens')
		await running.storageReady
		const created = await fetch(`${running.url}/api/boards`, { method: 'POST' })
		expect(created.status).toBe(201)
		const body = (await created.json()) as { id: string; links: { participant: string } }
		const board = { id: body.id, tokens: { participant: new URL(body.links.participant).searchParams.get('token') ?? '' } }
		expect((await upgradeStatus(running.wsUrl, board.id, board.tokens.participant)).status).toBe(101)

		await pg.stop()
		try {
			for (const token of [board.tokens.participant, undefined]) {
				const attempt = await upgradeStatus(running.wsUrl, board.id, token)
				expect(attempt.status, 'the upgrade must be accepted, then closed as retryable').toBe(101)
				const raw = await connectRawClient(running.wsUrl, board.id, token === undefined ? {} : { params: { token } })
				expect(await raw.closed).toBe(CloseCode.storageUnavailable)
			}
		} finally {
			await pg.restart()
		}
		await waitFor(async () => (await upgradeStatus(running.wsUrl, board.id, board.tokens.participant)).status === 101, {
			timeoutMs: 15_000,
			message: 'the participant link never worked again after PostgreSQL came back',
		})
		const writer = connectClient(running.wsUrl, board.id, { params: { token: board.tokens.participant } })
		clients.push(writer)
		await waitForSynced(writer)
		// And a wrong token is still refused once the database answers: the 4503 was not a way around auth.
		expect((await upgradeStatus(running.wsUrl, board.id, 'not-a-real-token-0000000000000000')).status).toBe(401)
	})
})

async function queryDb(url: string, sql: string) {
	const { default: pg } = await import('pg')
	const client = new pg.Client({ connectionString: url })
	await client.connect()
	try {
		return await client.query(sql)
	} finally {
		await client.end()
	}
}
