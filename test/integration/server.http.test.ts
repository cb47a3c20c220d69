/**
 * HTTP: static client serving, SPA fallback, traversal protection, health,
 * and the router features register routes on.
 */
import fs from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../server/app'
import { parseConfig } from '../../server/config'
import { createLogger } from '../../server/logger'
import { sendJson } from '../../server/http/router'
import { makeTempDir, removeDir, startServerProcess, storageEnvFor, type ServerProcess } from './helpers'

/** GET with the path sent verbatim (fetch would normalise `..` away). */
function rawGet(port: number, rawPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
			let body = ''
			res.setEncoding('utf8')
			res.on('data', (chunk: string) => (body += chunk))
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
		})
		req.on('error', reject)
		req.end()
	})
}

describe('static client and health (server process)', () => {
	let server: ServerProcess
	let dataDir: string
	let distDir: string

	beforeAll(async () => {
		dataDir = await makeTempDir()
		distDir = await makeTempDir('workshop-board-dist-')
		await fs.mkdir(path.join(distDir, 'assets'))
		await fs.writeFile(path.join(distDir, 'index.html'), '<!doctype html><title>Workshop Board test</title>')
		await fs.writeFile(path.join(distDir, 'assets', 'index-abc123.js'), 'console.log(1)')
		await fs.writeFile(path.join(distDir, 'assets', 'index-abc123.css'), 'body{}')
		await fs.writeFile(path.join(distDir, 'assets', 'font-def456.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]))
		await fs.writeFile(path.join(distDir, 'assets', 'module-aa11.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]))
		await fs.writeFile(path.join(distDir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
		await fs.writeFile(path.join(distDir, 'manifest.json'), '{"name":"wb"}')
		server = await startServerProcess({ dataDir, env: { CLIENT_DIST_DIR: distDir } })
	})
	afterAll(async () => {
		await server.kill('SIGKILL')
		await removeDir(dataDir)
		await removeDir(distDir)
	})

	it('serves index.html for / and as SPA fallback for /b/<boardId>', async () => {
		for (const url of ['/', '/b/some-board-id', '/b/some-board-id?x=1']) {
			const res = await fetch(`${server.url}${url}`)
			expect(res.status, url).toBe(200)
			expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
			expect(res.headers.get('cache-control')).toBe('no-cache')
			expect(await res.text()).toContain('Workshop Board test')
		}
	})

	it('serves files with the right content types and caches hashed assets for a year', async () => {
		const expectations: Array<[string, string, string]> = [
			['/assets/index-abc123.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
			['/assets/index-abc123.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
			['/assets/font-def456.woff2', 'font/woff2', 'public, max-age=31536000, immutable'],
			['/assets/module-aa11.wasm', 'application/wasm', 'public, max-age=31536000, immutable'],
			['/icon.svg', 'image/svg+xml', 'no-cache'],
			['/manifest.json', 'application/json; charset=utf-8', 'no-cache'],
		]
		for (const [url, type, cache] of expectations) {
			const res = await fetch(`${server.url}${url}`)
			expect(res.status, url).toBe(200)
			expect(res.headers.get('content-type'), url).toBe(type)
			expect(res.headers.get('cache-control'), url).toBe(cache)
		}
		expect(await (await fetch(`${server.url}/assets/index-abc123.js`)).text()).toBe('console.log(1)')
	})

	it('answers 404 for missing files and never leaves the dist directory', async () => {
		expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404)
		expect((await fetch(`${server.url}/assets`)).status).toBe(404)
		for (const rawPath of ['/../package.json', '/%2e%2e/package.json', '/assets/../../package.json', '/..%2fpackage.json', '/%2e%2e%2f%2e%2e%2fetc/passwd']) {
			const res = await rawGet(server.port, rawPath)
			expect(res.status, rawPath).toBe(404)
			expect(res.body, rawPath).not.toContain('workshop-board')
		}
	})

	it('reports loaded rooms and open sockets on /healthz', async () => {
		const res = await fetch(`${server.url}/healthz`)
		expect(res.status).toBe(200)
		expect(res.headers.get('content-type')).toContain('application/json')
		expect(await res.json()).toEqual({ ok: true, rooms: 0, connections: 0 })
	})
})

describe('in-process server', () => {
	let running: RunningServer
	let dataDir: string

	beforeAll(async () => {
		dataDir = await makeTempDir()
		const config = parseConfig({ PORT: '0', DATA_DIR: dataDir, CLIENT_DIST_DIR: path.join(dataDir, 'no-dist-here'), ...(await storageEnvFor(dataDir)) })
		running = await startServer(config, {
			logger: createLogger('silent'),
			registerRoutes(router) {
				router.get('/api/test-routes/:id/item.json', (_req, res, { params }) => sendJson(res, 200, { board: params.id }))
				router.get('/api/fail', () => {
					throw new Error('handler bug')
				})
			},
		})
	})
	afterAll(async () => {
		await running.close()
		await removeDir(dataDir)
	})

	it('answers 503 with a clear message when the client is not built', async () => {
		for (const url of ['/', '/b/some-board-id']) {
			const res = await fetch(`${running.url}${url}`)
			expect(res.status).toBe(503)
			expect(await res.text()).toBe('client not built: run npm run build')
		}
	})

	it('routes registered patterns with params; other methods get 405, handler errors 500', async () => {
		const ok = await fetch(`${running.url}/api/test-routes/abc_123-XY/item.json`)
		expect(ok.status).toBe(200)
		expect(await ok.json()).toEqual({ board: 'abc_123-XY' })
		expect((await fetch(`${running.url}/api/test-routes/abc/item.jsonx`)).status).toBe(404)
		expect((await fetch(`${running.url}/api/test-routes/abc/item.json`, { method: 'POST' })).status).toBe(405)
		expect((await fetch(`${running.url}/api/fail`)).status).toBe(500)
		expect((await fetch(`${running.url}/healthz`)).status).toBe(200)
	})
})
