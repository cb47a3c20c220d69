/** Boards for session tests: created over the API (role tokens from its links), with notes written by a stock Yjs client. */
import type { WebsocketProvider } from 'y-websocket'
import { getRecordsMap, recordToYMap } from '../../../shared/recordCodec'
import { makeTempDir, removeDir, startServerProcess, type ServerProcess } from './serverProcess'
import type { SessionClient } from './sessionClient'
import { connectClient, destroyClients, waitForSynced } from './syncClients'

export type BoardRoleName = 'facilitator' | 'participant' | 'viewer'

/** A minimal valid note record as a Y.Map (protocol.md §2.1). */
export function noteYMap(id: string, kind: string, x: number, color = 'yellow') {
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
		props: { color, growY: 0, scale: 1 },
		meta: { kind },
	})
}

/** POST /api/boards, then the given notes written through the facilitator's link; returns id, tokens and the writer. */
export async function createBoardWithNotes(serverUrl: string, wsUrl: string, notes: readonly { id: string; kind: string }[]): Promise<{ id: string; tokens: Record<BoardRoleName, string>; writer: WebsocketProvider }> {
	const response = await fetch(`${serverUrl}/api/boards`, { method: 'POST' })
	const body = (await response.json()) as { id: string; links: Record<BoardRoleName, string> }
	const tokens = Object.fromEntries(Object.entries(body.links).map(([role, link]) => [role, new URL(link).searchParams.get('token') ?? ''])) as Record<BoardRoleName, string>
	const writer = connectClient(wsUrl, body.id, { params: { token: tokens.facilitator } })
	await waitForSynced(writer)
	writer.doc.transact(() => {
		notes.forEach((note, i) => getRecordsMap(writer.doc).set(note.id, noteYMap(note.id, note.kind, i * 300)))
	})
	return { id: body.id, tokens, writer }
}

/**
 * One real server for a test file, plus the providers and session clients its tests open:
 * started before the tests, torn down after; after each test every session message received
 * must have been valid for the shared schema (what browsers accept).
 */
export function useSessionServer(hooks: {
	beforeAll(fn: () => Promise<void>): void
	afterEach(fn: () => void): void
	afterAll(fn: () => Promise<void>): void
	expectNoInvalidMessages(client: SessionClient): void
}): { server: ServerProcess; dataDir: string; providers: WebsocketProvider[]; clients: SessionClient[]; restart(): Promise<void> } {
	const context = {
		server: undefined as unknown as ServerProcess,
		dataDir: '',
		providers: [] as WebsocketProvider[],
		clients: [] as SessionClient[],
		async restart() {
			await context.server.stop()
			context.server = await startServerProcess({ dataDir: context.dataDir })
		},
	}
	hooks.beforeAll(async () => {
		context.dataDir = await makeTempDir()
		context.server = await startServerProcess({ dataDir: context.dataDir })
	})
	hooks.afterEach(() => {
		for (const client of context.clients) hooks.expectNoInvalidMessages(client)
	})
	hooks.afterAll(async () => {
		for (const client of context.clients) client.close()
		destroyClients(...context.providers)
		await context.server?.stop()
		if (context.dataDir) await removeDir(context.dataDir)
	})
	return context
}
