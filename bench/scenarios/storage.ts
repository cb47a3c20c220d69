/**
 * Scenario 5 — storage (server/storage/sqliteBoardStorage.ts used directly):
 * sustained write throughput of small updates appended in room-sized batches
 * (what the room's 100 ms write-behind produces), then cold load of a board
 * whose history is that many small updates — before and after compaction.
 * "Cold load" = open the database file in a fresh storage instance, loadBoard,
 * and apply the result to a new Y.Doc (what a room does before answering).
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/recordCodec'
import { SqliteBoardStorage } from '../../server/storage/sqliteBoardStorage'
import { metric, type ScenarioResult } from '../lib/report'
import { insertRecord, noteRecord } from '../lib/records'
import { median, round } from '../lib/stats'

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

async function coldLoad(dataDir: string, boardId: string): Promise<{ ms: number; loadMs: number; applyMs: number; bytes: number; pending: number; records: number }> {
	const started = performance.now()
	const storage = SqliteBoardStorage.open(dataDir)
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

export async function storageScenario({ quick, log }: { quick: boolean; log: (line: string) => void }): Promise<ScenarioResult> {
	const count = quick ? 20_000 : 100_000
	const loads = quick ? 3 : 5
	const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'workshop-board-bench-storage-'))
	const boardId = 'bench-storage-board'
	try {
		const updates = makeUpdates(count)
		const updateBytes = updates.reduce((sum, u) => sum + u.byteLength, 0)

		// Sustained writes, synchronous=FULL (fsync per batch) as configured by the server.
		const storage = SqliteBoardStorage.open(dataDir)
		const writeStarted = performance.now()
		for (let i = 0; i < updates.length; i += BATCH) await storage.appendUpdates(boardId, updates.slice(i, i + BATCH))
		const writeMs = performance.now() - writeStarted
		await storage.close()
		const updatesPerSecond = (updates.length / writeMs) * 1000
		log(`storage: ${updates.length} updates (${(updateBytes / 1024).toFixed(0)} KiB) in ${Math.round(writeMs)} ms`)

		const before = []
		for (let i = 0; i < loads; i++) before.push(await coldLoad(dataDir, boardId))
		const beforeMs = median(before.map((r) => r.ms))
		log(`storage: cold load of ${before[0].pending} pending updates ${Math.round(beforeMs)} ms (${before[0].records} records)`)

		// Compaction as the room does it: the doc's full state replaces the log.
		const compactStarted = performance.now()
		const compactor = SqliteBoardStorage.open(dataDir)
		const stored = await compactor.loadBoard(boardId)
		const doc = new Y.Doc()
		if (stored.update) Y.applyUpdate(doc, stored.update)
		await compactor.compact(boardId, Y.encodeStateAsUpdate(doc), stored.lastSeq)
		doc.destroy()
		await compactor.close()
		const compactMs = performance.now() - compactStarted

		const after = []
		for (let i = 0; i < loads; i++) after.push(await coldLoad(dataDir, boardId))
		const afterMs = median(after.map((r) => r.ms))
		log(`storage: cold load after compaction ${afterMs.toFixed(1)} ms (${after[0].bytes} bytes)`)

		return {
			id: '5 storage',
			title: `SQLite storage: ${count.toLocaleString('en-US')} small updates`,
			referenceLabel: '',
			metrics: [
				metric('sustained writes (batches of 20, fsync each)', 'updates/s', Math.round(updatesPerSecond), null),
				metric(`cold load, ${count / 1000}k-update log, median`, 'ms', round(beforeMs), null),
				metric('cold load after compaction, median', 'ms', round(afterMs), null),
				metric('compaction (load + encode + write)', 'ms', round(compactMs), null),
			],
			details: {
				updates: count,
				updateBytes,
				batch: BATCH,
				writeMs: round(writeMs),
				writeMiBPerSecond: round((updateBytes / 2 ** 20 / writeMs) * 1000),
				before: before.map((r) => ({ ...r, ms: round(r.ms), loadMs: round(r.loadMs), applyMs: round(r.applyMs) })),
				after: after.map((r) => ({ ...r, ms: round(r.ms), loadMs: round(r.loadMs), applyMs: round(r.applyMs) })),
			},
			notes: [],
		}
	} finally {
		await fs.rm(dataDir, { recursive: true, force: true })
	}
}
