/**
 * The contributor link over HTTP (#13 item 6, docs/sessions.md §11):
 *
 * | route | answer |
 * |---|---|
 * | GET /c/:boardId?token= | the contributor page: plain HTML + one script, no canvas, no tldraw, no board data |
 * | GET /api/contribute.js | that page's script |
 * | GET /api/boards/:id/contribute?token= | 200 `{ open: true }`; 404 when the board is unknown or the link closed / rotated |
 * | POST /api/boards/:id/contribute | JSON `{ token, kind: 'insight' \| 'idea', text, name? }` → 201 `{ ok: true }`; 400 invalid (markup, size, empty), 404 closed link, 413 > 8 KiB, 415 not JSON, 429 rate limited (Retry-After) |
 *
 * The link is a token the facilitator opens, rotates or closes on the
 * session channel; it grants nothing but this: no read access to the board,
 * no socket. Rate limits, all before the board is even loaded: requests per
 * link (30/min) and per connection (client address, 30/min), and valid notes
 * per connection (5/min).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { BoardIdSchema, type BoardId } from '../../shared/boardId'
import {
	CONTRIBUTION_ATTEMPTS_PER_CONNECTION_PER_MINUTE,
	CONTRIBUTIONS_PER_CONNECTION_PER_MINUTE,
	CONTRIBUTIONS_PER_LINK_PER_MINUTE,
	ContributionSchema,
	MAX_CONTRIBUTION_TEXT,
	MAX_CONTRIBUTOR_NAME,
	type Contribution,
} from '../../shared/contributor/contribution'
import { sendJson, type Router } from '../http/router'
import { describeError, type Logger } from '../logger'

export interface ContributorApiContext {
	contribute(boardId: BoardId, token: string, contribution: Contribution): Promise<{ ok: boolean }>
	linkOpen(boardId: BoardId, token: string): Promise<boolean>
	logger: Logger
	now?: () => number
}

const BODY_LIMIT = 8 * 1024
const WINDOW_MS = 60_000
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/u

/** Fixed one-minute windows per key; old windows are dropped as they pass. */
export class MinuteRateLimiter {
	private readonly counts = new Map<string, { windowStart: number; count: number }>()
	constructor(
		private readonly limit: number,
		private readonly now: () => number,
	) {}

	/** Counts one attempt; returns the seconds to wait when over the limit, else 0. */
	take(key: string): number {
		const now = this.now()
		if (this.counts.size > 10_000) for (const [k, v] of this.counts) if (now - v.windowStart >= WINDOW_MS) this.counts.delete(k)
		const entry = this.counts.get(key)
		if (!entry || now - entry.windowStart >= WINDOW_MS) {
			this.counts.set(key, { windowStart: now, count: 1 })
			return 0
		}
		if (entry.count >= this.limit) return Math.max(1, Math.ceil((entry.windowStart + WINDOW_MS - now) / 1000))
		entry.count += 1
		return 0
	}
}

async function readBody(req: IncomingMessage): Promise<string> {
	let size = 0
	const chunks: Buffer[] = []
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.byteLength
		if (size > BODY_LIMIT) throw new RangeError('body too large')
		chunks.push(chunk)
	}
	return Buffer.concat(chunks).toString('utf8')
}

function clientAddress(req: IncomingMessage): string {
	return req.socket.remoteAddress ?? 'unknown'
}

export function registerContributorApi(router: Router, context: ContributorApiContext): void {
	const now = context.now ?? Date.now
	const perLink = new MinuteRateLimiter(CONTRIBUTIONS_PER_LINK_PER_MINUTE, now)
	const perConnection = new MinuteRateLimiter(CONTRIBUTIONS_PER_CONNECTION_PER_MINUTE, now)
	const attemptsPerConnection = new MinuteRateLimiter(CONTRIBUTION_ATTEMPTS_PER_CONNECTION_PER_MINUTE, now)

	router.get('/c/:id', (_req, res, { params }) => {
		if (!BoardIdSchema.safeParse(params.id).success) return sendJson(res, 404, { error: 'not found' })
		send(res, 200, 'text/html; charset=utf-8', CONTRIBUTOR_PAGE)
	})
	router.get('/api/contribute.js', (_req, res) => send(res, 200, 'text/javascript; charset=utf-8', CONTRIBUTOR_SCRIPT))

	router.get('/api/boards/:id/contribute', async (req, res, { params }) => {
		const id = BoardIdSchema.safeParse(params.id)
		const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? ''
		if (!id.success || !TOKEN.test(token) || !(await context.linkOpen(id.data, token))) return sendJson(res, 404, { error: 'This contributor link is closed or not valid. Ask the facilitator for a new one.' })
		sendJson(res, 200, { open: true })
	})

	router.post('/api/boards/:id/contribute', async (req, res, { params }) => {
		const id = BoardIdSchema.safeParse(params.id)
		if (!id.success) return sendJson(res, 404, { error: 'This contributor link is closed or not valid.' })
		const retryAttempts = attemptsPerConnection.take(clientAddress(req))
		if (retryAttempts > 0) return tooMany(res, retryAttempts, 'Too many attempts from this device; wait a minute.')
		if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return sendJson(res, 415, { error: 'send JSON (content-type: application/json)' })
		let body: unknown
		try {
			body = JSON.parse(await readBody(req)) as unknown
		} catch (error) {
			return error instanceof RangeError ? sendJson(res, 413, { error: 'note too large' }) : sendJson(res, 400, { error: 'invalid JSON' })
		}
		const token = typeof body === 'object' && body !== null && typeof (body as { token?: unknown }).token === 'string' ? (body as { token: string }).token : ''
		const retryLink = perLink.take(`${id.data}:${token.slice(0, 128)}`)
		if (retryLink > 0) return tooMany(res, retryLink, 'This link received too many notes; wait a minute.')
		const parsed = ContributionSchema.safeParse(body)
		if (!parsed.success) {
			const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
			return sendJson(res, 400, { error: issues[0]?.message ?? 'invalid note', issues })
		}
		const retryConnection = perConnection.take(clientAddress(req))
		if (retryConnection > 0) return tooMany(res, retryConnection, 'Too many notes from this device; wait a minute.')
		try {
			const outcome = await context.contribute(id.data, parsed.data.token, parsed.data)
			if (!outcome.ok) return sendJson(res, 404, { error: 'This contributor link is closed or not valid. Ask the facilitator for a new one.' })
			sendJson(res, 201, { ok: true })
		} catch (error) {
			context.logger.error('api.contribution_failed', { board: id.data, error: describeError(error) })
			sendJson(res, 503, { error: 'The board could not take the note right now; try again in a moment.' })
		}
	})
}

function tooMany(res: ServerResponse, seconds: number, message: string): void {
	res.setHeader('Retry-After', String(seconds))
	sendJson(res, 429, { error: message })
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
	res.statusCode = status
	res.setHeader('content-type', type)
	res.setHeader('cache-control', 'no-store')
	res.end(body)
}

/** The phone page: one form, large targets, no external resources (CSP: script from 'self', inline styles allowed). */
const CONTRIBUTOR_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Share a note · Workshop Board</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, -apple-system, sans-serif; background: #f6f7f9; color: #1d1d1f; }
  main { max-width: 480px; margin: 0 auto; padding: 20px 16px 40px; }
  h1 { font-size: 22px; margin: 8px 0 4px; }
  p { line-height: 1.4; }
  .muted { color: #5c5f66; font-size: 14px; }
  fieldset { border: none; padding: 0; margin: 16px 0; display: flex; gap: 8px; }
  legend { font-weight: 600; margin-bottom: 8px; }
  .kind { flex: 1; }
  .kind input { position: absolute; opacity: 0; }
  .kind span { display: block; text-align: center; padding: 12px; min-height: 48px; border: 2px solid #d0d3d9; border-radius: 10px; background: #fff; font-weight: 600; }
  .kind input:checked + span { border-color: #1c6ed8; background: #e7f0ff; }
  .kind input:focus-visible + span { outline: 3px solid #1c6ed8; outline-offset: 2px; }
  label.block { display: block; font-weight: 600; margin: 14px 0 6px; }
  textarea, input[type=text] { width: 100%; font: inherit; font-size: 16px; padding: 10px 12px; border: 1px solid #c4c7cf; border-radius: 10px; background: #fff; }
  textarea { min-height: 140px; resize: vertical; }
  .count { text-align: right; font-size: 12px; color: #5c5f66; margin-top: 2px; }
  button { width: 100%; min-height: 48px; margin-top: 18px; font: inherit; font-size: 17px; font-weight: 700; color: #fff; background: #1c6ed8; border: none; border-radius: 10px; }
  button:disabled { opacity: .6; }
  .status { margin-top: 14px; padding: 12px; border-radius: 10px; }
  .status.ok { background: #d3f9d8; color: #1b5e20; }
  .status.error { background: #ffe3e3; color: #8f1d1d; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<main>
  <h1>Share a note with the team</h1>
  <p class="muted">Your note goes to the team's board as a sticky. You will not see the board, and nobody sees who you are unless you give your name.</p>
  <p class="status error" id="closed" hidden></p>
  <form id="form" hidden novalidate>
    <fieldset>
      <legend>What is it?</legend>
      <label class="kind"><input type="radio" name="kind" value="insight" checked data-testid="contrib-kind-insight"><span>Something we learned</span></label>
      <label class="kind"><input type="radio" name="kind" value="idea" data-testid="contrib-kind-idea"><span>An idea</span></label>
    </fieldset>
    <label class="block" for="text">Your note</label>
    <textarea id="text" name="text" maxlength="${MAX_CONTRIBUTION_TEXT}" required data-testid="contrib-text" placeholder="e.g. Setting up the team took me two days"></textarea>
    <div class="count" id="count">0 / ${MAX_CONTRIBUTION_TEXT}</div>
    <label class="block" for="name">Your name <span class="muted">(optional)</span></label>
    <input type="text" id="name" name="name" maxlength="${MAX_CONTRIBUTOR_NAME}" autocomplete="name" data-testid="contrib-name">
    <button type="submit" id="send" data-testid="contrib-send">Send to the board</button>
    <p class="status" id="status" role="status" aria-live="polite" data-testid="contrib-status" hidden></p>
  </form>
</main>
<script src="/api/contribute.js"></script>
</body>
</html>
`

/** Plain browser JavaScript (no bundle): checks the link, sends the note, says what happened. */
const CONTRIBUTOR_SCRIPT = `(function () {
  'use strict';
  var boardId = decodeURIComponent(location.pathname.replace(/^\\/c\\//, '').replace(/\\/+$/, ''));
  var token = new URLSearchParams(location.search).get('token') || '';
  var form = document.getElementById('form');
  var closed = document.getElementById('closed');
  var status = document.getElementById('status');
  var text = document.getElementById('text');
  var count = document.getElementById('count');
  var send = document.getElementById('send');
  var api = '/api/boards/' + encodeURIComponent(boardId) + '/contribute';
  function show(el, message, kind) { el.textContent = message; el.className = 'status ' + kind; el.hidden = false; }
  text.addEventListener('input', function () { count.textContent = text.value.length + ' / ${MAX_CONTRIBUTION_TEXT}'; });
  fetch(api + '?token=' + encodeURIComponent(token)).then(function (r) {
    if (r.ok) { form.hidden = false; return; }
    return r.json().then(function (b) { show(closed, b.error || 'This link is not valid.', 'error'); });
  }).catch(function () { show(closed, 'The board cannot be reached. Check your connection and reload.', 'error'); });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var kind = form.querySelector('input[name=kind]:checked').value;
    var name = document.getElementById('name').value.trim();
    var body = { token: token, kind: kind, text: text.value };
    if (name) body.name = name;
    if (!text.value.trim()) { show(status, 'Write something first.', 'error'); return; }
    send.disabled = true;
    fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (res) {
        if (res.ok) { show(status, 'Thanks! Your note is on the board. You can send another one.', 'ok'); text.value = ''; count.textContent = '0 / ${MAX_CONTRIBUTION_TEXT}'; }
        else show(status, res.body.error || 'The note could not be sent.', 'error');
      })
      .catch(function () { show(status, 'The note could not be sent. Check your connection and try again.', 'error'); })
      .then(function () { send.disabled = false; });
  });
})();
`
