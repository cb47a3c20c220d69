/**
 * CPU per delivered message, memory and doc-update latency of the 3-process
 * workload (bench/cluster/messageWorkload.ts) on our cluster and on
 * Hocuspocus + @hocuspocus/extension-redis, in one run:
 *
 * - ours, every client on its board's owner process;
 * - ours, every client on a non-owner process (each relayed to the owner);
 * - ours, clients spread over the three processes (what a load balancer
 *   without sticky sessions does: about 2 in 3 are relayed);
 * - Hocuspocus, the same spread over its three processes.
 *
 * The machine is shared and noisy: the four run in alternation `rounds`
 * times, and the scenario reports the median of each.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import type { Redis } from 'ioredis'
import type pg from 'pg'
import WebSocket from 'ws'
import * as Y from 'yjs'
import type { ClusterForTests } from '../../test/helpers/clusterProcesses'
import { connectClient, destroyClients, waitForSynced } from '../../test/integration/helpers/syncClients'
import type { HocuspocusCluster } from './hocuspocusCluster'
import { runWorkload, type WorkloadClient, type WorkloadResult } from './messageWorkload'

export type ComparisonMode = 'oursOnOwner' | 'oursRelayed' | 'oursSpread' | 'hocuspocusSpread'
export const COMPARISON_MODES: readonly ComparisonMode[] = ['oursOnOwner', 'oursRelayed', 'oursSpread', 'hocuspocusSpread']

export interface ComparisonShape {
	rounds: number
	boardsPerRun: number
	clientsPerBoard: number
	writeIntervalMs: number
	warmupMs: number
	measureMs: number
}

/** Board names of every run of ours, to be created before the cluster starts (ours refuses unknown boards). */
export function oursBoardNames(shape: ComparisonShape): string[] {
	const names: string[] = []
	for (let round = 0; round < shape.rounds; round++) {
		for (const mode of COMPARISON_MODES) {
			if (mode.startsWith('ours')) for (let b = 0; b < shape.boardsPerRun; b++) names.push(boardName(mode, round, b))
		}
	}
	return names
}

function boardName(mode: ComparisonMode, round: number, board: number): string {
	return `bench-cpu-${mode.toLowerCase()}-r${round}-b${board}`
}

function oursClient(wsUrl: string, board: string): WorkloadClient {
	const provider = connectClient(wsUrl, board)
	return { doc: provider.doc, isSynced: () => provider.synced, destroy: () => destroyClients(provider) }
}

function hocuspocusClient(url: string, board: string): WorkloadClient {
	const document = new Y.Doc()
	// One socket per client, as each browser tab would have; `ws` stands in for the browser's WebSocket.
	const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket })
	const provider = new HocuspocusProvider({ websocketProvider: socket, name: board, document })
	provider.attach()
	return {
		doc: document,
		isSynced: () => provider.isSynced,
		destroy: () => {
			provider.destroy()
			socket.destroy()
			document.destroy()
		},
	}
}

export interface ComparisonContext {
	ours: ClusterForTests
	theirs: HocuspocusCluster
	redis: Redis
	postgres: { admin: pg.Client; database: string }
	log(line: string): void
}

async function runMode(mode: ComparisonMode, round: number, shape: ComparisonShape, ctx: ComparisonContext): Promise<WorkloadResult> {
	const size = 3
	const boards = Array.from({ length: shape.boardsPerRun }, (_, b) => boardName(mode, round, b))
	const common = { boards, clientsPerBoard: shape.clientsPerBoard, writeIntervalMs: shape.writeIntervalMs, warmupMs: shape.warmupMs, measureMs: shape.measureMs, redis: ctx.redis }
	const spread = (board: number, client: number) => (board + client) % size
	if (mode === 'hocuspocusSpread') {
		return runWorkload({
			...common,
			placement: spread,
			connect: (i, name) => hocuspocusClient(ctx.theirs.nodes[i].wsUrl, name),
			pids: ctx.theirs.nodes.map((n) => n.pid),
			postgres: { admin: ctx.postgres.admin, database: ctx.theirs.database.name },
		})
	}
	const nodes = ctx.ours.nodes
	// Board b's owner is process b % 3: a client there opens it first (fresh board, free lease), before the workload's clients.
	const owner = (board: number) => board % size
	const placement = mode === 'oursSpread' ? spread : mode === 'oursOnOwner' ? owner : (board: number, client: number) => (owner(board) + 1 + (client % 2)) % size
	return runWorkload({
		...common,
		placement,
		connect: (i, name) => oursClient(nodes[i].wsUrl, name),
		pids: nodes.map((n) => n.process.pid as number),
		postgres: ctx.postgres,
		async prepareBoard(board, name) {
			const pin = connectClient(nodes[owner(board)].wsUrl, name)
			await waitForSynced(pin, 15_000)
			const actual = await ctx.ours.ownerIndex(name)
			if (actual !== owner(board)) throw new Error(`${name}: owner is process ${actual}, expected ${owner(board)}`)
			return () => destroyClients(pin)
		},
	})
}

export type ComparisonRuns = Record<ComparisonMode, WorkloadResult[]>

/** Every mode once per round, in alternation (the order rotates each round). */
export async function runComparison(shape: ComparisonShape, ctx: ComparisonContext): Promise<ComparisonRuns> {
	const runs: ComparisonRuns = { oursOnOwner: [], oursRelayed: [], oursSpread: [], hocuspocusSpread: [] }
	for (let round = 0; round < shape.rounds; round++) {
		const order = COMPARISON_MODES.map((_, i) => COMPARISON_MODES[(i + round) % COMPARISON_MODES.length])
		for (const mode of order) {
			const result = await runMode(mode, round, shape, ctx)
			runs[mode].push(result)
			ctx.log(
				`cpu round ${round + 1}/${shape.rounds} ${mode}: ${result.totalCpuUsPerMessage} µs/msg (servers ${result.serverCpuUsPerMessage}, ` +
					`Redis ${Math.round(result.cost.redisCpuMs)} ms), ${result.delivered} delivered, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, RSS ${Math.round(result.cost.serverRssMiB)} MiB, load ${result.loadAverage1m}`,
			)
		}
	}
	return runs
}
