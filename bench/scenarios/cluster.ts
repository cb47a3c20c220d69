/**
 * Scenario 10 — cluster (issue #12): three real server processes on one
 * private PostgreSQL database and one Redis (own key prefix), stock
 * y-websocket clients; and, in the same run, three Hocuspocus 3.4 processes
 * with @hocuspocus/extension-redis on the same Redis (own prefix) and their
 * own provider as the client.
 *
 * - Relay hop: one writer; one receiver on the board's owner ("reference"
 *   column) and one on another process, relayed ("ours"). Doc-update latency
 *   (send → receiver's doc has it) and cursor latency (awareness field →
 *   receiver's awareness has it; includes the 50 ms merge tick on both
 *   paths), p50/p99.
 * - CPU per delivered message, memory, update latency
 *   (bench/cluster/clusterComparison.ts): the same write workload with every
 *   client on the owner, every client relayed, and spread over the three
 *   processes; Hocuspocus spread the same way. Alternated, medians.
 * - Failover: SIGKILL of the owner while two clients on another process
 *   write every 20 ms; time until a write made after the kill reaches the
 *   other client (both reconnected, a survivor took the board). Repeated,
 *   the killed process restarted each time; every write must arrive (lost = 0).
 *
 * Skipped with a note without Redis or PostgreSQL.
 */
import os from 'node:os'
import type { WebsocketProvider } from 'y-websocket'
import { runComparison, oursBoardNames, type ComparisonRuns, type ComparisonShape } from '../cluster/clusterComparison'
import { startHocuspocusCluster } from '../cluster/hocuspocusCluster'
import { postgresAdmin } from '../cluster/resourceMeters'
import { startCluster } from '../../test/helpers/clusterProcesses'
import { postgresForTests, TEST_POSTGRES_ADMIN_URL } from '../../test/helpers/postgresDatabase'
import { redisForTests } from '../../test/helpers/redisForTests'
import { connectClient, destroyClients, waitFor, waitForSynced } from '../../test/integration/helpers/syncClients'
import { nowMs, sleep } from '../lib/clock'
import { metric, type ScenarioResult } from '../lib/report'
import { median, round, summarizeLatencies } from '../lib/stats'

const BOARD = 'bench-cluster'
const LEASE_MS = 2_000
const SIZE = 3
/** The server's default commit delay: the test helper's 20 ms would inflate our PostgreSQL work. */
const PRODUCTION_FLUSH_MS = '100'

const QUICK_SHAPE: ComparisonShape = { rounds: 2, boardsPerRun: 3, clientsPerBoard: 6, writeIntervalMs: 100, warmupMs: 1_000, measureMs: 3_000 }
const FULL_SHAPE: ComparisonShape = { rounds: 3, boardsPerRun: 5, clientsPerBoard: 6, writeIntervalMs: 100, warmupMs: 1_000, measureMs: 6_000 }

interface Options {
	quick: boolean
	log(line: string): void
}

const title = 'cluster: relay hop, CPU per message vs Hocuspocus + extension-redis, failover (3 processes, Redis, PostgreSQL)'

export async function clusterScenario({ quick, log }: Options): Promise<ScenarioResult> {
	const [postgres, redis] = await Promise.all([postgresForTests(), redisForTests()])
	if (!postgres.available || !redis.available) {
		return { id: 'cluster', title, referenceLabel: '', metrics: [], details: {}, notes: [`skipped: ${postgres.skipNote} ${redis.skipNote}`.trim()] }
	}
	const shape = quick ? QUICK_SHAPE : FULL_SHAPE
	const [cluster, theirs] = await Promise.all([
		startCluster({ redis, postgres, size: SIZE, boards: [BOARD, ...oursBoardNames(shape)], leaseMs: LEASE_MS, env: { LOG_LEVEL: 'warn', PERSIST_FLUSH_INTERVAL_MS: PRODUCTION_FLUSH_MS } }),
		startHocuspocusCluster(redis, postgres, SIZE),
	])
	const redisClient = redis.connect()
	const admin = await postgresAdmin(TEST_POSTGRES_ADMIN_URL)
	// Every stock y-websocket provider adds a process 'exit' listener; dozens are expected here.
	const maxListeners = process.getMaxListeners()
	process.setMaxListeners(Math.max(maxListeners, 200))
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
		const relayed = connect(cluster.nodes[(owner + 1) % SIZE].wsUrl)
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

		// CPU, memory and latency, ours vs Hocuspocus (before the kills: they change the pids).
		const database = new URL(cluster.databaseUrl).pathname.slice(1)
		const runs = await runComparison(shape, { ours: cluster, theirs, redis: redisClient, postgres: { admin, database }, log })

		// Failover.
		const kills = quick ? 3 : 10
		const failoverMs: number[] = []
		let lost = 0
		for (let kill = 0; kill < kills; kill++) {
			// The board may have unloaded (and its lease been released) since the last round: a client brings it back.
			await waitForSynced(connect(cluster.nodes[kill % SIZE].wsUrl))
			const victim = await cluster.ownerIndex(BOARD)
			const survivorUrl = cluster.nodes[(victim + 1) % SIZE].wsUrl
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
		const cpu = comparisonMetrics(runs)
		return {
			id: 'cluster',
			title,
			// Each metric's name says what its reference column is (the owner, or Hocuspocus).
			referenceLabel: '',
			metrics: [
				metric('doc update latency p50, client on a relaying process (ref: on the owner)', 'ms', doc.relayed.p50, doc.owner.p50, { text: 'relay adds ≤ 3 ms p50', met: docAddedP50 === null ? null : docAddedP50 <= 3 }),
				metric('doc update latency p99, relayed (ref: on the owner)', 'ms', doc.relayed.p99, doc.owner.p99, { text: 'relay adds ≤ 15 ms p99', met: docAddedP99 === null ? null : docAddedP99 <= 15 }),
				metric('cursor latency p50 (50 ms merge tick included), relayed (ref: on the owner)', 'ms', cursor.relayed.p50, cursor.owner.p50),
				metric('cursor latency p99, relayed (ref: on the owner)', 'ms', cursor.relayed.p99, cursor.owner.p99),
				metric(`failover SIGKILL → writing again p50 (lease ${LEASE_MS} ms)`, 'ms', failover.p50, null),
				metric(`failover p99 over ${kills} kills`, 'ms', failover.p99, null, {
					text: `≤ lease + 2 s = ${failoverTarget} ms`,
					met: failover.p99 === null ? null : failover.p99 <= failoverTarget,
				}),
				metric('updates lost across the kills', 'updates', lost, null, { text: '0', met: lost === 0 }),
				...cpu.metrics,
			],
			details: { doc, cursor, failover: { ...failover, samples: failoverMs.map(Math.round) }, updates, moves, kills, leaseMs: LEASE_MS, processes: SIZE, cpuWorkload: shape, cpuRuns: cpu.details },
			notes: [
				`CPU rows: median of ${shape.rounds} alternated runs each; ${shape.boardsPerRun} boards × ${shape.clientsPerBoard} clients, one update per client every ${shape.writeIntervalMs} ms; ` +
					'Redis (and PostgreSQL) are shared with the rest of the machine, their deltas include its traffic. Hocuspocus stores the whole document state in PostgreSQL on its debounced onStoreDocument (2 s / max 10 s, its defaults); the first CPU row leaves both databases out.',
				`load average (1 min) during the CPU runs: median ${cpu.details.medianLoadAverage1m}, ${cpu.details.loadAverage1mRange.join('–')} on ${os.cpus().length} cores.`,
			],
		}
	} finally {
		destroyClients(...clients.splice(0))
		process.setMaxListeners(maxListeners)
		redisClient.disconnect()
		await admin.end().catch(() => {})
		await Promise.all([cluster.destroy(), theirs.destroy()])
	}
}

const med = (values: Array<number | null>, digits = 1): number | null => {
	const present = values.filter((v): v is number => v !== null && Number.isFinite(v))
	return present.length ? round(median(present), digits) : null
}

/** Medians of the alternated runs as table rows, and every run's figures for latest.json. */
function comparisonMetrics(runs: ComparisonRuns) {
	const m = (mode: keyof ComparisonRuns, pick: (r: ComparisonRuns[typeof mode][number]) => number | null) => med(runs[mode].map(pick))
	const perMessage = (mode: keyof ComparisonRuns, ms: (r: ComparisonRuns[typeof mode][number]) => number) =>
		m(mode, (r) => (r.delivered ? (ms(r) * 1000) / r.delivered : null))
	const oursTotal = m('oursSpread', (r) => r.totalCpuUsPerMessage)
	const theirsTotal = m('hocuspocusSpread', (r) => r.totalCpuUsPerMessage)
	const hp = 'ref: Hocuspocus + extension-redis'
	const oursRuns = [...runs.oursOnOwner, ...runs.oursRelayed, ...runs.oursSpread]
	const missing = (list: ComparisonRuns['oursSpread']) => list.reduce((sum, r) => sum + r.missing, 0)
	const metrics = [
		metric('server CPU per delivered message, all 3 processes, clients on a non-owner (ref: on the owner)', 'µs', m('oursRelayed', (r) => r.serverCpuUsPerMessage), m('oursOnOwner', (r) => r.serverCpuUsPerMessage)),
		metric(`CPU per delivered message, 3 servers + Redis, clients spread (${hp})`, 'µs', oursTotal, theirsTotal, {
			text: '≤ 1/2 of Hocuspocus + Redis',
			met: oursTotal === null || theirsTotal === null ? null : oursTotal <= theirsTotal / 2,
		}),
		metric(`… servers + Redis + PostgreSQL backends (${hp} + a minimal PostgreSQL store)`, 'µs', m('oursSpread', (r) => r.totalWithPostgresUsPerMessage), m('hocuspocusSpread', (r) => r.totalWithPostgresUsPerMessage)),
		metric(`Redis CPU per delivered message (${hp})`, 'µs', perMessage('oursSpread', (r) => r.cost.redisCpuMs), perMessage('hocuspocusSpread', (r) => r.cost.redisCpuMs)),
		metric(`server RSS, 3 processes summed (${hp})`, 'MiB', m('oursSpread', (r) => r.cost.serverRssMiB), m('hocuspocusSpread', (r) => r.cost.serverRssMiB)),
		metric(`Redis used_memory peak growth during a run (${hp})`, 'KiB', m('oursSpread', (r) => r.cost.redisMemoryPeakDeltaMiB * 1024), m('hocuspocusSpread', (r) => r.cost.redisMemoryPeakDeltaMiB * 1024)),
		metric(`doc update latency p50, clients spread (${hp})`, 'ms', m('oursSpread', (r) => r.latency.p50), m('hocuspocusSpread', (r) => r.latency.p50)),
		metric(`doc update latency p99, clients spread (${hp})`, 'ms', m('oursSpread', (r) => r.latency.p99), m('hocuspocusSpread', (r) => r.latency.p99)),
		metric(`messages delivered per run (${hp})`, 'msgs', m('oursSpread', (r) => r.delivered), m('hocuspocusSpread', (r) => r.delivered)),
		metric(`deliveries missing, all runs (${hp})`, 'msgs', missing(oursRuns), missing(runs.hocuspocusSpread), { text: '0 (ours)', met: missing(oursRuns) === 0 }),
	]
	// Each round runs ours and theirs minutes apart at most: the per-round ratio is the least noisy comparison.
	const pairedRatios = runs.oursSpread.map((r, i) => round(r.totalCpuUsPerMessage / runs.hocuspocusSpread[i].totalCpuUsPerMessage, 3))
	const pairedMedian = med(pairedRatios, 3)
	metrics.splice(2, 0, metric('… median of the per-round ratios ours / Hocuspocus (same round, minutes apart)', '×', pairedMedian, null, {
		text: '≤ 0.5',
		met: pairedMedian === null ? null : pairedMedian <= 0.5,
	}))
	const loads = Object.values(runs).flat().map((r) => r.loadAverage1m)
	return { metrics, details: { runs, pairedRatios, medianLoadAverage1m: med(loads), loadAverage1mRange: [Math.min(...loads), Math.max(...loads)] } }
}
