/**
 * Role links against a real server process: refusals before any board data,
 * viewer writes dropped, rotation, open (pre-token) boards and the CLI, and
 * no token in the server's output.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/protocol'
import {
	REPO_ROOT,
	connectClient,
	connectRawClient,
	connectSessionClient,
	destroyClients,
	makeTempDir,
	removeDir,
	startServerProcess,
	storageEnvFor,
	upgradeStatus,
	waitFor,
	waitForSynced,
	type ServerProcess,
} from './helpers'

const run = promisify(execFile)

interface Created {
	id: string
	links: Record<'facilitator' | 'participant' | 'viewer', string>
	tokens: Record<'facilitator' | 'participant' | 'viewer', string>
}

describe('role tokens', () => {
	let dataDir: string
	let server: ServerProcess
	const providers: WebsocketProvider[] = []
	const allTokens: string[] = []

	const createBoard = async (): Promise<Created> => {
		const response = await fetch(`${server.url}/api/boards`, { method: 'POST' })
		expect(response.status).toBe(201)
		const body = (await response.json()) as Omit<Created, 'tokens'>
		const token = (link: string) => new URL(link).searchParams.get('token') ?? ''
		const tokens = { facilitator: token(body.links.facilitator), participant: token(body.links.participant), viewer: token(body.links.viewer) }
		allTokens.push(...Object.values(tokens))
		return { ...body, tokens }
	}
	const provider = (boardId: string, token?: string, doc = new Y.Doc()) => {
		const p = connectClient(server.wsUrl, boardId, { doc, params: token ? { token } : undefined })
		providers.push(p)
		return p
	}

	beforeAll(async () => {
		dataDir = await makeTempDir()
		// debug: the most verbose output, so "no token in logs" checks every line the server can write.
		server = await startServerProcess({ boards: ['legacy-board-0001'], dataDir, env: { LOG_LEVEL: 'debug', ROOM_UNLOAD_DELAY_MS: '100' } })
	})

	afterAll(async () => {
		destroyClients(...providers)
		await server?.stop()
		if (dataDir) await removeDir(dataDir)
	})

	it('new boards get three distinct ≥128-bit tokens; the upgrade refuses no, unknown and foreign tokens before any data', async () => {
		const a = await createBoard()
		const b = await createBoard()
		for (const token of Object.values(a.tokens)) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/) // 256 bits
		expect(new Set(Object.values(a.tokens)).size).toBe(3)

		expect(await upgradeStatus(server.wsUrl, a.id)).toEqual({ status: 401, bytesBeforeClose: 0 })
		expect(await upgradeStatus(server.wsUrl, a.id, 'x'.repeat(43))).toEqual({ status: 401, bytesBeforeClose: 0 })
		expect(await upgradeStatus(server.wsUrl, a.id, 'short')).toEqual({ status: 401, bytesBeforeClose: 0 })
		expect(await upgradeStatus(server.wsUrl, a.id, b.tokens.facilitator)).toEqual({ status: 403, bytesBeforeClose: 0 })
		for (const token of Object.values(a.tokens)) expect((await upgradeStatus(server.wsUrl, a.id, token)).status).toBe(101)

		// The API takes the same tokens (Bearer or ?token=).
		const session = (headers: Record<string, string>, query = '') => fetch(`${server.url}/api/boards/${a.id}/session${query}`, { headers })
		expect((await session({})).status).toBe(401)
		expect((await session({ authorization: `Bearer ${b.tokens.viewer}` })).status).toBe(403)
		expect((await session({ authorization: `Bearer ${a.tokens.viewer}` })).status).toBe(200)
		expect((await session({}, `?token=${a.tokens.participant}`)).status).toBe(200)
		const exportNoToken = await fetch(`${server.url}/api/boards/${a.id}/export.json`)
		expect(exportNoToken.status).toBe(401)
	})

	it('the role is attached to the connection: join reports it', async () => {
		const board = await createBoard()
		for (const role of ['facilitator', 'participant', 'viewer'] as const) {
			const client = await connectSessionClient(server.wsUrl, board.id, { token: board.tokens[role] })
			const joined = await client.join(`${role}-0001`, role)
			expect(joined.ok && (joined.result as { role: string }).role).toBe(role)
			client.close()
		}
	})

	it('a viewer with a real viewer token: its writes are never applied, relayed or stored; its cursor is shown', async () => {
		const board = await createBoard()
		const participant = provider(board.id, board.tokens.participant)
		const viewer = provider(board.id, board.tokens.viewer)
		await Promise.all([waitForSynced(participant), waitForSynced(viewer)])
		participant.doc.getMap('records').set('from-participant', 1)
		await waitFor(() => viewer.doc.getMap('records').get('from-participant') === 1, { message: 'viewer receives the board' })

		viewer.doc.getMap('records').set('from-viewer', 1)
		viewer.awareness.setLocalStateField('user', { id: 'viewer-1', name: 'Viewer', color: '#000' })
		await waitFor(() => [...participant.awareness.getStates().values()].some((s) => (s.user as { id?: string } | undefined)?.id === 'viewer-1'), {
			message: 'viewer awareness relayed',
		})
		participant.doc.getMap('records').set('after', 1)
		await waitFor(() => viewer.doc.getMap('records').get('after') === 1)
		expect(participant.doc.getMap('records').has('from-viewer')).toBe(false)

		// Storage: after the room unloads and reloads, a fresh client has no trace of it.
		destroyClients(participant, viewer)
		await new Promise((resolve) => setTimeout(resolve, 600))
		const fresh = provider(board.id, board.tokens.facilitator)
		await waitForSynced(fresh)
		expect(fresh.doc.getMap('records').get('after')).toBe(1)
		expect(fresh.doc.getMap('records').has('from-viewer')).toBe(false)
	})

	it('rotation: facilitator only; the old token is refused at once and its holders are disconnected with 4401', async () => {
		const board = await createBoard()
		const holder = await connectRawClient(server.wsUrl, board.id, { params: { token: board.tokens.participant } })
		const facilitatorConn = await connectRawClient(server.wsUrl, board.id, { params: { token: board.tokens.facilitator } })
		const rotate = (token: string, role: string) =>
			fetch(`${server.url}/api/boards/${board.id}/links/rotate`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ role }),
			})
		expect((await rotate(board.tokens.participant, 'participant')).status).toBe(403)
		expect((await rotate(board.tokens.viewer, 'viewer')).status).toBe(403)
		expect(holder.closeCode()).toBeNull()

		const response = await rotate(board.tokens.facilitator, 'participant')
		expect(response.status).toBe(200)
		const body = (await response.json()) as { role: string; token: string; url: string }
		allTokens.push(body.token)
		expect(body.role).toBe('participant')
		expect(body.url).toBe(`${server.url}/b/${board.id}?token=${body.token}`)
		expect(await holder.closed).toBe(CloseCode.unauthorized)
		expect(facilitatorConn.closeCode()).toBeNull() // other roles' holders stay
		expect((await upgradeStatus(server.wsUrl, board.id, board.tokens.participant)).status).toBe(401)
		expect((await upgradeStatus(server.wsUrl, board.id, body.token)).status).toBe(101)
		facilitatorConn.close()
	})

	it('rotation through the CLI on the same DATA_DIR also disconnects the holders of the old link (within the 2 s recheck)', async () => {
		const board = await createBoard()
		const holder = await connectRawClient(server.wsUrl, board.id, { params: { token: board.tokens.participant } })
		const facilitatorConn = await connectRawClient(server.wsUrl, board.id, { params: { token: board.tokens.facilitator } })
		const rotatedAt = Date.now()
		const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/board-admin.ts', 'rotate', board.id, 'participant', '--origin', server.url], {
			cwd: REPO_ROOT,
			env: { ...process.env, ...(await storageEnvFor(dataDir)), DATA_DIR: dataDir },
		})
		const newToken = new URL(/^participant:\s+(\S+)$/m.exec(stdout)?.[1] ?? 'http://x').searchParams.get('token') ?? ''
		allTokens.push(newToken)
		expect(await holder.closed).toBe(CloseCode.unauthorized)
		expect(Date.now() - rotatedAt).toBeLessThan(8_000)
		expect(facilitatorConn.closeCode()).toBeNull()
		expect((await upgradeStatus(server.wsUrl, board.id, board.tokens.participant)).status).toBe(401)
		expect((await upgradeStatus(server.wsUrl, board.id, newToken)).status).toBe(101)
		facilitatorConn.close()
	})

	it('an open board (created before role links) admits participants, has no facilitator, until board-admin claims it', async () => {
		// An open board as sockets created them before boards had to be created first (seeded at start).
		const boardId = 'legacy-board-0001'
		const legacy = provider(boardId)
		await waitForSynced(legacy)
		const onOpenBoard = await connectRawClient(server.wsUrl, boardId)
		const client = await connectSessionClient(server.wsUrl, boardId)
		const joined = await client.join('legacy-user-1', 'Legacy')
		expect(joined.ok && (joined.result as { role: string; state: { claimed: boolean } }).role).toBe('participant')
		expect(joined.ok && (joined.result as { state: { claimed: boolean } }).state.claimed).toBe(false)
		const refused = await client.request({ type: 'timer.set', durationMs: 1000 })
		expect(!refused.ok && refused.error.code).toBe('forbidden')
		client.close()

		const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/board-admin.ts', 'claim', boardId, '--origin', server.url], {
			cwd: REPO_ROOT,
			env: { ...process.env, ...(await storageEnvFor(dataDir)), DATA_DIR: dataDir },
		})
		const links = Object.fromEntries([...stdout.matchAll(/^(facilitator|participant|viewer):\s+(\S+)$/gm)].map((m) => [m[1], m[2]]))
		expect(Object.keys(links).sort()).toEqual(['facilitator', 'participant', 'viewer'])
		const token = new URL(links.facilitator).searchParams.get('token') ?? ''
		allTokens.push(...Object.values(links).map((link) => new URL(link).searchParams.get('token') ?? ''))
		expect((await upgradeStatus(server.wsUrl, boardId)).status).toBe(401)
		expect((await upgradeStatus(server.wsUrl, boardId, token)).status).toBe(101)
		// Whoever was on the open board now needs a link: the server closes them within its recheck.
		expect(await onOpenBoard.closed).toBe(CloseCode.unauthorized)
		const again = await run(process.execPath, ['--import', 'tsx', 'scripts/board-admin.ts', 'claim', boardId], {
			cwd: REPO_ROOT,
			env: { ...process.env, ...(await storageEnvFor(dataDir)), DATA_DIR: dataDir },
		}).catch((error: { code: number; stderr: string }) => error)
		expect((again as { code: number }).code).toBe(1)
	})

	it('no token ever appears in the server output', async () => {
		expect(allTokens.length).toBeGreaterThan(10)
		const output = server.output()
		expect(output).toContain('conn.open') // debug/info lines were captured
		for (const token of allTokens) expect(output).not.toContain(token)
	})
})
