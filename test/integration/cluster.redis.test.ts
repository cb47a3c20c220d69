/**
 * Redis faults in a cluster (issue #12), on a private real Redis that the test
 * stops and starts (the machine's Redis is shared with other test files):
 *
 * Redis is killed under writes for longer than the lease. Owners stop serving
 * once their lease cannot be confirmed (clients are closed with a retryable
 * code and keep their edits); Redis comes back empty (no persistence), so the
 * fencing counter restarts below the tokens stored in PostgreSQL — the new
 * owner raises it past them — and in the end every client, a fresh client and
 * the store hold every edit.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { openPostgresStorage } from '../../server/storage/storageProvider'
import { startCluster, type ClusterForTests } from '../helpers/clusterProcesses'
import { postgresForTests } from '../helpers/postgresDatabase'
import { redisForTests, startPrivateRedis, type PrivateRedis } from '../helpers/redisForTests'
import { connectClient, destroyClients, waitFor, waitForSynced } from './helpers'

const postgres = await postgresForTests()
const privateRedis: PrivateRedis | null = postgres.available ? await startPrivateRedis() : null
const redis = privateRedis ? await redisForTests(privateRedis.url) : null
const skipNote = postgres.available ? (privateRedis ? '' : '(skipped: no redis-server binary)') : postgres.skipNote

let cluster: ClusterForTests | null = null
const clients: WebsocketProvider[] = []

afterEach(async (context) => {
	if (context.task.result?.state === 'fail' && cluster) for (const node of cluster.nodes) console.error(node.output().split('\n').filter((line) => !/relay.no_route|redis_error|conn.open|conn.closed|relay.open|conn.close /.test(line)).join('\n').slice(-5000))
	destroyClients(...clients.splice(0))
	await cluster?.destroy()
	cluster = null
	await privateRedis?.stop()
})

describe.skipIf(!redis)(`cluster with Redis stopped and started under writes ${skipNote}`, () => {
	it('no split brain, no lost edit: owners stop at lease expiry, and the board resumes with a fencing token above the stored one', async () => {
		const boardId = 'cluster-redis-fault'
		cluster = await startCluster({ redis: redis!, postgres, size: 2, boards: [boardId], env: { LOG_LEVEL: 'info' } })
		const writers = Array.from({ length: 4 }, (_, i) => {
			const writer = connectClient(cluster!.nodes[i % 2].wsUrl, boardId)
			clients.push(writer)
			return writer
		})
		await Promise.all(writers.map((writer) => waitForSynced(writer)))
		const written = new Set<string>()
		let n = 0
		const timer = setInterval(() => {
			writers.forEach((writer, i) => {
				writer.doc.getMap('records').set(`w${i}-${n}`, n)
				written.add(`w${i}-${n}`)
			})
			n += 1
		}, 40)
		await new Promise((resolve) => setTimeout(resolve, 500))
		await privateRedis!.stop()
		// Longer than the lease (1 s): every owner must have given its boards up.
		await waitFor(() => cluster!.nodes.some((node) => node.output().includes('cluster.lease_lost')), { timeoutMs: 5_000, message: 'no lease lost' })
		// Liveness stays, readiness names Redis.
		expect((await fetch(`${cluster.nodes[0].url}/healthz`)).status).toBe(200)
		const notReady = await fetch(`${cluster.nodes[0].url}/readyz`)
		expect(notReady.status).toBe(503)
		expect(await notReady.json()).toMatchObject({ ready: false, storageReady: true, redis: 'unreachable' })
		await new Promise((resolve) => setTimeout(resolve, 1_000))
		await privateRedis!.start()
		await waitFor(() => cluster!.nodes.some((node) => node.output().includes('cluster.fence_behind')), { timeoutMs: 10_000, message: 'fence not raised' })
		await new Promise((resolve) => setTimeout(resolve, 500))
		clearInterval(timer)

		const expected = [...written].sort()
		await waitFor(() => writers.every((writer) => writer.doc.getMap('records').size === expected.length), { timeoutMs: 20_000, message: 'clients did not converge' })
		for (const writer of writers) expect([...writer.doc.getMap('records').keys()].sort()).toEqual(expected)
		for (const node of cluster.nodes) {
			const fresh = connectClient(node.wsUrl, boardId)
			clients.push(fresh)
			await waitForSynced(fresh)
			expect([...fresh.doc.getMap('records').keys()].sort()).toEqual(expected)
		}
		destroyClients(...clients.splice(0))
		// Every log line of a cluster process names the process.
		for (const node of cluster.nodes) {
			const lines = node.output().split('\n').filter((line) => /^\d{4}-\d\d-\d\dT/.test(line))
			expect(lines.length).toBeGreaterThan(0)
			for (const line of lines) expect(line).toMatch(/ process=\S+-\d+-[0-9a-f]{6}( |$)/)
		}
		expect(await Promise.all(cluster.nodes.map((_node, i) => cluster!.stop(i)))).toEqual([0, 0])
		const storage = await openPostgresStorage(cluster.databaseUrl)
		try {
			const doc = new Y.Doc()
			Y.applyUpdate(doc, (await storage.boards.loadBoard(boardId)).update!)
			expect([...doc.getMap('records').keys()].sort()).toEqual(expected)
		} finally {
			await storage.close()
		}
	})
})
