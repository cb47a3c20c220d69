/**
 * Guarantee 1 (docs/reliability.md): durability under crashes.
 *
 * 20 stock y-websocket clients write distinct keys while the server process
 * is SIGKILLed at seeded random moments and restarted on the same DATA_DIR
 * and port; the clients reconnect by themselves. Every edit any client made
 * must end up in every client and in a fresh client. A second test proves
 * that what the server had accepted ≥ 1 s before a kill survives even when
 * every client is gone (so nobody can re-send it).
 *
 * Seeds: CHAOS_SEED=<n> replays a run.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import {
	connectClient,
	destroyClients,
	findFreePort,
	makeTempDir,
	mulberry32,
	removeDir,
	startServerProcess,
	waitFor,
	waitForSynced,
	type ServerProcess,
} from './helpers'

const SEED = Number(process.env.CHAOS_SEED ?? 20_240_611)
const CLIENTS = 20
const KILLS = 4
/** The server promises every accepted update is committed within 1 s (PERSIST_FLUSH_INTERVAL_MS ≤ 900). */
const DURABILITY_WINDOW_MS = 1_000

// Each stock WebsocketProvider adds a process 'exit' listener; 21 of them are expected here.
process.setMaxListeners(64)

const clients: WebsocketProvider[] = []
const servers: ServerProcess[] = []
const dirs: string[] = []

afterEach(async () => {
	destroyClients(...clients.splice(0))
	await Promise.all(servers.splice(0).map((server) => server.kill('SIGKILL')))
	await Promise.all(dirs.splice(0).map(removeDir))
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function startOn(dataDir: string, port: number): Promise<ServerProcess> {
	const server = await startServerProcess({ boards: [`chaos-board-${SEED}`, `acked-board-${SEED}`], dataDir, env: { PORT: String(port), LOG_LEVEL: 'error', ROOM_UNLOAD_DELAY_MS: '2000' } })
	servers.push(server)
	return server
}

function client(wsUrl: string, boardId: string): WebsocketProvider {
	const provider = connectClient(wsUrl, boardId)
	clients.push(provider)
	return provider
}

/**
 * Client i writes keys `c<i>-<n>` (n = 0, 1, 2 …) every 20–80 ms, whether or
 * not it is connected — offline edits stay in its doc and are pushed on
 * reconnect. Returns a stop function and the keys written so far.
 */
function startWriter(provider: WebsocketProvider, index: number, random: () => number): { stop(): void; written: string[] } {
	const written: string[] = []
	let timer: NodeJS.Timeout | undefined
	let stopped = false
	const tick = () => {
		if (stopped) return
		const key = `c${index}-${written.length}`
		provider.doc.getMap('records').set(key, { by: index, n: written.length })
		written.push(key)
		timer = setTimeout(tick, 20 + Math.floor(random() * 60))
	}
	timer = setTimeout(tick, Math.floor(random() * 50))
	return {
		written,
		stop() {
			stopped = true
			clearTimeout(timer)
		},
	}
}

const keysOf = (provider: WebsocketProvider): string[] => [...provider.doc.getMap('records').keys()].sort()

describe('durability under crashes', () => {
	it(`20 clients, ${KILLS} SIGKILLs at random moments: every client and a fresh client hold every edit`, async () => {
		const random = mulberry32(SEED)
		const dataDir = await makeTempDir('workshop-board-chaos-')
		dirs.push(dataDir)
		const port = await findFreePort()
		let server = await startOn(dataDir, port)
		const boardId = `chaos-board-${SEED}`

		const providers = Array.from({ length: CLIENTS }, () => client(server.wsUrl, boardId))
		await Promise.all(providers.map((provider) => waitForSynced(provider)))
		const writers = providers.map((provider, i) => startWriter(provider, i, mulberry32(SEED + i + 1)))

		const started = Date.now()
		const restartTimes: number[] = []
		for (let kill = 0; kill < KILLS; kill++) {
			await sleep(800 + Math.floor(random() * 1_700)) // a random moment while everyone writes
			await server.kill('SIGKILL')
			await sleep(Math.floor(random() * 400)) // down for a random while; clients keep writing offline
			const restartStarted = Date.now()
			server = await startOn(dataDir, port)
			restartTimes.push(Date.now() - restartStarted)
		}
		await sleep(1_000)
		for (const writer of writers) writer.stop()
		const writeMs = Date.now() - started

		const expected = writers.flatMap((writer) => writer.written).sort()
		// Every client reconnected by itself and converged to the complete board.
		await waitFor(() => providers.every((provider) => provider.wsconnected && provider.synced), {
			timeoutMs: 15_000,
			message: 'clients did not reconnect',
		})
		await waitFor(() => providers.every((provider) => provider.doc.getMap('records').size === expected.length), {
			timeoutMs: 15_000,
			message: `clients did not converge to ${expected.length} keys`,
		})
		const reference = providers[0].doc.getMap('records').toJSON()
		for (const provider of providers) {
			expect(keysOf(provider)).toEqual(expected)
			expect(provider.doc.getMap('records').toJSON()).toEqual(reference)
		}
		const fresh = client(server.wsUrl, boardId)
		await waitForSynced(fresh)
		expect(keysOf(fresh)).toEqual(expected)
		expect(fresh.doc.getMap('records').toJSON()).toEqual(reference)

		// …and it is on disk: one more crash with every client gone loses nothing.
		await sleep(DURABILITY_WINDOW_MS + 100)
		destroyClients(...clients.splice(0))
		await server.kill('SIGKILL')
		server = await startOn(dataDir, port)
		const afterCrash = client(server.wsUrl, boardId)
		await waitForSynced(afterCrash)
		expect(afterCrash.doc.getMap('records').toJSON()).toEqual(reference)

		console.info(
			`[chaos] seed=${SEED} clients=${CLIENTS} kills=${KILLS} edits=${expected.length} writing=${writeMs} ms ` +
				`restart=${restartTimes.join('/')} ms`,
		)
	})

	it('what the server accepted ≥ 1 s before a SIGKILL survives with every client gone', async () => {
		const random = mulberry32(SEED + 100)
		const dataDir = await makeTempDir('workshop-board-chaos-')
		dirs.push(dataDir)
		const port = await findFreePort()
		let server = await startOn(dataDir, port)
		const boardId = `acked-board-${SEED}`

		const writerClients = Array.from({ length: 8 }, () => client(server.wsUrl, boardId))
		// The observer never writes: whatever it holds, the server accepted and relayed.
		const observer = client(server.wsUrl, boardId)
		await Promise.all([...writerClients, observer].map((provider) => waitForSynced(provider)))
		const writers = writerClients.map((provider, i) => startWriter(provider, i, mulberry32(SEED + 200 + i)))

		await sleep(500 + Math.floor(random() * 1_500))
		const accepted = keysOf(observer)
		// Keep writing through the durability window, then crash mid-stream at a random moment.
		await sleep(DURABILITY_WINDOW_MS + Math.floor(random() * 500))
		for (const writer of writers) writer.stop()
		destroyClients(...clients.splice(0)) // nobody is left to re-send anything
		await server.kill('SIGKILL')

		server = await startOn(dataDir, port)
		const fresh = client(server.wsUrl, boardId)
		await waitForSynced(fresh)
		const survived = new Set(keysOf(fresh))
		expect(accepted.length).toBeGreaterThan(50)
		expect(accepted.filter((key) => !survived.has(key))).toEqual([])
		const writtenTotal = writers.reduce((sum, writer) => sum + writer.written.length, 0)
		console.info(`[chaos] accepted-before-window=${accepted.length} survived=${survived.size} written=${writtenTotal}`)
	})
})
