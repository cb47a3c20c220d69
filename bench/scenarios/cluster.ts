/**
 * Scenario 10 — cluster (issue #12): two real server processes on one
 * PostgreSQL database and one Redis (own key prefix), stock y-websocket clients.
 *
 * - Relay hop: one writer on the board's owner; one receiver on the owner
 *   ("reference" column) and one on the other process, relayed ("ours").
 *   Doc-update latency (send → receiver's doc has it) and cursor latency
 *   (awareness field → receiver's awareness has it; includes the 50 ms merge
 *   tick on both paths), p50/p99.
 * - Failover: SIGKILL of the owner while two clients on the other process
 *   write every 20 ms; time until a write made after the kill reaches the
 *   other client (both reconnected, the survivor took the board). Repeated,
 *   the killed process restarted each time; every write must arrive (lost = 0).
 *
 * Not measured here yet: CPU per delivered message and the Hocuspocus +
 * @hocuspocus/extension-redis comparison. Skipped with a note without Redis or PostgreSQL.
 */
import type { WebsocketProvider } from 'y-websocket'
import { startCluster } from '../../test/helpers/clusterProcesses'
import { postgresForTests } from '../../test/helpers/postgresDatabase'
import { redisForTests } from '../../test/helpers/redisForTests'
import { connectClient, destroyClients, waitFor, waitForSynced } from '../../test/integration/helpers/syncClients'
import { nowMs, sleep } from '../lib/clock'
import { metric, type ScenarioResult } from '../lib/report'
import { summarizeLatencies } from '../lib/stats'

const BOARD = 'bench-cluster'
const LEASE_MS = 2_000

interface Options {
	quick: boolean
	log(line: string): void
}

const title = 'cluster: relay hop and failover (2 processes, Redis, PostgreSQL)'

export async function clusterScenario({ quick, log }: Options): Promise<ScenarioResult> {
	const [postgres, redis] = await Promise.all([postgresForTests(), redisForTests()])
	if (!postgres.available || !redis.available) {
		return { id: 'cluster', title, referenceLabel: 'client on the owner', metrics: [], details: {}, notes: [`skipped: ${postgres.skipNote} ${redis.skipNote}`.trim()] }
	}
	const cluster = await startCluster({ redis, postgres, size: 2, boards: [BOARD], leaseMs: LEASE_MS, env: { LOG_LEVEL: 'warn' } })
	const clients: WebsocketProvider[] = []
	const connect = (wsUrl: string) => {
		const client = connectClient(wsUrl, BOARD)
		clients.push(client)
		return client
	}
	try {
		const writer = connect(cluster.nodes[0].wsUrl)
		await waitForSynced(writer)
		const owner = await cluster.ownerIndex(BOARD)
		const onOwner = connect(cluster.nodes[owner].wsUrl)
		const relayed = connect(cluster.nodes[1 - owner].wsUrl)
		await Promise.all([waitForSynced(onOwner), waitForSynced(relayed)])

		// Doc updates.
		const updates = quick ? 150 : 600
		const sentAt = new Map<string, number>()
		const docLatency = (receiver: WebsocketProvider) => {
			const samples: number[] = []
			receiver.doc.getMap('records').observe((event) => {
				const now = nowMs()
				for (const key of event.keysChanged) {
					const sent = sentAt.get(key)
					if (sent !== undefined) samples.push(now - sent)
				}
			})
			return samples
		}
		const docOwner = docLatency(onOwner)
		const docRelayed = docLatency(relayed)
		for (let n = 0; n < updates; n++) {
			sentAt.set(`u${n}`, nowMs())
			writer.doc.getMap('records').set(`u${n}`, n)
			await sleep(10)
		}
		await waitFor(() => docOwner.length === updates && docRelayed.length === updates, { timeoutMs: 10_000, message: 'updates did not arrive' })

		// Cursors.
		const moves = quick ? 100 : 400
		const movedAt: number[] = []
		const cursorLatency = (receiver: WebsocketProvider) => {
			const samples: number[] = []
			let seen = -1
			receiver.awareness.on('change', () => {
				const cursor = receiver.awareness.getStates().get(writer.awareness.clientID)?.cursor as { n: number } | undefined
				if (cursor && cursor.n > seen) {
					seen = cursor.n
					samples.push(nowMs() - movedAt[cursor.n])
				}
			})
			return samples
		}
		const cursorOwner = cursorLatency(onOwner)
		const cursorRelayed = cursorLatency(relayed)
		for (let n = 0; n < moves; n++) {
			movedAt[n] = nowMs()
			writer.awareness.setLocalStateField('cursor', { n, x: n, y: n })
			await sleep(30)
		}
		await sleep(300)
		destroyClients(...clients.splice(0))

		// Failover.
		const kills = quick ? 3 : 10
		const failoverMs: number[] = []
		let lost = 0
		for (let kill = 0; kill < kills; kill++) {
			// The board may have unloaded (and its lease been released) since the last round: a client brings it back.
			await waitForSynced(connect(cluster.nodes[kill % 2].wsUrl))
			const victim = await cluster.ownerIndex(BOARD)
			const survivorUrl = cluster.nodes[1 - victim].wsUrl
			const a = connect(survivorUrl)
			const b = connect(survivorUrl)
			await Promise.all([waitForSynced(a), waitForSynced(b)])
			const written: string[] = []
			let n = 0
			const timer = setInterval(() => {
				const key = `k${kill}-${n++}`
				written.push(key)
				a.doc.getMap('records').set(key, nowMs())
			}, 20)
			await sleep(200)
			const killedAt = nowMs()
			const firstAfterKill = n + 1
			await cluster.kill(victim)
			await waitFor(() => b.doc.getMap('records').has(`k${kill}-${firstAfterKill}`), { timeoutMs: LEASE_MS + 15_000, intervalMs: 5, message: 'no write after the kill arrived' })
			failoverMs.push(nowMs() - killedAt)
			clearInterval(timer)
			await waitFor(() => written.every((key) => b.doc.getMap('records').has(key)), { timeoutMs: 10_000 }).catch(() => {})
			lost += written.filter((key) => !b.doc.getMap('records').has(key)).length
			destroyClients(...clients.splice(0))
			await cluster.restart(victim)
			log(`failover ${kill + 1}/${kills}: ${Math.round(failoverMs[kill])} ms`)
		}

		const doc = { owner: summarizeLatencies(docOwner), relayed: summarizeLatencies(docRelayed) }
		const cursor = { owner: summarizeLatencies(cursorOwner), relayed: summarizeLatencies(cursorRelayed) }
		const failover = summarizeLatencies(failoverMs)
		const added = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((a - b) * 100) / 100)
		const docAddedP50 = added(doc.relayed.p50, doc.owner.p50)
		const docAddedP99 = added(doc.relayed.p99, doc.owner.p99)
		const failoverTarget = LEASE_MS + 2_000
		return {
			id: 'cluster',
			title,
			referenceLabel: 'client on the owner',
			metrics: [
				metric('doc update latency p50, client on a relaying process', 'ms', doc.relayed.p50, doc.owner.p50, { text: 'relay adds ≤ 3 ms p50', met: docAddedP50 === null ? null : docAddedP50 <= 3 }),
				metric('doc update latency p99, client on a relaying process', 'ms', doc.relayed.p99, doc.owner.p99, { text: 'relay adds ≤ 15 ms p99', met: docAddedP99 === null ? null : docAddedP99 <= 15 }),
				metric('cursor latency p50 (50 ms merge tick included), relayed', 'ms', cursor.relayed.p50, cursor.owner.p50),
				metric('cursor latency p99, relayed', 'ms', cursor.relayed.p99, cursor.owner.p99),
				metric(`failover SIGKILL → writing again p50 (lease ${LEASE_MS} ms)`, 'ms', failover.p50, null),
				metric(`failover p99 over ${kills} kills`, 'ms', failover.p99, null, {
					text: `≤ lease + 2 s = ${failoverTarget} ms`,
					met: failover.p99 === null ? null : failover.p99 <= failoverTarget,
				}),
				metric('updates lost across the kills', 'updates', lost, null, { text: '0', met: lost === 0 }),
			],
			details: { doc, cursor, failover: { ...failover, samples: failoverMs.map(Math.round) }, updates, moves, kills, leaseMs: LEASE_MS },
			notes: ['CPU per delivered message and the Hocuspocus + extension-redis comparison are not measured yet.'],
		}
	} finally {
		destroyClients(...clients.splice(0))
		await cluster.destroy()
	}
}
