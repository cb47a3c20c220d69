/**
 * A minimal HTTP router. Features register routes with path patterns whose
 * `:name` segments become params, e.g.
 *
 *   router.get('/api/boards/:id/export.json', (req, res, { params }) => …)
 *
 * Segments match literally otherwise; `:name` matches one non-empty segment
 * (a segment may mix text and a param, like `:id.json`). The first matching
 * route wins; unmatched requests go to the fallback. Every response carries
 * the security headers of ./securityHeaders.ts (CSP, nosniff, no framing,
 * no referrer).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { describeError, type Logger } from '../logger'
import { applySecurityHeaders } from './securityHeaders'

export interface RouteContext {
	params: Record<string, string>
	url: URL
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, context: RouteContext) => void | Promise<void>

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

interface Route {
	method: Method
	pattern: string
	regex: RegExp
	paramNames: string[]
	handler: RouteHandler
}

function compilePattern(pattern: string): { regex: RegExp; paramNames: string[] } {
	if (!pattern.startsWith('/')) throw new Error(`route pattern must start with '/': ${pattern}`)
	const paramNames: string[] = []
	const source = pattern
		.split('/')
		.map((segment) =>
			segment.replace(/:([A-Za-z_][A-Za-z0-9_]*)|([^:]+)/g, (_match, name: string | undefined, literal: string | undefined) => {
				if (name) {
					paramNames.push(name)
					return '([^/]+?)'
				}
				return (literal ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
			}),
		)
		.join('/')
	return { regex: new RegExp(`^${source}$`), paramNames }
}

export class Router {
	private readonly routes: Route[] = []
	private fallback: RouteHandler = (_req, res) => sendText(res, 404, 'not found')

	constructor(private readonly logger: Logger) {}

	/** GET routes also answer HEAD (Node drops the body for HEAD responses). */
	get(pattern: string, handler: RouteHandler): this {
		return this.add('GET', pattern, handler)
	}

	post(pattern: string, handler: RouteHandler): this {
		return this.add('POST', pattern, handler)
	}

	put(pattern: string, handler: RouteHandler): this {
		return this.add('PUT', pattern, handler)
	}

	patch(pattern: string, handler: RouteHandler): this {
		return this.add('PATCH', pattern, handler)
	}

	delete(pattern: string, handler: RouteHandler): this {
		return this.add('DELETE', pattern, handler)
	}

	add(method: Method, pattern: string, handler: RouteHandler): this {
		this.routes.push({ method, pattern, handler, ...compilePattern(pattern) })
		return this
	}

	/** Handler for requests no route matches (static files). */
	setFallback(handler: RouteHandler): this {
		this.fallback = handler
		return this
	}

	/** The http server's `request` listener. Handler errors become a 500, never a crash. */
	readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
		// Every response, including errors and the static client, carries them.
		applySecurityHeaders(req, res)
		let url: URL
		try {
			url = new URL(req.url ?? '/', 'http://localhost')
		} catch {
			sendText(res, 400, 'bad request')
			return
		}
		const method = req.method === 'HEAD' ? 'GET' : req.method
		let handler = this.fallback
		let params: Record<string, string> = {}
		let methodMismatch = false
		for (const route of this.routes) {
			const match = route.regex.exec(url.pathname)
			if (!match) continue
			if (route.method !== method) {
				methodMismatch = true
				continue
			}
			handler = route.handler
			params = Object.fromEntries(route.paramNames.map((name, i) => [name, safeDecode(match[i + 1])]))
			methodMismatch = false
			break
		}
		if (methodMismatch) {
			sendText(res, 405, 'method not allowed')
			return
		}
		Promise.resolve()
			.then(() => handler(req, res, { params, url }))
			.catch((error: unknown) => {
				this.logger.error('http.handler_failed', { method: req.method, path: url.pathname, error: describeError(error) })
				if (!res.headersSent) sendText(res, 500, 'internal server error')
				else res.destroy()
			})
	}
}

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value)
	} catch {
		return value
	}
}

export function sendText(res: ServerResponse, status: number, text: string): void {
	res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) })
	res.end(text)
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body)
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
	})
	res.end(text)
}
