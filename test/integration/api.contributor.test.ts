/**
 * The contributor link on the real server (#13 item 6, docs/sessions.md §11):
 * only the facilitator opens, rotates and closes it; the page and the check
 * reveal nothing of the board; a valid note becomes a sticky in the Inbox
 * frame (created when missing) that connected clients receive; markup, empty,
 * oversize and malformed notes are refused with a clear error; a rotated or
 * closed link stops working; submissions are rate limited per connection and
 * per link; the server never crashes on any of it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CONTRIBUTIONS_PER_CONNECTION_PER_MINUTE } from '../../shared/contributor/contribution'
import { readAllRecords } from '../../shared/recordCodec'
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
		expect(await (await fetch(`${t.server.url}/api/boards/${b.id}/contribute?token=${token}`)).json()).toEqual({ open: true })
		expect((await fetch(`${t.server.url}/api/boards/${b.id}/contribute?token=${'x'.repeat(32)}`)).status).toBe(404)
		// No board read access with the contributor token.
		expect((await fetch(`${t.server.url}/api/boards/${b.id}/export.json?token=${token}`)).status).toBeGreaterThanOrEqual(401)

		const valid = await post(b.id, { token, kind: 'insight', text: '  Setting up the team took me two days  ', name: 'Dana' })
		expect(valid.status).toBe(201)
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
})
