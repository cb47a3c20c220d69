/**
 * Reads a JSON request body with a size limit. The server never buffers more
 * than `limitBytes`: an oversized body (by Content-Length, or once the
 * streamed total passes the limit) is refused with 413 and the rest of it is
 * discarded unread, so the client still gets the answer instead of a reset
 * connection (http.Server's requestTimeout bounds how long that may take).
 */
import type { IncomingMessage } from 'node:http'

export type JsonBodyResult =
	| { ok: true; value: unknown }
	| { ok: false; status: 400 | 413 | 415; error: string; detail?: string }

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<JsonBodyResult> {
	const tooLarge: JsonBodyResult = { ok: false, status: 413, error: `request body larger than ${limitBytes} bytes` }
	const contentType = req.headers['content-type'] ?? ''
	if (!JSON_CONTENT_TYPE.test(contentType)) {
		req.resume()
		return Promise.resolve({ ok: false, status: 415, error: 'expected Content-Type: application/json' })
	}
	const declared = Number(req.headers['content-length'])
	if (Number.isFinite(declared) && declared > limitBytes) {
		req.resume()
		return Promise.resolve(tooLarge)
	}
	return new Promise((resolve) => {
		const chunks: Buffer[] = []
		let total = 0
		let overflowed = false
		const onData = (chunk: Buffer) => {
			if (overflowed) return
			total += chunk.byteLength
			if (total > limitBytes) {
				overflowed = true
				chunks.length = 0
				resolve(tooLarge)
				return
			}
			chunks.push(chunk)
		}
		const onEnd = () => {
			if (overflowed) return
			const text = Buffer.concat(chunks, total).toString('utf8')
			if (text.trim() === '') {
				resolve({ ok: false, status: 400, error: 'request body is empty' })
				return
			}
			try {
				resolve({ ok: true, value: JSON.parse(text) as unknown })
			} catch (error) {
				resolve({ ok: false, status: 400, error: 'request body is not valid JSON', detail: (error as Error).message })
			}
		}
		req.on('data', onData)
		req.once('end', onEnd)
		req.once('error', () => resolve({ ok: false, status: 400, error: 'request body could not be read' }))
	})
}
