/**
 * Cluster configuration (issue #12): REDIS_URL needs a shared store, so the
 * server refuses to start with Redis but SQLite, naming both variables;
 * BOARD_LEASE_MS defaults to 5 s and bad values are refused. No Redis needed.
 */
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../server/config'
import { REPO_ROOT } from './helpers'

describe('cluster configuration', () => {
	it('defaults: no REDIS_URL is one process; BOARD_LEASE_MS 5000 and prefix wb:', () => {
		const config = parseConfig({})
		expect(config.redisUrl).toBeNull()
		expect(config.boardLeaseMs).toBe(5000)
		expect(config.redisKeyPrefix).toBe('wb:')
		const clustered = parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://u@h/db', BOARD_LEASE_MS: '2000' })
		expect(clustered).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', boardLeaseMs: 2000 })
	})

	it('refuses REDIS_URL with SQLite, and bad Redis values, naming the variables', () => {
		expect(() => parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL: needs DATABASE_URL/)
		expect(() => parseConfig({ REDIS_URL: 'http://x', DATABASE_URL: 'postgres://u@h/db' })).toThrow(ConfigError)
		expect(() => parseConfig({ BOARD_LEASE_MS: '5s' })).toThrow(/BOARD_LEASE_MS/)
		expect(() => parseConfig({ BOARD_LEASE_MS: '100' })).toThrow(/BOARD_LEASE_MS/)
	})

	it('the server process exits 1 at start with the message when REDIS_URL is set without DATABASE_URL', async () => {
		const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: 'redis://127.0.0.1:6379', PORT: '0' }
		delete env.DATABASE_URL
		const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
		let output = ''
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
		const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
		expect(code).toBe(1)
		expect(output).toMatch(/REDIS_URL: needs DATABASE_URL/)
		expect(output).not.toMatch(/listening/)
	})
})
