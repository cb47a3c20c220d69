/**
 * Scenario 3 — join storm: 200 clients join a room holding a 2,000-sticky
 * board within 1 s (one every 5 ms). A client is synced when it received
 * the server's sync step 2 answering its step 1; two of them decode the
 * board and check every record arrived. Ours and the reference, same run.
 */
import path from 'node:path'
import { nowMs, sleep } from '../lib/clock'
import { makeStickyBoardUpdate, seedBoard } from '../lib/boardDoc'
import { LoadPool } from '../lib/loadPool'
import type { JoinConfig, JoinStats } from '../lib/loadProtocol'
import { metric, type ScenarioResult } from '../lib/report'
import { startServer, type ServerKind } from '../lib/servers'
import { round, summarizeLatencies, type LatencySummary } from '../lib/stats'

export interface JoinRun {
	server: ServerKind
	clients: number
	synced: LatencySummary
	neverSynced: number
	serverCpuMs: number
	serverPeakRssMiB: number | null
	serverMiBSent: number
	framesSent: number
	verified: Array<{ index: number; records: number }>
	generatorCpuMs: number
}

export async function runJoinStorm(
	kind: ServerKind,
	boardUpdate: Uint8Array,
	expectedRecords: number,
	clients: number,
	windowMs: number,
	cpuProfDir?: string,
): Promise<JoinRun> {
	const server = await startServer(kind, { cpuProfDir })
	const processes = Math.min(4, Math.max(1, Math.ceil(clients / 50)))
	const pool = new LoadPool(processes)
	const boardId = `join-${Date.now().toString(36)}`
	await server.createBoard(boardId)
	try {
		const host = await seedBoard(server.wsUrl, boardId, boardUpdate)
		const spacingMs = windowMs / clients
		const verifyIndices = [0, clients - 1]
		LoadPool.connectAll(
			pool,
			Array.from({ length: processes }, (_, p): JoinConfig => ({
				kind: 'join',
				wsUrl: server.wsUrl,
				boardId,
				indices: Array.from({ length: clients }, (_, i) => i).filter((i) => i % processes === p),
				spacingMs,
				verifyIndices,
				expectedRecords,
				timeoutMs: 30_000,
			})),
		)
		await pool.expectAll('connected', 30_000)
		await sleep(200)
		server.cpu.start()
		pool.broadcast({ type: 'run', startAt: nowMs() + 100, durationMs: 0 })
		await pool.expectAll('ran', 60_000)
		const serverCpuMs = server.cpu.elapsed()
		const stats = await pool.collect<JoinStats>()
		host.close()
		const times = stats.flatMap((s) => s.syncMs)
		return {
			server: kind,
			clients,
			synced: summarizeLatencies(times.filter((t): t is number => t !== null)),
			neverSynced: times.filter((t) => t === null).length,
			serverCpuMs: Math.round(serverCpuMs),
			serverPeakRssMiB: server.peakRssMiB(),
			serverMiBSent: round(stats.reduce((sum, s) => sum + s.bytesReceived, 0) / 2 ** 20) ?? 0,
			framesSent: stats.reduce((sum, s) => sum + s.framesReceived, 0),
			verified: stats.flatMap((s) => s.verified),
			generatorCpuMs: Math.round(stats.reduce((sum, s) => sum + s.cpuUserMs + s.cpuSystemMs, 0)),
		}
	} finally {
		pool.dispose()
		await server.stop()
	}
}

export async function joinStormScenario({ quick, log, profileDir }: { quick: boolean; log: (line: string) => void; profileDir?: string }): Promise<ScenarioResult> {
	const stickies = 2_000
	const clients = 200
	const update = makeStickyBoardUpdate(stickies)
	const expectedRecords = stickies + 2 // + document and page
	const runs: Record<ServerKind, JoinRun | null> = { ours: null, reference: null }
	for (const kind of ['ours', 'reference'] as const) {
		const cpuProfDir = profileDir ? path.join(profileDir, `${kind}-join`) : undefined
		const run = await runJoinStorm(kind, update, expectedRecords, clients, 1_000, cpuProfDir)
		log(
			`${kind.padEnd(9)} join storm: synced p50/p99/max ${run.synced.p50}/${run.synced.p99}/${run.synced.max} ms, never ${run.neverSynced}, ` +
				`CPU ${run.serverCpuMs} ms, sent ${run.serverMiBSent} MiB, RSS ${run.serverPeakRssMiB} MiB, verified ${JSON.stringify(run.verified)}`,
		)
		runs[kind] = run
	}
	void quick
	const ours = runs.ours as JoinRun
	const ref = runs.reference as JoinRun
	const allVerified = ours.verified.every((v) => v.records === expectedRecords)
	return {
		id: '3 join storm',
		title: `${clients} clients join a ${stickies.toLocaleString('en-US')}-sticky board within 1 s`,
		referenceLabel: 'y-websocket-server',
		metrics: [
			metric('time to synced p50', 'ms', ours.synced.p50, ref.synced.p50),
			metric('time to synced p99', 'ms', ours.synced.p99, ref.synced.p99, { text: '≤ 5000 ms', met: ours.synced.p99 !== null && ours.synced.p99 <= 5000 && ours.neverSynced === 0 && allVerified }),
			metric('never synced', '', ours.neverSynced, ref.neverSynced),
			metric('server CPU during storm', 'ms', ours.serverCpuMs, ref.serverCpuMs),
			metric('bytes sent by server', 'MiB', ours.serverMiBSent, ref.serverMiBSent),
			metric('server peak RSS', 'MiB', ours.serverPeakRssMiB, ref.serverPeakRssMiB),
		],
		details: { boardUpdateBytes: update.byteLength, expectedRecords, runs },
		notes: [],
	}
}
