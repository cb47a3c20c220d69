/**
 * HTTP security headers sent with every response of the app (built client,
 * /api, /healthz, errors). Applied once by the Router before any handler runs,
 * so a new route cannot forget them.
 *
 * The Content-Security-Policy is the tightest one tldraw 5 runs under
 * (checked in real Chromium by test/e2e/security.e2e.test.ts):
 * - script-src 'self': the Vite build has no inline script and tldraw needs
 *   neither eval nor new Function, so no 'unsafe-inline' / 'unsafe-eval'.
 * - style-src 'unsafe-inline': tldraw and React set style attributes and
 *   inject <style> elements at run time (canvas transforms, cursors, themes).
 * - img-src/media-src data: blob:: tldraw draws pasted images, exports and
 *   icons from data: and blob: URLs; the favicon is a data: URL.
 * - font-src 'self' data:: fonts are bundled from @tldraw/assets.
 * - connect-src 'self' + the request's own ws:/wss: origin: the sync socket
 *   (`/sync/<boardId>`) and fetch('/api/…'); data:/blob: for exports. No
 *   other host can be contacted, so a script that got in cannot exfiltrate.
 * - frame-ancestors 'none' (and X-Frame-Options DENY for old browsers): no
 *   clickjacking by embedding a board.
 *
 * Referrer-Policy no-referrer: board URLs carry role tokens (`?token=…`),
 * which must never leak to another site through the Referer header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** Directives that do not depend on the request. */
const STATIC_CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
	['default-src', "'self'"],
	['script-src', "'self'"],
	['style-src', "'self' 'unsafe-inline'"],
	['img-src', "'self' data: blob:"],
	['media-src', "'self' data: blob:"],
	['font-src', "'self' data:"],
	['worker-src', "'self' blob:"],
	['manifest-src', "'self'"],
	['object-src', "'none'"],
	['base-uri', "'none'"],
	['form-action', "'self'"],
	['frame-ancestors', "'none'"],
]

/**
 * A Host header we are willing to echo into connect-src: hostname or IPv4,
 * bracketed IPv6, optional port. Anything else (spaces, `;`, quotes) would
 * let a client inject directives, so it is left out and 'self' alone applies
 * (CSP Level 3 lets 'self' match ws:/wss: of the same host in current browsers).
 */
const SAFE_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/** The Content-Security-Policy for a request (connect-src names its own WebSocket origin). */
export function contentSecurityPolicy(host: string | undefined): string {
	const connectSources = ["'self'"]
	if (host !== undefined && SAFE_HOST.test(host)) connectSources.push(`ws://${host}`, `wss://${host}`)
	connectSources.push('data:', 'blob:')
	const directives = [...STATIC_CSP_DIRECTIVES, ['connect-src', connectSources.join(' ')] as const]
	return directives.map(([name, value]) => `${name} ${value}`).join('; ')
}

/** Headers other than the CSP, identical on every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'no-referrer',
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-resource-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
}

/**
 * Sets the security headers on `res` before a handler writes it. Handlers
 * that call writeHead() keep them (Node merges setHeader values into
 * writeHead), and may still override one deliberately.
 */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
	res.setHeader('content-security-policy', contentSecurityPolicy(req.headers.host))
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
}
