/**
 * Every boards API route passes through the one `authorize` call point, which
 * asks the server's Authenticate hook for board-scoped actions (in-process server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IncomingMessage } from 'node:http'
import { startServer, type RunningServer } from '../../server/app'
import type { Authenticate } from '../../server/auth'
import { parseConfig } from '../../server/config'
import { createLogger } from '../../server/logger'
import { makeTempDir, removeDir, storageEnvFor } from './helpers'

/** Role from the `x-test-role` header; 'none' → null (401); 'other-board' → throws a 403 refusal. */
const headerAuth: Authenticate = async (request: IncomingMessage) => {
	const role = request.headers['x-test-role']
	if (role === 'other-board') throw Object.assign(new Error('forbidden'), { status: 403 })
	if (role === 'viewer' || role === 'participant' || role === 'facilitator') return { role }
	return null
}

describe('boards API authorization', () => {
	let dataDir: string
	let server: RunningServer

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServer(parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(await storageEnvFor(dataDir)) }), {
			authenticate: headerAuth,
			logger: createLogger('silent'),
		})
	})

	afterAll(async () => {
		await server?.close()
		if (dataDir) await removeDir(dataDir)
	})

	it('creating is open; exporting asks the hook: 401 without a role, 403 when refused, 200 for a viewer', async () => {
		const created = await fetch(`${server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"template":"retro"}' })
		expect(created.status).toBe(201)
		const { id } = (await created.json()) as { id: string }
		const exportAs = (role?: string) => fetch(`${server.url}/api/boards/${id}/export.json`, { headers: role ? { 'x-test-role': role } : {} })

		const anonymous = await exportAs()
		expect(anonymous.status).toBe(401)
		expect(await anonymous.json()).toEqual({ error: 'unauthorized' })
		const otherBoard = await exportAs('other-board')
		expect(otherBoard.status).toBe(403)
		expect(await otherBoard.json()).toEqual({ error: 'forbidden' })
		const viewer = await exportAs('viewer')
		expect(viewer.status).toBe(200)
		expect(((await viewer.json()) as { board: { title: string } }).board.title).toBe('Retrospective')
	})
})

describe('BOARD_CREATION=admin', () => {
	const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef'
	let dataDir: string
	let server: RunningServer

	beforeAll(async () => {
		dataDir = await makeTempDir()
		const config = parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', BOARD_CREATION: 'admin', ADMIN_TOKEN, ...(await storageEnvFor(dataDir)) })
		server = await startServer(config, { authenticate: headerAuth, logger: createLogger('silent') })
	})

	afterAll(async () => {
		await server?.close()
		if (dataDir) await removeDir(dataDir)
	})

	it('creating and importing need the admin token: 401 without, 403 with a wrong one, 201 with it', async () => {
		const create = (authorization?: string) =>
			fetch(`${server.url}/api/boards`, { method: 'POST', headers: authorization ? { authorization } : {} })
		expect((await create()).status).toBe(401)
		expect((await create('Bearer wrong-token')).status).toBe(403)
		expect((await create(`Bearer ${ADMIN_TOKEN}`)).status).toBe(201)
		const importWithout = await fetch(`${server.url}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
		expect(importWithout.status).toBe(401)
	})

	it('admin mode without ADMIN_TOKEN stops the server at start, naming the variable', () => {
		expect(() => parseConfig({ BOARD_CREATION: 'admin' })).toThrow(/ADMIN_TOKEN: is required when BOARD_CREATION=admin/)
		expect(() => parseConfig({ BOARD_CREATION: 'everyone' })).toThrow(/BOARD_CREATION/)
	})
})
