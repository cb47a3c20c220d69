/**
 * Comment threads and sticky reactions through the real server, written by
 * stock y-websocket clients with the shared writers (the documented layout,
 * docs/protocol.md §2.4–2.5): concurrent replies from two clients both reach a
 * third and the export API; locks apply to comments and reactions (4423);
 * viewers' writes are dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { addReply, addThread, readConversation, toggleReaction } from '../../shared/comments'
import { CloseCode } from '../../shared/protocol'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import type { SessionServerMessage } from '../../shared/session/messages'
import { connectClient, connectSessionClient, destroyClients, makeTempDir, removeDir, startServerProcess, waitFor, waitForSynced, type ServerProcess, type SessionClient } from './helpers'

type Role = 'facilitator' | 'participant' | 'viewer'
const ana = { key: 'AAAAAAAAAAAAAAAA', name: 'Ana' }
const bo = { key: 'BBBBBBBBBBBBBBBB', name: 'Bo' }

function note(id: string, x: number) {
	return recordToYMap({
		id,
		typeName: 'shape',
		type: 'note',
		parentId: 'page:page',
		index: 'a1',
		x,
		y: 0,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		props: { color: 'yellow', growY: 0, scale: 1, richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: id }] }] } },
		meta: { kind: 'idea' },
	})
}

describe('comments and reactions on the server', () => {
	let dataDir: string
	let server: ServerProcess
	const providers: WebsocketProvider[] = []
	const sessions: SessionClient[] = []

	beforeAll(async () => {
		dataDir = await makeTempDir()
		server = await startServerProcess({ dataDir })
	})
	afterAll(async () => {
		for (const client of sessions) client.close()
		destroyClients(...providers)
		await server?.stop()
		if (dataDir) await removeDir(dataDir)
	})

	const board = async () => {
		const response = await fetch(`${server.url}/api/boards`, { method: 'POST' })
		const body = (await response.json()) as { id: string; links: Record<Role, string> }
		const tokens = Object.fromEntries(Object.entries(body.links).map(([role, link]) => [role, new URL(link).searchParams.get('token') ?? ''])) as Record<Role, string>
		const writer = client(body.id, tokens.facilitator)
		await waitForSynced(writer)
		writer.doc.transact(() => {
			for (const [i, id] of ['shape:n0', 'shape:n1'].entries()) getRecordsMap(writer.doc).set(id, note(id, i * 300))
		})
		return { id: body.id, tokens, writer }
	}
	const client = (boardId: string, token: string) => {
		const provider = connectClient(server.wsUrl, boardId, { params: { token } })
		providers.push(provider)
		return provider
	}
	const closeCodeOf = (provider: WebsocketProvider) => {
		let code: number | null = null
		provider.on('connection-close', (event) => (code = event?.code ?? code))
		return () => code
	}
	const expectOk = (response: SessionServerMessage) => {
		if (response.type !== 'response' || !response.ok) throw new Error(`expected ok, got ${JSON.stringify(response)}`)
	}

	it('two clients reply at once; a third sees both and the export carries the thread', async () => {
		const b = await board()
		const threadId = addThread(b.writer.doc, 'shape:n1', ana, 'Which segment first?', { now: 1_000 })
		const [p1, p2, reader] = [client(b.id, b.tokens.participant), client(b.id, b.tokens.participant), client(b.id, b.tokens.viewer)]
		await Promise.all([p1, p2, reader].map((p) => waitForSynced(p)))
		await waitFor(() => readConversation(p1.doc).threads.length === 1 && readConversation(p2.doc).threads.length === 1)
		// Both reply before either sees the other's reply.
		addReply(p1.doc, threadId, ana, 'Teams of 5-20', { now: 2_000 })
		addReply(p2.doc, threadId, bo, 'Agencies', { now: 2_000 })
		toggleReaction(p1.doc, 'shape:n1', '💡', ana, { now: 2_000 })
		toggleReaction(p2.doc, 'shape:n1', '💡', bo, { now: 2_000 })
		await waitFor(() => readConversation(reader.doc).threads[0]?.messages.length === 3)
		expect(new Set(readConversation(reader.doc).threads[0]!.messages.map((m) => m.text))).toEqual(new Set(['Which segment first?', 'Teams of 5-20', 'Agencies']))
		await waitFor(() => readConversation(reader.doc).reactions.get('shape:n1')?.[0]?.count === 2)

		// A viewer's writes are dropped by the server: nobody else sees them.
		addReply(reader.doc, threadId, bo, 'viewer reply', { now: 3_000 })
		const exported = async () => {
			const response = await fetch(`${server.url}/api/boards/${b.id}/export.json?token=${b.tokens.participant}`)
			expect(response.status).toBe(200)
			return (await response.json()) as { schemaVersion: number; items: { id: string; comments: { text: string }[]; reactions: unknown[] }[] }
		}
		await waitFor(async () => (await exported()).items.find((i) => i.id === 'shape:n1')?.comments.length === 3)
		const data = await exported()
		const item = data.items.find((i) => i.id === 'shape:n1')!
		expect(item.comments.map((c) => c.text).sort()).toEqual(['Agencies', 'Teams of 5-20', 'Which segment first?'])
		expect(item.reactions).toEqual([{ emoji: '💡', count: 2 }])
		expect(readConversation(p1.doc).threads[0]!.messages.map((m) => m.text)).not.toContain('viewer reply')
	})

	it('refuses comments and reactions on a locked sticky, and every comment during a board lock (4423)', async () => {
		const b = await board()
		const facilitator = await connectSessionClient(server.wsUrl, b.id, { token: b.tokens.facilitator })
		sessions.push(facilitator)
		expect((await facilitator.join('facilitator-c', 'Fran')).ok).toBe(true)
		const existing = addThread(b.writer.doc, 'shape:n0', ana, 'Before the lock', { now: 1 })
		expectOk(await facilitator.request({ type: 'lock.shapes', shapeIds: ['shape:n0'], locked: true }))

		const participant = async () => {
			const provider = client(b.id, b.tokens.participant)
			await waitForSynced(provider)
			return { provider, closeCode: closeCodeOf(provider) }
		}
		const free = await participant()
		addThread(free.provider.doc, 'shape:n1', bo, 'Not locked', { now: 2 }) // accepted
		await waitFor(() => readConversation(b.writer.doc).threads.some((t) => t.targetId === 'shape:n1'))
		const onLocked = await participant()
		addThread(onLocked.provider.doc, 'shape:n0', bo, 'On the locked sticky', { now: 3 })
		await waitFor(() => onLocked.closeCode() === CloseCode.locked, { message: 'new thread on a locked sticky closed with 4423' })
		const replier = await participant()
		addReply(replier.provider.doc, existing, bo, 'Reply on the locked sticky', { now: 4 })
		await waitFor(() => replier.closeCode() === CloseCode.locked, { message: 'reply closed with 4423' })
		const reactor = await participant()
		toggleReaction(reactor.provider.doc, 'shape:n0', '👍', bo, { now: 5 })
		await waitFor(() => reactor.closeCode() === CloseCode.locked, { message: 'reaction closed with 4423' })

		expectOk(await facilitator.request({ type: 'lock.shapes', shapeIds: ['shape:n0'], locked: false }))
		expectOk(await facilitator.request({ type: 'lock.board', locked: true }))
		const during = await participant()
		addThread(during.provider.doc, 'shape:n1', bo, 'During the board lock', { now: 6 })
		await waitFor(() => during.closeCode() === CloseCode.locked, { message: 'comment during a board lock closed with 4423' })
		// The facilitator still comments.
		addReply(b.writer.doc, existing, ana, 'Facilitator reply', { now: 7 })
		expectOk(await facilitator.request({ type: 'lock.board', locked: false }))

		const reader = client(b.id, b.tokens.viewer)
		await waitForSynced(reader)
		await waitFor(() => readConversation(reader.doc).threads.find((t) => t.id === existing)?.messages.length === 2)
		const texts = readConversation(reader.doc).threads.flatMap((t) => t.messages.map((m) => m.text))
		expect(texts.sort()).toEqual(['Before the lock', 'Facilitator reply', 'Not locked'])
		expect(readConversation(reader.doc).reactions.size).toBe(0)
	})
})
