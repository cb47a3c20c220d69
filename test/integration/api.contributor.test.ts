/**
 * The contributor link on the real server (#13 item 6, docs/sessions.md §11):
 * only the facilitator opens, rotates and closes it; the page and the check
 * reveal nothing of the board; a valid note becomes a sticky in the Inbox
 * frame (created when missing) that connected clients receive; markup, empty,
 * oversize and malformed notes are refused with a clear error; a rotated or
 * closed link stops working; submissions are rate limited per connection and
 * per link; the server never crashes on any of it.
 *
 * Receipts (#13 item 10): each accepted note's answer carries a receipt; the
 * status endpoint answers it with the note's status as the facilitator sets
 * it in the document (with the reason), its current text and kind — nothing
 * else of the board — `removed` once deleted, `closed` while the link is
 * closed; forged receipts and other boards' are `unknown`; receipts outlive
 * a rotation and a restart; malformed requests get clear 400/413/415 and
 * status checks have their own per-connection limit.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CONTRIBUTIONS_PER_CONNECTION_PER_MINUTE } from '../../shared/contributor/contribution'
import { MAX_RECEIPTS_PER_STATUS_REQUEST, RECEIPT_PATTERN, STATUS_REQUESTS_PER_CONNECTION_PER_MINUTE, type ReceiptAnswer } from '../../shared/contributor/receipt'
import { getRecordsMap, readAllRecords } from '../../shared/recordCodec'
import { connectSessionClient, createBoardWithNotes, useSessionServer, waitFor, type SessionClient } from './helpers'

describe('contributor link', () => {
	const t = useSessionServer({ beforeAll, afterEach, afterAll, expectNoInvalidMessages: (client) => expect(client.invalidMessages).toEqual([]) })
	const { providers, clients } = t

	const setup = async () => {
		const board = await createBoardWithNotes(t.server.url, t.server.wsUrl, [{ id: 'shape:secret', kind: 'idea' }])
		providers.push(board.writer)
		const facilitator = await connectSessionClient(t.server.wsUrl, board.id, { token: board.tokens.facilitator })
		const participant = await connectSessionClient(t.server.wsUrl, board.id, { token: board.tokens.participant })
		clients.push(facilitator, participant)
		await facilitator.join('facilitator-c', 'Fay')
		await participant.join('participant-c', 'Pat')
		return { ...board, facilitator, participant }
	}
	const result = (response: Awaited<ReturnType<SessionClient['request']>>) => {
		if (!response.ok) throw new Error(JSON.stringify(response))
		return response.result as Record<string, unknown>
	}
	const post = (boardId: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
		fetch(`${t.server.url}/api/boards/${boardId}/contribute`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })

	it('opens, accepts a valid note into a new Inbox frame, refuses bad input, and stops after rotate and close', async () => {
		const b = await setup()
		expect((await b.participant.request({ type: 'contributor.rotate' })).ok).toBe(false)
		const { token } = result(await b.facilitator.request({ type: 'contributor.rotate' })) as { token: string }
		expect(token).toMatch(/^[A-Za-z0-9_-]{16,128}$/u)
		expect(result(await b.facilitator.request({ type: 'contributor.get' }))).toEqual({ token })
		expect((await b.participant.request({ type: 'contributor.get' })).ok).toBe(false)
		// Everyone learns that the link is open, never the link.
		const state = result(await b.participant.request({ type: 'state.get' }))
		expect(state.contributorOpen).toBe(true)
		expect(JSON.stringify(state)).not.toContain(token)

		// The page and the check carry nothing of the board.
		const pageResponse = await fetch(`${t.server.url}/c/${b.id}?token=${token}`)
		// The same security headers as the app: scripts from our origin only.
		expect(pageResponse.headers.get('content-security-policy')).toContain("script-src 'self'")
		expect(pageResponse.headers.get('content-type')).toMatch(/^text\/html/u)
		const page = await pageResponse.text()
		expect(page).toContain('<form id="form"')
		expect(page).not.toMatch(/tldraw|secret/iu)
		// The page's script puts board data in the page as text only.
		const script = await (await fetch(`${t.server.url}/api/contribute.js`)).text()
		expect(script).toContain('textContent')
		expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/u)
		expect(await (await fetch(`${t.server.url}/api/boards/${b.id}/contribute?token=${token}`)).json()).toEqual({ open: true })
		expect((await fetch(`${t.server.url}/api/boards/${b.id}/contribute?token=${'x'.repeat(32)}`)).status).toBe(404)
		// No board read access with the contributor token.
		expect((await fetch(`${t.server.url}/api/boards/${b.id}/export.json?token=${token}`)).status).toBeGreaterThanOrEqual(401)

		const valid = await post(b.id, { token, kind: 'insight', text: '  Setting up the team took me two days  ', name: 'Dana' })
		expect(valid.status).toBe(201)
		expect(((await valid.json()) as { receipt: string }).receipt).toMatch(RECEIPT_PATTERN)
		// Facilitators are told it arrived; participants just see the sticky sync in.
		const arrival = await b.facilitator.waitForMessage((m): m is Extract<typeof m, { type: 'contribution' }> => m.type === 'contribution')
		expect(arrival).toMatchObject({ kind: 'insight', name: 'Dana' })
		expect(b.participant.messages.some((m) => m.type === 'contribution')).toBe(false)
		await waitFor(() => [...readAllRecords(b.writer.doc).values()].some((r) => r.type === 'note' && JSON.stringify(r.props).includes('Setting up the team took me two days')), 5_000)
		const records = [...readAllRecords(b.writer.doc).values()]
		const inbox = records.find((r) => r.type === 'frame')!
		expect(inbox).toMatchObject({ props: { name: 'Inbox' }, meta: { inbox: true } })
		const added = records.find((r) => r.type === 'note' && r.parentId === inbox.id)!
		expect(added.meta).toMatchObject({ kind: 'insight', tags: ['contributor'], author: { id: 'contributor', name: 'Dana' } })
		expect(JSON.stringify(added.props)).not.toContain('  Setting')

		// A second note goes into the same Inbox, next to the first.
		expect((await post(b.id, { token, kind: 'idea', text: 'Templates per industry' })).status).toBe(201)
		await waitFor(() => [...readAllRecords(b.writer.doc).values()].filter((r) => r.type === 'note' && r.parentId === inbox.id).length === 2, 5_000)
		expect([...readAllRecords(b.writer.doc).values()].filter((r) => r.type === 'frame')).toHaveLength(1)

		// Bad input: clear errors, nothing written.
		const bad: [unknown, number, RegExp][] = [
			[{ token, kind: 'insight', text: '<script>alert(1)</script>' }, 400, /plain text/u],
			[{ token, kind: 'insight', text: 'see [here](http://evil.example)' }, 400, /plain text/u],
			[{ token, kind: 'insight', text: 'x'.repeat(1001) }, 400, /at most 1000/u],
			[{ token, kind: 'insight', text: '   ' }, 400, /write something/u],
			[{ token, kind: 'question', text: 'hi' }, 400, /.+/u],
			[{ token, kind: 'idea', text: 'hi', extra: true }, 400, /.+/u],
			[{ token, kind: 'idea', text: 'hi', name: '<b>x</b>' }, 400, /plain text/u],
		]
		for (const [body, status, message] of bad) {
			const response = await post(b.id, body)
			expect(response.status, JSON.stringify(body)).toBe(status)
			expect(((await response.json()) as { error: string }).error).toMatch(message)
		}
		expect((await post(b.id, '{not json')).status).toBe(400)
		expect((await post(b.id, { token, kind: 'idea', text: 'hi' }, { 'content-type': 'text/plain' })).status).toBe(415)
		expect((await post(b.id, { token, kind: 'idea', text: 'x'.repeat(9000) })).status).toBe(413)
		expect((await post('no-such-board', { token, kind: 'idea', text: 'hi' })).status).toBe(404)
		expect([...readAllRecords(b.writer.doc).values()].filter((r) => r.type === 'note')).toHaveLength(3)

		// Rotate: the old link stops at once; close: the new one too.
		const { token: rotated } = result(await b.facilitator.request({ type: 'contributor.rotate' })) as { token: string }
		expect((await post(b.id, { token, kind: 'idea', text: 'old link' })).status).toBe(404)
		result(await b.facilitator.request({ type: 'contributor.close' }))
		expect((await post(b.id, { token: rotated, kind: 'idea', text: 'closed link' })).status).toBe(404)
		expect((await fetch(`${t.server.url}/api/boards/${b.id}/contribute?token=${rotated}`)).status).toBe(404)
		expect(result(await b.facilitator.request({ type: 'contributor.get' }))).toEqual({ token: null })
		expect(t.server.process.exitCode).toBeNull()
	})

	it('rate limits per connection, with Retry-After', async () => {
		// A fresh server process: the earlier test's requests came from the same address.
		await t.restart()
		const b = await setup()
		const { token } = result(await b.facilitator.request({ type: 'contributor.rotate' })) as { token: string }
		const statuses: number[] = []
		for (let i = 0; i < CONTRIBUTIONS_PER_CONNECTION_PER_MINUTE + 2; i++) statuses.push((await post(b.id, { token, kind: 'idea', text: `note ${i}` })).status)
		expect(statuses.slice(0, CONTRIBUTIONS_PER_CONNECTION_PER_MINUTE)).toEqual(Array(CONTRIBUTIONS_PER_CONNECTION_PER_MINUTE).fill(201))
		const limited = await post(b.id, { token, kind: 'idea', text: 'one more' })
		expect(limited.status).toBe(429)
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
		expect(((await limited.json()) as { error: string }).error).toMatch(/wait a minute/u)
	})

	const status = (boardId: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
		fetch(`${t.server.url}/api/boards/${boardId}/contribute/status`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
	const answers = async (boardId: string, receipts: string[]): Promise<ReceiptAnswer[]> => {
		const response = await status(boardId, { receipts })
		expect(response.status).toBe(200)
		return ((await response.json()) as { receipts: ReceiptAnswer[] }).receipts
	}
	const submit = async (boardId: string, token: string, text: string, kind = 'idea') => {
		const response = await post(boardId, { token, kind, text })
		expect(response.status).toBe(201)
		return ((await response.json()) as { receipt: string }).receipt
	}
	const noteIdOf = (receipt: string) => `shape:${receipt.split('.')[0]}`

	it('receipts: the status the facilitator sets, with its reason; forged and other boards unknown; deleted removed; rotation, close and restart', async () => {
		await t.restart()
		const b = await setup()
		const { token } = result(await b.facilitator.request({ type: 'contributor.rotate' })) as { token: string }
		const first = await submit(b.id, token, 'Inviting my team took two days', 'insight')
		const second = await submit(b.id, token, 'Templates per industry')
		expect(first).not.toBe(second)
		expect(await answers(b.id, [first, second])).toEqual([
			{ receipt: first, status: 'new', text: 'Inviting my team took two days', kind: 'insight', updatedAt: expect.any(Number) as number },
			{ receipt: second, status: 'new', text: 'Templates per industry', kind: 'idea', updatedAt: expect.any(Number) as number },
		])

		// The facilitator decides, through the document like any client (a stock Yjs client here).
		await waitFor(() => getRecordsMap(b.writer.doc).has(noteIdOf(second)), 5_000)
		const meta = getRecordsMap(b.writer.doc).get(noteIdOf(second))!.get('meta') as Y.Map<unknown>
		b.writer.doc.transact(() => {
			meta.set('status', 'discarded')
			meta.set('statusReason', 'Only two customers asked; revisit next quarter')
		})
		await waitFor(async () => (await answers(b.id, [second]))[0].status === 'discarded', 5_000)
		const [decided] = await answers(b.id, [second])
		expect(decided).toMatchObject({ status: 'discarded', reason: 'Only two customers asked; revisit next quarter', text: 'Templates per industry' })
		// Nothing else of the board: not the seeded note, not the Inbox, not the other note.
		expect(JSON.stringify(decided)).not.toMatch(/secret|Inbox|Inviting/iu)

		// Moved out of the Inbox and retyped: still found, with its new kind and text.
		const firstRecord = getRecordsMap(b.writer.doc).get(noteIdOf(first))!
		b.writer.doc.transact(() => {
			firstRecord.set('parentId', 'page:page')
			;(firstRecord.get('meta') as Y.Map<unknown>).set('kind', 'problem')
			;(firstRecord.get('meta') as Y.Map<unknown>).set('status', 'evaluating')
		})
		await waitFor(async () => (await answers(b.id, [first]))[0].status === 'evaluating', 5_000)
		expect((await answers(b.id, [first]))[0]).toMatchObject({ kind: 'problem', text: 'Inviting my team took two days' })

		// Forged receipts, malformed strings and another board's receipts: unknown.
		const other = await createBoardWithNotes(t.server.url, t.server.wsUrl, [])
		providers.push(other.writer)
		const otherFacilitator = await connectSessionClient(t.server.wsUrl, other.id, { token: other.tokens.facilitator })
		clients.push(otherFacilitator)
		await otherFacilitator.join('facilitator-o', 'Olu')
		const { token: otherToken } = result(await otherFacilitator.request({ type: 'contributor.rotate' })) as { token: string }
		const foreign = await submit(other.id, otherToken, 'From the other board')
		const forged = `${first.split('.')[0]}.${'A'.repeat(22)}`
		const swapped = `${second.split('.')[0]}.${first.split('.')[1]}`
		expect((await answers(b.id, [forged, swapped, foreign, 'shape:secret', '', 'x'.repeat(200)])).map((a) => a.status)).toEqual(Array(6).fill('unknown'))
		expect((await answers(other.id, [first, second, foreign])).map((a) => a.status)).toEqual(['unknown', 'unknown', 'new'])
		// An unknown board answers like a forged receipt.
		expect((await answers('no-such-board', [first])).map((a) => a.status)).toEqual(['unknown'])

		// Rotation keeps receipts working; a closed link answers "closed" with nothing of the note; reopening restores it.
		const { token: rotated } = result(await b.facilitator.request({ type: 'contributor.rotate' })) as { token: string }
		expect((await answers(b.id, [second]))[0].status).toBe('discarded')
		result(await b.facilitator.request({ type: 'contributor.close' }))
		expect(await answers(b.id, [second, forged])).toEqual([
			{ receipt: second, status: 'closed' },
			{ receipt: forged, status: 'unknown' },
		])
		expect(rotated).not.toBe(token)
		const { token: reopened } = result(await b.facilitator.request({ type: 'contributor.rotate' })) as { token: string }

		// Deleted: removed. Duplicates are answered as often as asked.
		b.writer.doc.transact(() => getRecordsMap(b.writer.doc).delete(noteIdOf(first)))
		await waitFor(async () => (await answers(b.id, [first]))[0].status === 'removed', 5_000)
		expect((await answers(b.id, [first, second, first])).map((a) => a.status)).toEqual(['removed', 'discarded', 'removed'])

		// The board's receipt key is stored: receipts survive a restart (SQLite and PostgreSQL alike).
		const third = await submit(b.id, reopened, 'After the reopen')
		await t.restart()
		expect((await answers(b.id, [first, second, third])).map((a) => a.status)).toEqual(['removed', 'discarded', 'new'])
		expect((await answers(other.id, [foreign]))[0].status).toBe('new')
		expect(t.server.process.exitCode).toBeNull()
	})

	it('status requests: clear errors for malformed or oversized bodies, and their own rate limit with Retry-After', async () => {
		await t.restart()
		const b = await setup()
		const { token } = result(await b.facilitator.request({ type: 'contributor.rotate' })) as { token: string }
		const receipt = await submit(b.id, token, 'A note to follow')
		let requests = 0
		const expectError = async (body: unknown, expected: number, message: RegExp, headers?: Record<string, string>) => {
			requests++
			const response = await status(b.id, body, headers)
			expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(expected)
			expect(((await response.json()) as { error: string }).error).toMatch(message)
		}
		await expectError({ receipts: [receipt] }, 415, /send JSON/u, { 'content-type': 'text/plain' })
		await expectError('{"receipts": [', 400, /invalid JSON/u)
		await expectError({}, 400, /receipts must be an array/u)
		await expectError({ receipts: 'abc' }, 400, /receipts must be an array/u)
		await expectError({ receipts: [1, 2] }, 400, /each receipt must be a string/u)
		await expectError({ receipts: [receipt], token }, 400, /.+/u)
		await expectError({ receipts: Array(MAX_RECEIPTS_PER_STATUS_REQUEST + 1).fill(receipt) }, 400, /at most 50 receipts/u)
		await expectError({ receipts: Array(50).fill('x'.repeat(200)) }, 413, /too large/u)
		// Not a board id: refused before it counts.
		expect((await status('not a board!', { receipts: [receipt] })).status).toBe(404)
		requests++
		expect((await answers(b.id, Array(MAX_RECEIPTS_PER_STATUS_REQUEST).fill(receipt))).every((a) => a.status === 'new')).toBe(true)

		// The rest of the minute's budget, then 429 with Retry-After.
		for (; requests < STATUS_REQUESTS_PER_CONNECTION_PER_MINUTE; requests++) expect((await status(b.id, { receipts: [receipt] })).status).toBe(200)
		const limited = await status(b.id, { receipts: [receipt] })
		expect(limited.status).toBe(429)
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
		expect(((await limited.json()) as { error: string }).error).toMatch(/wait a minute/u)
		// Status checks have their own budget: sending a note still works.
		expect((await post(b.id, { token, kind: 'idea', text: 'Still accepted' })).status).toBe(201)
		expect(t.server.process.exitCode).toBeNull()
	})
})
