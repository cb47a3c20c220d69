/**
 * The contributor link over HTTP (#13 item 6, docs/sessions.md §11):
 *
 * | route | answer |
 * |---|---|
 * | GET /c/:boardId?token= | the contributor page: plain HTML + one script, no canvas, no tldraw, no board data |
 * | GET /api/contribute.js | that page's script |
 * | GET /api/boards/:id/contribute?token= | 200 `{ open: true }`; 404 when the board is unknown or the link closed / rotated |
 * | POST /api/boards/:id/contribute | JSON `{ token, kind: 'insight' \| 'idea', text, name? }` → 201 `{ ok: true, receipt }`; 400 invalid (markup, size, empty), 404 closed link, 413 > 8 KiB, 415 not JSON, 429 rate limited (Retry-After) |
 * | POST /api/boards/:id/contribute/status | JSON `{ receipts: string[] }` (≤ 50) → 200 `{ receipts: [{ receipt, status, reason?, text?, kind?, updatedAt? }] }`, one per receipt in order; status `new` \| `evaluating` \| `accepted` \| `parked` \| `discarded` \| `removed` \| `closed` \| `unknown`; 400 malformed, 404 invalid board id, 413 > 8 KiB, 415 not JSON, 429 rate limited (Retry-After) |
 *
 * The link is a token the facilitator opens, rotates or closes on the
 * session channel; it grants nothing but this: no read access to the board,
 * no socket. Rate limits, all before the board is even loaded: requests per
 * link (30/min) and per connection (client address, 30/min), and valid notes
 * per connection (5/min).
 *
 * Each accepted note's answer carries a receipt (shared/contributor/receipt.ts,
 * server/session/contributorReceipts.ts): its holder — the page keeps them —
 * can ask what became of that note, and of nothing else. A status request
 * needs no link token (receipts outlive a rotation), is limited to 60 a
 * minute per connection, and never reveals more than each genuine receipt's
 * own note: its status, the facilitator's reason, its text and kind. Anything
 * not a receipt of this board is `unknown`, like a board that does not exist.
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
import {
	MAX_RECEIPTS_PER_STATUS_REQUEST,
	MAX_STORED_RECEIPTS,
	RECEIPT_STATUS_LABELS,
	ReceiptStatusRequestSchema,
	STATUS_REFRESH_MS,
	STATUS_REQUESTS_PER_CONNECTION_PER_MINUTE,
	type ReceiptAnswer,
} from '../../shared/contributor/receipt'
import { ITEM_KIND_INFO, ITEM_KINDS } from '../../shared/items/kinds'
import { sendJson, type Router } from '../http/router'
import { describeError, type Logger } from '../logger'

export interface ContributorApiContext {
	contribute(boardId: BoardId, token: string, contribution: Contribution): Promise<{ ok: true; receipt: string } | { ok: false }>
	linkOpen(boardId: BoardId, token: string): Promise<boolean>
	/** What became of the notes behind `receipts`, one answer each, in order (nothing else of the board). */
	status(boardId: BoardId, receipts: readonly string[]): Promise<ReceiptAnswer[]>
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
	// Its own budget: a page that polls must not use up the submissions of the people sharing its address.
	const statusPerConnection = new MinuteRateLimiter(STATUS_REQUESTS_PER_CONNECTION_PER_MINUTE, now)

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
			sendJson(res, 201, { ok: true, receipt: outcome.receipt })
		} catch (error) {
			context.logger.error('api.contribution_failed', { board: id.data, error: describeError(error) })
			sendJson(res, 503, { error: 'The board could not take the note right now; try again in a moment.' })
		}
	})

	router.post('/api/boards/:id/contribute/status', async (req, res, { params }) => {
		const id = BoardIdSchema.safeParse(params.id)
		if (!id.success) return sendJson(res, 404, { error: 'not a board id' })
		const retry = statusPerConnection.take(clientAddress(req))
		if (retry > 0) return tooMany(res, retry, 'Too many status checks from this device; wait a minute.')
		if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return sendJson(res, 415, { error: 'send JSON (content-type: application/json)' })
		let body: unknown
		try {
			body = JSON.parse(await readBody(req)) as unknown
		} catch (error) {
			return error instanceof RangeError
				? sendJson(res, 413, { error: `request too large (at most ${BODY_LIMIT} bytes, ${MAX_RECEIPTS_PER_STATUS_REQUEST} receipts)` })
				: sendJson(res, 400, { error: 'invalid JSON' })
		}
		const parsed = ReceiptStatusRequestSchema.safeParse(body)
		if (!parsed.success) {
			const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
			return sendJson(res, 400, { error: issues[0]?.message ?? 'send { receipts: string[] }', issues })
		}
		try {
			sendJson(res, 200, { receipts: await context.status(id.data, parsed.data.receipts) })
		} catch (error) {
			context.logger.error('api.contribution_status_failed', { board: id.data, error: describeError(error) })
			sendJson(res, 503, { error: 'The board cannot be asked right now; try again in a moment.' })
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

/** Kind → label, for the page's list (the team may have retyped a note). */
const KIND_LABELS: Record<string, string> = Object.fromEntries(ITEM_KINDS.map((kind) => [kind, ITEM_KIND_INFO[kind].label]))

/** One line under each badge: what the status means for the person who sent the note. */
const STATUS_HINTS: Record<keyof typeof RECEIPT_STATUS_LABELS, string> = {
	new: 'On the board, waiting for the team to look at it.',
	evaluating: 'The team is looking into it.',
	accepted: 'The team decided to take it forward.',
	parked: 'Kept for later; not worked on now.',
	discarded: 'The team decided not to take it forward.',
	removed: 'No longer on the board.',
	closed: 'The team closed this link, so updates are paused.',
	unknown: 'This board does not know this note.',
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
  h2 { font-size: 18px; margin: 0 0 4px; }
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
  .sent { margin-top: 28px; padding-top: 18px; border-top: 1px solid #d0d3d9; }
  .sent ul { list-style: none; margin: 12px 0 0; padding: 0; }
  .sent li { background: #fff; border: 1px solid #d0d3d9; border-radius: 10px; padding: 12px; margin-bottom: 10px; }
  .sent .head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
  .badge { display: inline-block; padding: 4px 10px; border-radius: 999px; font-size: 14px; font-weight: 700; }
  .badge.new, .badge.checking { background: #e7ecf3; color: #33404f; }
  .badge.evaluating { background: #fff3bf; color: #6b4700; }
  .badge.accepted { background: #d3f9d8; color: #1b5e20; }
  .badge.parked { background: #e5dbff; color: #4b2a91; }
  .badge.discarded { background: #ffe3e3; color: #8f1d1d; }
  .badge.removed, .badge.closed, .badge.unknown { background: #eceef1; color: #4a4d52; }
  .sent .kindlabel { font-size: 14px; color: #5c5f66; }
  .sent .hint { margin: 6px 0 0; font-size: 14px; color: #5c5f66; }
  .sent .text { margin: 8px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  .sent .reason { margin: 8px 0 0; padding: 8px 10px; background: #f6f7f9; border-left: 3px solid #8a8f98; border-radius: 4px; font-size: 15px; overflow-wrap: anywhere; }
  .sent .reason b { font-weight: 600; }
  .jump { margin: 10px 0 0; }
  .jump a { display: inline-block; padding: 10px 0; color: #1c6ed8; font-weight: 600; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<main>
  <h1>Share a note with the team</h1>
  <p class="muted">Your note goes to the team's board as a sticky. You will not see the board, and nobody sees who you are unless you give your name.</p>
  <p class="jump" id="sent-jump" hidden><a href="#sent" id="sent-jump-link" data-testid="contrib-sent-jump"></a></p>
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
  <section class="sent" id="sent" aria-labelledby="sent-title" data-testid="contrib-sent" hidden>
    <h2 id="sent-title">What you sent</h2>
    <p class="muted" id="sent-note" data-testid="contrib-sent-note">What the team decided about each note shows here. It updates by itself.</p>
    <ul id="sent-list"></ul>
  </section>
</main>
<script src="/api/contribute.js"></script>
</body>
</html>
`

/**
 * Plain browser JavaScript (no bundle): checks the link, sends the note, says
 * what happened, and lists what this browser sent to this board with each
 * note's status. Receipts live in localStorage (per board); board data is
 * only ever put in the page with textContent.
 */
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
  var sent = document.getElementById('sent');
  var sentList = document.getElementById('sent-list');
  var sentNote = document.getElementById('sent-note');
  var jump = document.getElementById('sent-jump');
  var jumpLink = document.getElementById('sent-jump-link');
  var api = '/api/boards/' + encodeURIComponent(boardId) + '/contribute';
  var LABELS = ${JSON.stringify(RECEIPT_STATUS_LABELS)};
  var HINTS = ${JSON.stringify(STATUS_HINTS)};
  var KINDS = ${JSON.stringify(KIND_LABELS)};
  var MAX_STORED = ${MAX_STORED_RECEIPTS};
  var storageKey = 'workshop-board.contributor-receipts.' + boardId;
  var memory = [];
  var storageBroken = false;
  var answers = {};
  var pausedUntil = 0;
  var inFlight = false;
  function show(el, message, kind) { el.textContent = message; el.className = 'status ' + kind; el.hidden = false; }
  function el(tag, className, content) { var node = document.createElement(tag); if (className) node.className = className; if (content !== undefined) node.textContent = content; return node; }
  function shorten(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1).trimEnd() + '\\u2026' : s; }
  function loadReceipts() {
    if (storageBroken) return memory;
    try {
      var raw = JSON.parse(localStorage.getItem(storageKey) || '[]');
      if (!Array.isArray(raw)) return memory;
      return raw.filter(function (r) { return r && typeof r.receipt === 'string' && typeof r.text === 'string'; });
    } catch (e) { return memory; }
  }
  function saveReceipts(list) {
    memory = list.slice(-MAX_STORED);
    try { localStorage.setItem(storageKey, JSON.stringify(memory)); } catch (e) { storageBroken = true; /* private mode or full: this visit only */ }
  }
  function render() {
    var list = loadReceipts();
    sent.hidden = list.length === 0;
    // Someone coming back sees at once that their notes' statuses are below the form.
    jump.hidden = list.length === 0 || form.hidden;
    jumpLink.textContent = 'See what became of ' + (list.length === 1 ? 'your note' : 'your ' + list.length + ' notes') + ' \u2193';
    sentList.textContent = '';
    for (var i = list.length - 1; i >= 0; i--) {
      var mine = list[i];
      var answer = answers[mine.receipt];
      var state = answer ? answer.status : 'checking';
      var item = el('li');
      item.setAttribute('data-testid', 'contrib-receipt');
      item.setAttribute('data-status', state);
      var head = el('div', 'head');
      head.appendChild(el('span', 'badge ' + state, state === 'checking' ? 'Checking\\u2026' : (LABELS[state] || LABELS.unknown)));
      var kind = (answer && answer.kind) || mine.kind;
      if (KINDS[kind]) head.appendChild(el('span', 'kindlabel', KINDS[kind]));
      item.appendChild(head);
      if (state !== 'checking') item.appendChild(el('p', 'hint', HINTS[state] || HINTS.unknown));
      var shown = answer && typeof answer.text === 'string' && answer.text.trim() ? answer.text : mine.text;
      item.appendChild(el('p', 'text', shorten(shown, 200)));
      if (answer && typeof answer.reason === 'string' && answer.reason) {
        var reason = el('p', 'reason');
        reason.setAttribute('data-testid', 'contrib-reason');
        reason.appendChild(el('b', '', 'The team\\u2019s reason: '));
        reason.appendChild(document.createTextNode(shorten(answer.reason, 500)));
        item.appendChild(reason);
      }
      sentList.appendChild(item);
    }
  }
  function refresh() {
    var list = loadReceipts();
    render();
    if (list.length === 0 || inFlight || Date.now() < pausedUntil) return;
    inFlight = true;
    fetch(api + '/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ receipts: list.map(function (r) { return r.receipt; }) }) })
      .then(function (r) {
        if (r.status === 429) { pausedUntil = Date.now() + 1000 * (Number(r.headers.get('retry-after')) || 60); throw new Error('busy'); }
        if (!r.ok) throw new Error('status ' + r.status);
        return r.json();
      })
      .then(function (b) {
        var next = {};
        (b && Array.isArray(b.receipts) ? b.receipts : []).forEach(function (a) { if (a && typeof a.receipt === 'string' && typeof a.status === 'string') next[a.receipt] = a; });
        answers = next;
        var all = Object.keys(next).map(function (k) { return next[k].status; });
        var paused = all.length > 0 && all.every(function (s) { return s === 'closed'; });
        sentNote.textContent = paused
          ? 'The team closed this link: what becomes of your notes is not shared until they open it again.'
          : 'What the team decided about each note shows here. It updates by itself (checked ' + new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) + ').';
        render();
      })
      .catch(function () { sentNote.textContent = 'Could not check just now; showing what was known before. It tries again by itself.'; })
      .then(function () { inFlight = false; });
  }
  text.addEventListener('input', function () { count.textContent = text.value.length + ' / ${MAX_CONTRIBUTION_TEXT}'; });
  fetch(api + '?token=' + encodeURIComponent(token)).then(function (r) {
    if (r.ok) { form.hidden = false; render(); return; }
    return r.json().then(function (b) { show(closed, b.error || 'This link is not valid.', 'error'); });
  }).catch(function () { show(closed, 'The board cannot be reached. Check your connection and reload.', 'error'); });
  refresh();
  setInterval(function () { if (document.visibilityState === 'visible') refresh(); }, ${STATUS_REFRESH_MS});
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'visible') refresh(); });
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
        if (res.ok) {
          if (typeof res.body.receipt === 'string') saveReceipts(loadReceipts().concat([{ receipt: res.body.receipt, text: text.value.trim(), kind: kind, sentAt: Date.now() }]));
          show(status, 'Thanks! Your note is on the board. You can follow it below, or send another one.', 'ok');
          text.value = ''; count.textContent = '0 / ${MAX_CONTRIBUTION_TEXT}';
          refresh();
        }
        else show(status, res.body.error || 'The note could not be sent.', 'error');
      })
      .catch(function () { show(status, 'The note could not be sent. Check your connection and try again.', 'error'); })
      .then(function () { send.disabled = false; });
  });
})();
`
