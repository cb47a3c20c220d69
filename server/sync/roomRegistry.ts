/**
 * Owns the live rooms: creates and loads a room on first use, keeps it while
 * anyone holds it, and unloads it `unloadDelayMs` after the last holder left.
 *
 * A client arriving while its room is unloading waits for the unload (flush
 * + compaction) to finish and then gets a freshly loaded room — never the
 * dying one, and never a second room for the same board.
 *
 * A room whose storage failed refuses clients (4503) for `FAILED_ROOM_RETRY_MS`,
 * then is replaced by a fresh load on the next arrival. The delay is counted from
 * the failure, not from the last holder: clients reconnect every ~100 ms after a
 * 4503, so an unload delay restarted by each of them would keep the broken room
 * in memory forever and their edits would never be saved after storage recovers.
 */
import type { BoardId } from '../../shared/boardId'
import { describeError, type Logger } from '../logger'
import type { BoardStorage } from '../storage/boardStorage'
import { BoardNotFoundError, Room } from './room'
import type { RoomExtensionFactory } from './roomExtension'
import type { RoomPersistenceOptions } from './roomPersistence'

export interface RoomRegistryOptions extends RoomPersistenceOptions {
	unloadDelayMs: number
	/** Feature hooks attached to every room (facilitated sessions). */
	roomExtension?: RoomExtensionFactory
}

/** How long a room whose storage failed keeps refusing clients before a fresh load is tried. */
export const FAILED_ROOM_RETRY_MS = 1_000

interface RoomEntry {
	room: Room
	/** Connections attached or waiting for the room to load. */
	holders: number
	unloadTimer: NodeJS.Timeout | null
}

export class RoomRegistry {
	private readonly entries = new Map<BoardId, RoomEntry>()
	private readonly unloading = new Map<BoardId, Promise<void>>()

	constructor(
		private readonly storage: BoardStorage,
		private readonly options: RoomRegistryOptions,
		private readonly logger: Logger,
	) {}

	/** Number of rooms in memory (loading, loaded or failed, not yet unloaded). */
	get size(): number {
		return this.entries.size
	}

	get(boardId: BoardId): Room | undefined {
		return this.entries.get(boardId)?.room
	}

	/** Every room in memory (for features that act on loaded rooms). */
	loadedRooms(): Room[] {
		return [...this.entries.values()].map((entry) => entry.room)
	}

	/**
	 * Returns the loaded room, holding it until `release`. Rejects (and
	 * releases) if the room cannot be loaded.
	 */
	async acquire(boardId: BoardId): Promise<Room> {
		for (;;) {
			const unloading = this.unloading.get(boardId)
			if (unloading) {
				await unloading
				continue // someone else may have created the room meanwhile
			}
			let entry = this.entries.get(boardId)
			const failedAt = entry?.room.failedAt ?? null
			if (entry && failedAt !== null && performance.now() - failedAt >= FAILED_ROOM_RETRY_MS) {
				await this.unload(entry)
				continue
			}
			if (!entry) {
				entry = { room: new Room(boardId, this.storage, this.options, this.logger, this.options.roomExtension), holders: 0, unloadTimer: null }
				this.entries.set(boardId, entry)
			}
			this.hold(entry)
			try {
				await entry.room.ready
			} catch (error) {
				this.release(entry.room)
				// An unknown board keeps nothing in memory: no room lingers for the unload delay.
				if (error instanceof BoardNotFoundError && entry.holders === 0) void this.unload(entry)
				throw error
			}
			return entry.room
		}
	}

	release(room: Room): void {
		const entry = this.entries.get(room.boardId)
		if (!entry || entry.room !== room) return // already unloaded (e.g. at shutdown)
		entry.holders -= 1
		if (entry.holders === 0) {
			entry.unloadTimer = setTimeout(() => void this.unload(entry), this.options.unloadDelayMs)
		}
	}

	/**
	 * Unloads the board's room now, whoever holds it (its clients were closed):
	 * in a cluster, when the board's lease moved to another process, so a later
	 * arrival here loads the board afresh instead of reusing a stale copy.
	 */
	discard(boardId: BoardId): Promise<void> {
		const entry = this.entries.get(boardId)
		return entry ? this.unload(entry) : Promise.resolve()
	}

	/** Flushes and unloads every room now (shutdown). */
	async unloadAll(): Promise<void> {
		await Promise.all([...this.entries.values()].map((entry) => this.unload(entry)))
		await Promise.all(this.unloading.values())
	}

	private hold(entry: RoomEntry): void {
		entry.holders += 1
		if (entry.unloadTimer !== null) {
			clearTimeout(entry.unloadTimer)
			entry.unloadTimer = null
		}
	}

	private unload(entry: RoomEntry): Promise<void> {
		const { room } = entry
		if (entry.unloadTimer !== null) clearTimeout(entry.unloadTimer)
		entry.unloadTimer = null
		const existing = this.unloading.get(room.boardId)
		if (existing) return existing
		const done = room
			.unload()
			.catch((error: unknown) => {
				this.logger.error('room.unload_failed', { board: room.boardId, error: describeError(error) })
			})
			.finally(() => {
				if (this.entries.get(room.boardId) === entry) this.entries.delete(room.boardId)
				this.unloading.delete(room.boardId)
				this.logger.info('room.unloaded', { board: room.boardId })
			})
		this.unloading.set(room.boardId, done)
		return done
	}
}
