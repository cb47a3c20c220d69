/**
 * Serves the built client (`dist/`): index.html for `/` and, as the SPA
 * fallback, for `/b/<boardId>`; other files by extension. Requests can never
 * leave the dist directory.
 */
import fs from 'node:fs'
import type { ServerResponse } from 'node:http'
import path from 'node:path'
import { BOARD_PATH_PREFIX } from '../../shared/protocol'
import type { RouteHandler } from './router'
import { sendText } from './router'

const CONTENT_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.ico': 'image/x-icon',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.ttf': 'font/ttf',
	'.wasm': 'application/wasm',
	'.txt': 'text/plain; charset=utf-8',
	'.webmanifest': 'application/manifest+json',
}

/** Vite puts content-hashed files under assets/: they never change, cache them for a year. */
const HASHED_ASSET_DIR = 'assets'

export const CLIENT_NOT_BUILT_MESSAGE = 'client not built: run npm run build'

export function createStaticFilesHandler(distDir: string): RouteHandler {
	const root = path.resolve(distDir)
	const indexFile = path.join(root, 'index.html')

	return async (_req, res, { url }) => {
		let pathname: string
		try {
			pathname = decodeURIComponent(url.pathname)
		} catch {
			sendText(res, 400, 'bad request')
			return
		}
		if (pathname.includes('\0')) {
			sendText(res, 400, 'bad request')
			return
		}
		const isAppPage = pathname === '/' || pathname === '/index.html' || pathname.startsWith(BOARD_PATH_PREFIX)
		if (isAppPage) {
			if (!(await isFile(indexFile))) {
				sendText(res, 503, CLIENT_NOT_BUILT_MESSAGE)
				return
			}
			await sendFile(res, indexFile, 'no-cache')
			return
		}
		// Resolve inside the root and verify: `..` segments (raw or %2e%2e-encoded) cannot escape.
		const filePath = path.resolve(root, `.${path.posix.normalize(pathname)}`)
		if (!filePath.startsWith(root + path.sep) || !(await isFile(filePath))) {
			sendText(res, 404, 'not found')
			return
		}
		const relative = path.relative(root, filePath).split(path.sep)
		const cacheControl = relative[0] === HASHED_ASSET_DIR ? 'public, max-age=31536000, immutable' : 'no-cache'
		await sendFile(res, filePath, cacheControl)
	}
}

async function isFile(filePath: string): Promise<boolean> {
	try {
		return (await fs.promises.stat(filePath)).isFile()
	} catch {
		return false
	}
}

async function sendFile(res: ServerResponse, filePath: string, cacheControl: string): Promise<void> {
	const body = await fs.promises.readFile(filePath)
	res.writeHead(200, {
		'content-type': CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream',
		'content-length': body.byteLength,
		'cache-control': cacheControl,
		'x-content-type-options': 'nosniff',
	})
	res.end(body)
}
