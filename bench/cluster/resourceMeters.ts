/**
 * What a workload costs the machine, read around a measured window:
 * CPU (utime + stime from /proc) and resident memory of the server processes,
 * Redis's own CPU (INFO used_cpu_user + used_cpu_sys) and memory (INFO
 * used_memory), and optionally the CPU of the PostgreSQL backends serving one
 * database (their pids from pg_stat_activity, CPU from /proc).
 *
 * Redis and PostgreSQL are shared with whatever else runs on the machine:
 * their deltas include other clients' work, which is why the scenario
 * alternates the systems and reports medians.
 */
import type { Redis } from 'ioredis'
import pg from 'pg'
import { readCpuMs, readRssMiB } from '../lib/procStats'

export interface RedisSample {
	cpuMs: number
	usedMemoryBytes: number
}

export async function sampleRedis(redis: Redis): Promise<RedisSample> {
	const info = await redis.info()
	const field = (name: string): number => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? Number.NaN)
	return { cpuMs: (field('used_cpu_user') + field('used_cpu_sys')) * 1000, usedMemoryBytes: field('used_memory') }
}

function cpuOrZero(pid: number): number {
	try {
		return readCpuMs(pid)
	} catch {
		return 0 // exited (or not visible): contributes nothing
	}
}

/** CPU ms per PostgreSQL backend pid of `database`. */
async function postgresBackendsCpu(admin: pg.Client, database: string): Promise<Map<number, number>> {
	const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database])
	return new Map(rows.map((row) => [row.pid, cpuOrZero(row.pid)]))
}

export interface WindowCost {
	/** CPU of the server processes, summed. */
	serverCpuMs: number
	redisCpuMs: number
	/** PostgreSQL backends of the watched database (null when none is watched). */
	postgresCpuMs: number | null
	/** VmRSS of the server processes at the end of the window, summed. */
	serverRssMiB: number
	/** Highest Redis used_memory seen during the window (sampled every 250 ms) minus at its start. */
	redisMemoryPeakDeltaMiB: number
}

export interface CostMeter {
	stop(): Promise<WindowCost>
}

export async function startCostMeter(options: { pids: readonly number[]; redis: Redis; postgres?: { admin: pg.Client; database: string } }): Promise<CostMeter> {
	const { pids, redis, postgres } = options
	const cpuStart = pids.map(cpuOrZero)
	const redisStart = await sampleRedis(redis)
	const pgStart = postgres ? await postgresBackendsCpu(postgres.admin, postgres.database) : null
	// Pub/sub traffic lives in client output buffers only briefly: sample the peak, not the end.
	let redisPeak = redisStart.usedMemoryBytes
	const sampler = setInterval(() => {
		sampleRedis(redis)
			.then((sample) => (redisPeak = Math.max(redisPeak, sample.usedMemoryBytes)))
			.catch(() => {})
	}, 250)
	return {
		async stop() {
			clearInterval(sampler)
			const serverCpuMs = pids.reduce((sum, pid, i) => sum + cpuOrZero(pid) - cpuStart[i], 0)
			const redisEnd = await sampleRedis(redis)
			let postgresCpuMs: number | null = null
			if (postgres && pgStart) {
				const pgEnd = await postgresBackendsCpu(postgres.admin, postgres.database)
				// A backend that appeared during the window counts with all its CPU (an overestimate, against us).
				postgresCpuMs = [...pgEnd].reduce((sum, [pid, cpu]) => sum + cpu - (pgStart.get(pid) ?? 0), 0)
			}
			return {
				serverCpuMs,
				redisCpuMs: redisEnd.cpuMs - redisStart.cpuMs,
				postgresCpuMs,
				serverRssMiB: pids.reduce((sum, pid) => sum + (readRssMiB(pid) ?? 0), 0),
				redisMemoryPeakDeltaMiB: (Math.max(redisPeak, redisEnd.usedMemoryBytes) - redisStart.usedMemoryBytes) / (1024 * 1024),
			}
		},
	}
}

/** A client of the PostgreSQL admin database for pg_stat_activity (the caller ends it). */
export async function postgresAdmin(url: string): Promise<pg.Client> {
	const client = new pg.Client({ connectionString: url })
	await client.connect()
	return client
}
