/**
 * Scenario 5 — storage, SQLite and PostgreSQL side by side in one run (the
 * BoardStorage adapters used directly): sustained write throughput of small
 * updates appended in room-sized batches (what the room's 100 ms write-behind
 * produces); commit latency at a paced 200 updates/s; then cold load of a
 * board whose history is that many small updates — before and after
 * compaction. "Cold load" = a fresh storage instance (new connection), loadBoard,
 * and apply the result to a new Y.Doc (what a room does before answering).
 * PostgreSQL: BENCH_DATABASE_URL's server (default the local one), in a
 * throwaway database; skipped with a note when unreachable.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/recordCodec'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { BoardStorage } from '../../server/storage/boardStorage'
import { createPgPool } from '../../server/storage/postgres/pgPool'
import { PgBoardStorage } from '../../server/storage/postgres/pgBoardStorage'
import { runPgMigrations } from '../../server/storage/postgres/pgMigrations'
import { SqliteBoardStorage } from '../../server/storage/sqliteBoardStorage'
import { metric, type ScenarioResult } from '../lib/report'
import { insertRecord, noteRecord } from '../lib/records'
import { median, round, summarizeLatencies } from '../lib/stats'

const STICKIES = 200
/** Updates per appendUpdates call: 200 updates/s × 100 ms flush window. */
const BATCH = 20

/** `count` small updates: first the board's stickies, then single-field moves of them. */
function makeUpdates(count: number): Uint8Array[] {
	const doc = new Y.Doc()
	const updates: Uint8Array[] = []
	doc.on('update', (update: Uint8Array) => updates.push(update))
	const records = getRecordsMap(doc)
	const stickies: Y.Map<unknown>[] = []
	for (let i = 0; i < STICKIES && updates.length < count; i++) stickies.push(insertRecord(records, noteRecord(`shape:s${i}`, i * 10, 0, `sticky ${i}`)))
	for (let i = 0; updates.length < count; i++) stickies[i % stickies.length].set(i % 2 ? 'x' : 'y', i)
	doc.destroy()
	return updates
}

interface Backend {
	name: string
	/** A new storage instance on the same data (a fresh connection). */
	open(): Promise<BoardStorage>
	cleanup(): Promise<void>
}

interface BackendFigures {
	updatesPerSecond: number
	writeMs: number
	pacedCommit: { count: number; p50: number | null; p99: number | null; max: number | null }
	beforeMs: number
	afterMs: number
	compactMs: number
	before: ColdLoad[]
	after: ColdLoad[]
}

interface ColdLoad {
	ms: number
	loadMs: number
	applyMs: number
	bytes: number
	pending: number
	records: number
}

async function sqliteBackend(): Promise<Backend> {
	const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'workshop-board-bench-storage-'))
	return {
		name: 'SQLite',
		open: async () => SqliteBoardStorage.open(dataDir),
		cleanup: () => fs.rm(dataDir, { recursive: true, force: true }),
	}
}

/** A throwaway database on BENCH_DATABASE_URL's server, or null (with the reason) when unreachable. */
async function postgresBackend(): Promise<Backend | string> {
	const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
	const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 })
	try {
		await admin.connect()
	} catch (error) {
		return `PostgreSQL unreachable at ${adminUrl}: ${error instanceof Error ? error.message : String(error)}`
	}
	const name = `wb_bench_${randomBytes(6).toString('hex')}`
	await admin.query(`CREATE DATABASE ${name}`)
	const url = new URL(adminUrl)
	url.pathname = `/${name}`
	const pools: pg.Pool[] = []
	const migrated = createPgPool(url.toString())
	pools.push(migrated)
	await runPgMigrations(migrated)
	return {
		name: 'PostgreSQL',
		async open() {
			const pool = createPgPool(url.toString())
			pools.push(pool)
			return new PgBoardStorage(pool, true)
		},
		async cleanup() {
			for (const pool of pools) if (!pool.ended) await pool.end()
			await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
			await admin.end()
		},
	}
}

async function coldLoad(backend: Backend, boardId: string): Promise<ColdLoad> {
	const started = performance.now()
	const storage = await backend.open()
	const stored = await storage.loadBoard(boardId)
	const loaded = performance.now()
	const doc = new Y.Doc()
	if (stored.update) Y.applyUpdate(doc, stored.update)
	const applied = performance.now()
	const records = getRecordsMap(doc).size
	doc.destroy()
	await storage.close()
	return { ms: applied - started, loadMs: loaded - started, applyMs: applied - loaded, bytes: stored.update?.byteLength ?? 0, pending: stored.pendingUpdates, records }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function measure(backend: Backend, updates: Uint8Array[], options: { loads: number; pacedSeconds: number; log: (line: string) => void }): Promise<BackendFigures> {
	const boardId = 'bench-storage-board'
	// Sustained writes: one batch after the other, as fast as the backend commits (SQLite synchronous=FULL; PostgreSQL synchronous_commit=on).
	const storage = await backend.open()
	const writeStarted = performance.now()
	for (let i = 0; i < updates.length; i += BATCH) await storage.appendUpdates(boardId, updates.slice(i, i + BATCH))
	const writeMs = performance.now() - writeStarted
	// Paced: 200 updates/s as the room writes them (a batch of 20 every 100 ms) on another board; commit latency per batch.
	const commits: number[] = []
	const paced = makeUpdates(options.pacedSeconds * 200)
	for (let i = 0; i < paced.length; i += BATCH) {
		const tickStarted = performance.now()
		await storage.appendUpdates('bench-paced-board', paced.slice(i, i + BATCH))
		const commitMs = performance.now() - tickStarted
		commits.push(commitMs)
		await sleep(Math.max(0, 100 - commitMs))
	}
	await storage.close()
	const updatesPerSecond = (updates.length / writeMs) * 1000
	options.log(`storage ${backend.name}: ${updates.length} updates in ${Math.round(writeMs)} ms; paced commit p99 ${summarizeLatencies(commits).p99} ms`)

	const before: ColdLoad[] = []
	for (let i = 0; i < options.loads; i++) before.push(await coldLoad(backend, boardId))
	const beforeMs = median(before.map((r) => r.ms))

	// Compaction as the room does it: the doc's full state replaces the log.
	const compactStarted = performance.now()
	const compactor = await backend.open()
	const stored = await compactor.loadBoard(boardId)
	const doc = new Y.Doc()
	if (stored.update) Y.applyUpdate(doc, stored.update)
	await compactor.compact(boardId, Y.encodeStateAsUpdate(doc), stored.lastSeq)
	doc.destroy()
	await compactor.close()
	const compactMs = performance.now() - compactStarted

	const after: ColdLoad[] = []
	for (let i = 0; i < options.loads; i++) after.push(await coldLoad(backend, boardId))
	const afterMs = median(after.map((r) => r.ms))
	options.log(`storage ${backend.name}: cold load ${Math.round(beforeMs)} ms before, ${afterMs.toFixed(1)} ms after compaction`)
	return { updatesPerSecond, writeMs, pacedCommit: summarizeLatencies(commits), beforeMs, afterMs, compactMs, before, after }
}

export async function storageScenario({ quick, log }: { quick: boolean; log: (line: string) => void }): Promise<ScenarioResult> {
	const count = quick ? 20_000 : 100_000
	const options = { loads: quick ? 3 : 5, pacedSeconds: quick ? 3 : 10, log }
	const updates = makeUpdates(count)
	const updateBytes = updates.reduce((sum, u) => sum + u.byteLength, 0)
	const notes: string[] = []

	const sqlite = await sqliteBackend()
	let lite: BackendFigures
	try {
		lite = await measure(sqlite, updates, options)
	} finally {
		await sqlite.cleanup()
	}
	const postgres = await postgresBackend()
	let pgFigures: BackendFigures | null = null
	if (typeof postgres === 'string') notes.push(`PostgreSQL column empty: ${postgres}`)
	else {
		try {
			pgFigures = await measure(postgres, updates, options)
		} finally {
			await postgres.cleanup()
		}
	}
	// Durable within 1 s: the room's flush interval (100 ms) plus the commit latency.
	const durable = (figures: BackendFigures | null) => (figures?.pacedCommit.max ?? null) === null ? null : 100 + (figures?.pacedCommit.max ?? 0)
	const round1 = (figures: ColdLoad[]) => figures.map((r) => ({ ...r, ms: round(r.ms), loadMs: round(r.loadMs), applyMs: round(r.applyMs) }))
	return {
		id: '5 storage',
		title: `Storage: ${count.toLocaleString('en-US')} small updates — SQLite (ours column) vs PostgreSQL (reference column)`,
		referenceLabel: 'PostgreSQL (same machine)',
		metrics: [
			metric('sustained writes (batches of 20, durable commit each)', 'updates/s', Math.round(lite.updatesPerSecond), pgFigures && Math.round(pgFigures.updatesPerSecond)),
			metric('commit latency at 200 updates/s, p99', 'ms', lite.pacedCommit.p99, pgFigures?.pacedCommit.p99 ?? null),
			metric('accepted → durable, worst case at 200 updates/s (flush 100 ms + max commit)', 'ms', round(durable(lite)), round(durable(pgFigures)), {
				text: '≤ 1000 ms both',
				met: durable(lite) !== null && durable(lite)! <= 1000 && (pgFigures === null || durable(pgFigures)! <= 1000),
			}),
			metric(`cold load, ${count / 1000}k-update log, median`, 'ms', round(lite.beforeMs), pgFigures && round(pgFigures.beforeMs)),
			metric('cold load after compaction, median', 'ms', round(lite.afterMs), pgFigures && round(pgFigures.afterMs)),
			metric('compaction (load + encode + write)', 'ms', round(lite.compactMs), pgFigures && round(pgFigures.compactMs)),
		],
		details: {
			updates: count,
			updateBytes,
			batch: BATCH,
			sqlite: { writeMs: round(lite.writeMs), pacedCommit: lite.pacedCommit, before: round1(lite.before), after: round1(lite.after) },
			postgres: pgFigures && { writeMs: round(pgFigures.writeMs), pacedCommit: pgFigures.pacedCommit, before: round1(pgFigures.before), after: round1(pgFigures.after) },
		},
		notes,
	}
}
