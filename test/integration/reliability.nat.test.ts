/**
 * Guarantee 4, last clause (docs/reliability.md): the limits must not punish
 * a workshop of 200 people behind one office NAT. With the default limits
 * (no env overrides), 200 stock clients from one IP (127.0.0.1) join one
 * board, move their cursors and write at a human pace; nobody is refused or
 * closed (no 4529 rate limit, no 4530 capacity), and everyone converges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { CloseCode } from '../../shared/protocol'
import {
	connectClient,
	destroyClients,
	fetchHealth,
	makeTempDir,
	removeDir,
	startServerProcess,
	waitFor,
	waitForSynced,
	type ServerProcess,
} from './helpers'

const PEOPLE = 200
// Each stock WebsocketProvider adds a process 'exit' listener.
process.setMaxListeners(PEOPLE + 20)

let server: ServerProcess
let dataDir: string
const clients: WebsocketProvider[] = []

beforeAll(async () => {
	dataDir = await makeTempDir('workshop-board-nat-')
	server = await startServerProcess({ boards: ['all-hands-board'], dataDir, env: { LOG_LEVEL: 'error' } })
})
afterAll(async () => {
	destroyClients(...clients.splice(0))
	await server?.kill('SIGKILL')
	await removeDir(dataDir)
})

describe('one office NAT', () => {
	it(`${PEOPLE} people from one IP on one board under the default limits: nobody is refused`, async () => {
		const closeCodes: number[] = []
		for (let i = 0; i < PEOPLE; i++) {
			const provider = connectClient(server.wsUrl, 'all-hands-board')
			provider.on('connection-close', (event: { code: number } | null) => {
				if (event) closeCodes.push(event.code)
			})
			clients.push(provider)
		}
		await Promise.all(clients.map((provider) => waitForSynced(provider, 30_000)))
		expect((await fetchHealth(server.url)).connections).toBe(PEOPLE)

		// Two seconds of a live workshop: cursors move ~10×/s, a sticky now and then.
		const started = Date.now()
		let round = 0
		let written = 0
		while (Date.now() - started < 2_000) {
			clients.forEach((provider, i) => {
				provider.awareness.setLocalStateField('presence', { cursor: { x: round * 3 + i, y: i } })
				if ((round + i) % 10 === 0) {
					provider.doc.getMap('records').set(`note-${i}-${round}`, { by: i })
					written += 1
				}
			})
			round += 1
			await new Promise((resolve) => setTimeout(resolve, 100))
		}
		await waitFor(() => clients.every((provider) => provider.doc.getMap('records').size === written), {
			timeoutMs: 20_000,
			message: `the ${PEOPLE} clients did not all receive the ${written} notes`,
		})
		// Everyone sees everyone's cursor.
		await waitFor(() => clients.every((provider) => provider.awareness.getStates().size === PEOPLE), {
			timeoutMs: 10_000,
			message: 'not every client sees every cursor',
		})

		expect(closeCodes.filter((code) => code === CloseCode.rateLimited || code === CloseCode.capacity)).toEqual([])
		expect(closeCodes).toEqual([])
		expect(clients.every((provider) => provider.wsconnected)).toBe(true)
		console.info(`[nat] people=${PEOPLE} rounds=${round} notes=${written} closes=${closeCodes.length}`)
	})
})
