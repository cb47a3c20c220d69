/**
 * Guarantee 7, HTTP part (docs/reliability.md): every response of the app —
 * the built client, the SPA fallback, hashed assets, /healthz, the API and
 * error answers — carries the security headers of server/http/securityHeaders.ts.
 * That the CSP still lets tldraw run is checked in real Chromium by
 * test/e2e/security.e2e.test.ts.
 */
import fs from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeDir, startServerProcess, type ServerProcess } from './helpers'

let server: ServerProcess
let dataDir: string
let distDir: string

beforeAll(async () => {
	dataDir = await makeTempDir()
	// A stand-in for dist/ so this test needs no client build.
	distDir = await makeTempDir('workshop-board-dist-')
	await fs.mkdir(path.join(distDir, 'assets'))
	await fs.writeFile(path.join(distDir, 'index.html'), '<!doctype html><script type="module" src="/assets/app-abc123.js"></script>')
	await fs.writeFile(path.join(distDir, 'assets', 'app-abc123.js'), 'console.log("app")')
	server = await startServerProcess({ dataDir, env: { CLIENT_DIST_DIR: distDir, LOG_LEVEL: 'error' } })
})
afterAll(async () => {
	await server?.kill('SIGKILL')
	await removeDir(dataDir)
	await removeDir(distDir)
})

/** Parses a CSP header into directive → sources. */
function parseCsp(header: string | null): Map<string, string[]> {
	const directives = new Map<string, string[]>()
	for (const part of (header ?? '').split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/)
		if (name) directives.set(name, sources)
	}
	return directives
}

/** A raw GET with a chosen Host header (fetch cannot set one). */
function getWithHost(host: string, pathname: string): Promise<http.IncomingHttpHeaders> {
	return new Promise((resolve, reject) => {
		const request = http.get({ host: '127.0.0.1', port: server.port, path: pathname, headers: { host } }, (response) => {
			response.resume()
			resolve(response.headers)
		})
		request.on('error', reject)
	})
}

describe('HTTP security headers', () => {
	it('are on every response: client, SPA fallback, assets, health, API, errors', async () => {
		const requests: Array<[string, RequestInit | undefined, number]> = [
			['/', undefined, 200],
			['/b/some-board-id', undefined, 200],
			['/assets/app-abc123.js', undefined, 200],
			['/healthz', undefined, 200],
			['/missing.txt', undefined, 404],
			['/api/boards/unknown-board-id/export.json', undefined, 404],
			['/api/boards', { method: 'POST', body: 'not json', headers: { 'content-type': 'text/plain' } }, 415],
			['/healthz', { method: 'DELETE' }, 405],
		]
		for (const [pathname, init, status] of requests) {
			const response = await fetch(`${server.url}${pathname}`, init)
			await response.arrayBuffer()
			const where = `${init?.method ?? 'GET'} ${pathname}`
			expect(response.status, where).toBe(status)
			expect(response.headers.get('x-content-type-options'), where).toBe('nosniff')
			expect(response.headers.get('x-frame-options'), where).toBe('DENY')
			expect(response.headers.get('referrer-policy'), where).toBe('no-referrer')
			expect(response.headers.get('cross-origin-opener-policy'), where).toBe('same-origin')
			expect(parseCsp(response.headers.get('content-security-policy')).get('frame-ancestors'), where).toEqual(["'none'"])
		}
	})

	it('CSP: scripts only from self (no inline, no eval), sockets only to this host, no plugins, no <base>', async () => {
		const response = await fetch(`${server.url}/b/some-board-id`)
		await response.arrayBuffer()
		const csp = parseCsp(response.headers.get('content-security-policy'))
		expect(csp.get('default-src')).toEqual(["'self'"])
		expect(csp.get('script-src')).toEqual(["'self'"])
		expect(csp.get('object-src')).toEqual(["'none'"])
		expect(csp.get('base-uri')).toEqual(["'none'"])
		const host = new URL(server.url).host
		expect(csp.get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`, 'data:', 'blob:'])
		for (const [directive, sources] of csp) {
			expect(sources, directive).not.toContain('*')
			expect(sources, directive).not.toContain("'unsafe-eval'")
			if (directive !== 'style-src') expect(sources, directive).not.toContain("'unsafe-inline'")
		}
	})

	it('a hostile Host header cannot inject CSP sources', async () => {
		const headers = await getWithHost('evil.example; script-src *', '/')
		const csp = String(headers['content-security-policy'])
		expect(csp).not.toContain('evil.example')
		expect(parseCsp(csp).get('script-src')).toEqual(["'self'"])
		expect(parseCsp(csp).get('connect-src')).toEqual(["'self'", 'data:', 'blob:'])
	})
})
