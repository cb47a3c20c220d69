/**
 * Write-behind persistence of one room's document updates.
 *
 * Batching, not write-through: accepted updates are buffered and committed
 * in ONE transaction at most every `flushIntervalMs` (default 100 ms). A
 * dragged shape produces ~60 updates per second per user; one fsynced
 * transaction each would cost far more than the update itself, while a
 * 100 ms window keeps "accepted → durable" well under the 1 s promise.
 *
 * Writes are serialised through a promise chain so batches land in order
 * and compaction never races an append.
 */
import type { BoardId } from '../../shared/boardId'
import type { BoardStorage, StoredBoard } from '../storage/boardStorage'

export interface RoomPersistenceOptions {
	flushIntervalMs: number
	compactAfterUpdates: number
	compactAfterBytes: number
}

export class RoomPersistence {
	private buffered: Uint8Array[] = []
	private flushTimer: NodeJS.Timeout | null = null
	private writeChain: Promise<void> = Promise.resolve()
	private lastSeq = 0
	private pendingUpdates = 0
	private pendingBytes = 0
	private failed = false

	constructor(
		private readonly storage: BoardStorage,
		private readonly boardId: BoardId,
		private readonly options: RoomPersistenceOptions,
		/** Full current state of the room's doc, for compaction. */
		private readonly encodeSnapshot: () => Uint8Array,
		/** Called once, on the first failed write. Later updates are refused by the room. */
		private readonly onFailure: (error: unknown) => void,
	) {}

	/** Adopts the counters of what loadBoard returned. */
	initialize(stored: StoredBoard): void {
		this.lastSeq = stored.lastSeq
		this.pendingUpdates = stored.pendingUpdates
		this.pendingBytes = stored.pendingBytes
	}

	get hasFailed(): boolean {
		return this.failed
	}

	/** True when the stored log is long enough that loading it would be slow. */
	get needsCompaction(): boolean {
		return this.pendingUpdates > this.options.compactAfterUpdates || this.pendingBytes > this.options.compactAfterBytes
	}

	enqueue(update: Uint8Array): void {
		if (this.failed) return
		this.buffered.push(update)
		if (this.flushTimer === null) {
			this.flushTimer = setTimeout(() => void this.flush(), this.options.flushIntervalMs)
		}
	}

	/** Commits everything buffered so far. Never rejects: failures go to onFailure. */
	flush(): Promise<void> {
		this.cancelTimer()
		return this.chain(async () => {
			if (this.buffered.length === 0) return
			const batch = this.buffered
			this.buffered = []
			this.lastSeq = await this.storage.appendUpdates(this.boardId, batch)
			this.pendingUpdates += batch.length
			for (const update of batch) this.pendingBytes += update.byteLength
			if (this.needsCompaction) await this.compactNow()
		})
	}

	/** Flushes, then folds the whole log into a snapshot if anything is pending. */
	flushAndCompact(): Promise<void> {
		return this.flush().then(() =>
			this.chain(async () => {
				if (this.pendingUpdates > 0) await this.compactNow()
			}),
		)
	}

	/** Stops the timer and drops the buffer (used after a failure or when discarding the room). */
	dispose(): void {
		this.cancelTimer()
		this.buffered = []
	}

	private async compactNow(): Promise<void> {
		// Every update up to lastSeq is already in the doc (it was applied before
		// being buffered), so the snapshot safely replaces the log through lastSeq.
		await this.storage.compact(this.boardId, this.encodeSnapshot(), this.lastSeq)
		this.pendingUpdates = 0
		this.pendingBytes = 0
	}

	private chain(step: () => Promise<void>): Promise<void> {
		this.writeChain = this.writeChain.then(async () => {
			if (this.failed) return
			try {
				await step()
			} catch (error) {
				this.failed = true
				this.dispose()
				this.onFailure(error)
			}
		})
		return this.writeChain
	}

	private cancelTimer(): void {
		if (this.flushTimer !== null) {
			clearTimeout(this.flushTimer)
			this.flushTimer = null
		}
	}
}
