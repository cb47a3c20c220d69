/**
 * The cluster comparison's workload, the same for every system under test:
 * `clientsPerBoard` clients on each of `boards`, placed on the server
 * processes by `placement`, every client writing one small doc update (a new
 * key in the `records` map) every `writeIntervalMs`. A delivered message is
 * one update arriving in one other client's doc. Over the measured window:
 * server (+ Redis, + PostgreSQL backends) CPU, memory, deliveries and the
 * send → other client's doc latency of every delivery.
 */
import type { Redis } from 'ioredis'
import os from 'node:os'
import type pg from 'pg'
import type * as Y from 'yjs'
import { nowMs, sleep } from '../lib/clock'
import { summarizeLatencies, type LatencySummary } from '../lib/stats'
import { startCostMeter, type WindowCost } from './resourceMeters'

/** One connected client, whichever provider it uses. */
export interface WorkloadClient {
	doc: Y.Doc
	isSynced(): boolean
	destroy(): void
}

export interface WorkloadOptions {
	boards: readonly string[]
	clientsPerBoard: number
	/** Process index for client `client` (0-based) of board number `board`. */
	placement(board: number, client: number): number
	connect(processIndex: number, boardName: string): WorkloadClient
	/**
	 * Runs before any client of a board connects (ours pins the board's owner
	 * with a client of its own there); the returned cleanup runs once the
	 * board's clients are synced.
	 */
	prepareBoard?: (board: number, boardName: string) => Promise<() => void>
	writeIntervalMs: number
	warmupMs: number
	measureMs: number
	pids: readonly number[]
	redis: Redis
	postgres?: { admin: pg.Client; database: string }
}

export interface WorkloadResult {
	delivered: number
	/** Deliveries that never arrived (each write × the other clients of its board). */
	missing: number
	cost: WindowCost
	/** Server processes' CPU per delivered message, µs. */
	serverCpuUsPerMessage: number
	/** Servers + Redis, µs per delivered message. */
	totalCpuUsPerMessage: number
	/** Servers + Redis + PostgreSQL backends, µs (null without a watched database). */
	totalWithPostgresUsPerMessage: number | null
	latency: LatencySummary
	/** 1-minute load average of the machine at the end of the window. */
	loadAverage1m: number
}

async function waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`workload: ${what} within ${timeoutMs} ms`)
		await sleep(10)
	}
}

export async function runWorkload(options: WorkloadOptions): Promise<WorkloadResult> {
	const clients: WorkloadClient[] = []
	const timers: NodeJS.Timeout[] = []
	try {
		const sentAt = new Map<string, number>()
		let measuring = false
		let delivered = 0
		const latencies: number[] = []
		const boardClients: WorkloadClient[][] = []

		const attach = (board: number, client: number, boardName: string): WorkloadClient => {
			const c = options.connect(options.placement(board, client), boardName)
			const own = `${board}.${client}.`
			c.doc.getMap('records').observe((event) => {
				const now = nowMs()
				for (const key of event.keysChanged) {
					if (key.startsWith(own)) continue
					delivered++
					if (!measuring) continue
					const sent = sentAt.get(key)
					if (sent !== undefined) latencies.push(now - sent)
				}
			})
			clients.push(c)
			return c
		}

		for (const [board, boardName] of options.boards.entries()) {
			const cleanup = options.prepareBoard ? await options.prepareBoard(board, boardName) : () => {}
			const cs = Array.from({ length: options.clientsPerBoard }, (_, client) => attach(board, client, boardName))
			await waitUntil(() => cs.every((c) => c.isSynced()), 15_000, `clients of ${boardName} not synced`)
			cleanup()
			boardClients.push(cs)
		}

		// Staggered writers, so the processes see a steady stream rather than bursts.
		const writers = boardClients.flatMap((cs, board) => cs.map((c, client) => ({ c, prefix: `${board}.${client}.` })))
		const writeCounts = writers.map(() => 0)
		writers.forEach(({ c, prefix }, i) => {
			const start = setTimeout(() => {
				timers.push(
					setInterval(() => {
						const key = `${prefix}${writeCounts[i]++}`
						sentAt.set(key, nowMs())
						c.doc.getMap('records').set(key, writeCounts[i])
					}, options.writeIntervalMs),
				)
			}, (i * options.writeIntervalMs) / writers.length)
			timers.push(start)
		})

		await sleep(options.warmupMs)
		const meter = await startCostMeter(options)
		const deliveredAtStart = delivered
		measuring = true
		await sleep(options.measureMs)
		measuring = false
		for (const timer of timers.splice(0)) clearInterval(timer)
		const expected = () => writeCounts.reduce((sum, n) => sum + n * (options.clientsPerBoard - 1), 0)
		await waitUntil(() => delivered >= expected(), 5_000, 'deliveries did not drain').catch(() => {})
		const cost = await meter.stop()
		const inWindow = delivered - deliveredAtStart
		const perMessage = (ms: number) => Math.round(((ms * 1000) / Math.max(1, inWindow)) * 10) / 10
		return {
			delivered: inWindow,
			missing: Math.max(0, expected() - delivered),
			cost,
			serverCpuUsPerMessage: perMessage(cost.serverCpuMs),
			totalCpuUsPerMessage: perMessage(cost.serverCpuMs + cost.redisCpuMs),
			totalWithPostgresUsPerMessage: cost.postgresCpuMs === null ? null : perMessage(cost.serverCpuMs + cost.redisCpuMs + cost.postgresCpuMs),
			latency: summarizeLatencies(latencies),
			loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
		}
	} finally {
		for (const timer of timers) clearInterval(timer)
		for (const c of clients) c.destroy()
	}
}
