/**
 * Board versions (#14 item 5): saving named versions, keeping automatic ones
 * while a board is edited, retention and per-board caps, exports of a
 * version, comparisons, and restoring a version as a new board. Storage goes
 * through the VersionStore port; the HTTP routes are in versionsApi.ts.
 *
 * Automatic versions: every accepted edit of a loaded board reaches
 * `noteEdit` (the rooms' storage is wrapped by `watchEdits`). The first edit
 * after `autoIntervalMs` without an automatic version takes one, so a board
 * edited all afternoon gets one every 30 min and an untouched board none.
 */
import * as Y from 'yjs'
import { randomBase64Url, type BoardId } from '../../shared/boardId'
import { BOARD_META_MAP, BoardMetaKey } from '../../shared/docLayout'
import { buildBoardExport, type BoardExport } from '../../shared/export'
import { compareExports, LIVE, type BoardComparison, type CompareSide, type VersionKind, type VersionList, type VersionSummary } from '../../shared/versions'
import type { BoardRole } from '../auth'
import { readBoardContent, readContentOfUpdate, type BoardContent } from '../api/boardDocuments'
import { describeError, type Logger } from '../logger'
import type { StoredClosedResults } from '../session/sessionStore'
import type { BoardStorage } from '../storage/boardStorage'
import { versionSize, type StoredVersion, type VersionMeta, type VersionStore } from '../storage/versionStore'
import type { RoomRegistry } from '../sync/roomRegistry'
import { expiredVersions, makeRoom } from './retention'
import { decodeSessionSnapshot, encodeSessionSnapshot } from './versionSnapshot'
import type { VersionsConfig } from './versionsConfig'

export const AUTO_VERSION_NAME = 'Automatic version'
/** Longest board title of a restored copy (the API's title limit). */
const MAX_TITLE = 200

export interface BoardVersionsDeps {
	store: VersionStore
	boards: BoardStorage
	rooms: RoomRegistry
	config: VersionsConfig
	logger: Logger
	/** Closed voting sessions of a board (the session store). */
	closedVotingSessions(boardId: BoardId): Promise<readonly StoredClosedResults[]>
	/** The public session state of a board, kept with a version for the record. */
	sessionState(boardId: BoardId): Promise<unknown>
	/** Role tokens of a new board (restore); without it the copy is created open. */
	issueRoleTokens?: (boardId: BoardId) => Promise<Record<BoardRole, string>>
	newBoardId(): BoardId
	/** The clock of versions (createdAt, retention, the automatic interval); tests pass their own. */
	now?: () => number
}

/** Refusals the API turns into 4xx answers. */
export class VersionError extends Error {
	override name = 'VersionError'
	constructor(
		readonly status: 404 | 409 | 413,
		message: string,
	) {
		super(message)
	}
}

export function toSummary(version: VersionMeta): VersionSummary {
	return {
		id: version.id,
		boardId: version.boardId,
		name: version.name,
		kind: version.kind,
		createdAt: new Date(version.createdAt).toISOString(),
		sizeBytes: version.sizeBytes,
	}
}

export class BoardVersions {
	private readonly now: () => number
	/** Per board: the last automatic version's time as known here (saves a store read per edit). */
	private readonly lastAuto = new Map<BoardId, number>()
	private readonly autoInFlight = new Set<BoardId>()
	/** Per board: the tail of its writes, so two saves never both pass the caps check. */
	private readonly writeQueues = new Map<BoardId, Promise<unknown>>()

	constructor(private readonly deps: BoardVersionsDeps) {
		this.now = deps.now ?? Date.now
	}

	/** The board's versions (expired automatic ones are deleted first), its usage and the limits. */
	async list(boardId: BoardId): Promise<VersionList> {
		const versions = await this.prune(boardId)
		const { config } = this.deps
		return {
			versions: versions.map(toSummary),
			usage: { count: versions.length, bytes: versions.reduce((sum, version) => sum + version.sizeBytes, 0) },
			limits: {
				maxVersions: config.maxVersionsPerBoard,
				maxBytes: config.maxBytesPerBoard,
				autoIntervalMinutes: config.autoIntervalMs / 60_000,
				autoRetentionDays: config.autoRetentionMs / 86_400_000,
			},
		}
	}

	/** Saves the board as it is now. Rejects with VersionError 404 (no such board) or 409/413 (caps). */
	save(boardId: BoardId, name: string, kind: VersionKind = 'named'): Promise<VersionMeta> {
		return this.serialized(boardId, async () => {
			const doc = await this.currentState(boardId)
			if (!doc) throw new VersionError(404, 'board not found')
			const votingSessions = await this.deps.closedVotingSessions(boardId)
			const session = encodeSessionSnapshot({ votingSessions: [...votingSessions], state: (await this.deps.sessionState(boardId)) ?? null })
			const sizeBytes = versionSize(doc, session)
			const kept = await this.prune(boardId)
			const room = makeRoom(kept, sizeBytes, this.deps.config)
			if (!room.fits) throw new VersionError(sizeBytes > this.deps.config.maxBytesPerBoard ? 413 : 409, room.reason)
			if (room.evict.length > 0) {
				await this.deps.store.deleteVersions(boardId, room.evict.map((version) => version.id))
				this.deps.logger.info('versions.evicted', { board: boardId, versions: room.evict.length })
			}
			const version: StoredVersion = { id: randomBase64Url(12), boardId, name, kind, createdAt: this.now(), sizeBytes, doc, session }
			await this.deps.store.insertVersion(version)
			this.deps.logger.info('versions.saved', { board: boardId, kind, bytes: sizeBytes })
			const { doc: _doc, session: _session, ...meta } = version
			return meta
		})
	}

	/** An accepted edit of a loaded board: takes an automatic version when the last one is old enough. Never rejects. */
	noteEdit(boardId: BoardId): void {
		const interval = this.deps.config.autoIntervalMs
		if (interval <= 0 || this.autoInFlight.has(boardId)) return
		const now = this.now()
		const known = this.lastAuto.get(boardId)
		if (known !== undefined && now - known < interval) return
		this.autoInFlight.add(boardId)
		void (async () => {
			try {
				// The store knows better than this process (a restart, another server process).
				const latest = (await this.deps.store.listVersions(boardId)).find((version) => version.kind === 'auto')
				if (latest && now - latest.createdAt < interval) {
					this.remember(boardId, latest.createdAt)
					return
				}
				const saved = await this.save(boardId, AUTO_VERSION_NAME, 'auto')
				this.remember(boardId, saved.createdAt)
			} catch (error) {
				// Caps full of named versions, or storage down: try again after the interval, never fail the edit.
				this.remember(boardId, now)
				this.deps.logger.warn('versions.auto_skipped', { board: boardId, error: error instanceof VersionError ? error.message : describeError(error) })
			} finally {
				this.autoInFlight.delete(boardId)
			}
		})()
	}

	async load(boardId: BoardId, versionId: string): Promise<StoredVersion | null> {
		return this.deps.store.loadVersion(boardId, versionId)
	}

	/** The export of a version or of the live board; VersionError 404 for an unknown one. */
	async exportOf(boardId: BoardId, side: CompareSide): Promise<BoardExport> {
		if (side === LIVE) {
			const content = await readBoardContent(this.deps.rooms, this.deps.boards, boardId)
			if (!content) throw new VersionError(404, 'board not found')
			return this.buildExport(boardId, content, await this.deps.closedVotingSessions(boardId))
		}
		const version = await this.load(boardId, side)
		if (!version) throw new VersionError(404, 'version not found')
		const content = readContentOfUpdate(version.doc)
		if (!content) throw new VersionError(404, 'version not found')
		return this.buildExport(boardId, content, decodeSessionSnapshot(version.session).votingSessions)
	}

	async compare(boardId: BoardId, from: CompareSide, to: CompareSide): Promise<BoardComparison> {
		const [before, after] = await Promise.all([this.exportOf(boardId, from), this.exportOf(boardId, to)])
		return compareExports(before, after)
	}

	/**
	 * A new board holding the version's document (its Yjs state as it was,
	 * titled "<title> (restored: <version>)"); the board the version came from
	 * is not touched. Votes stay with the version: the copy has no voting
	 * sessions, its stickies keep their RICE estimates.
	 */
	async restoreAsNewBoard(boardId: BoardId, versionId: string): Promise<{ boardId: BoardId; tokens?: Record<BoardRole, string>; title: string }> {
		const version = await this.load(boardId, versionId)
		if (!version) throw new VersionError(404, 'version not found')
		const content = readContentOfUpdate(version.doc)
		const title = `${content?.title || 'Board'} (restored: ${version.name})`.slice(0, MAX_TITLE)
		const doc = new Y.Doc()
		let update: Uint8Array
		try {
			Y.applyUpdate(doc, version.doc)
			doc.transact(() => {
				const meta = doc.getMap<unknown>(BOARD_META_MAP)
				meta.set(BoardMetaKey.title, title)
				meta.set(BoardMetaKey.createdAt, this.now())
			})
			update = Y.encodeStateAsUpdate(doc)
		} finally {
			doc.destroy()
		}
		const newId = this.deps.newBoardId()
		// Tokens first, as for every new board: it is never stored open, not even briefly.
		const tokens = await this.deps.issueRoleTokens?.(newId)
		await this.deps.boards.appendUpdates(newId, [update])
		this.deps.logger.info('versions.restored', { board: boardId, version: versionId, copy: newId })
		return { boardId: newId, title, ...(tokens ? { tokens } : {}) }
	}

	/** Deletes expired automatic versions of every board, also boards nobody opens any more. */
	async sweepExpired(): Promise<number> {
		const deleted = await this.deps.store.deleteAutoVersionsBefore(this.now() - this.deps.config.autoRetentionMs)
		if (deleted > 0) this.deps.logger.info('versions.expired', { versions: deleted })
		return deleted
	}

	/** Runs sweepExpired every `everyMs` (default hourly) until the returned stop is called. */
	startRetentionSweep(everyMs = 3_600_000): () => void {
		const timer = setInterval(() => {
			this.sweepExpired().catch((error: unknown) => this.deps.logger.warn('versions.sweep_failed', { error: describeError(error) }))
		}, everyMs)
		timer.unref()
		return () => clearInterval(timer)
	}

	async delete(boardId: BoardId, versionId: string): Promise<boolean> {
		return this.serialized(boardId, async () => (await this.deps.store.deleteVersions(boardId, [versionId])) > 0)
	}

	private buildExport(boardId: BoardId, content: BoardContent, votingSessions: readonly StoredClosedResults[]): BoardExport {
		return buildBoardExport({ boardId, title: content.title, template: content.template, records: content.records, now: this.now(), votingSessions })
	}

	/** The board's whole state now: the loaded room's doc (every accepted update), else storage; null for an unknown board. */
	private async currentState(boardId: BoardId): Promise<Uint8Array | null> {
		const room = this.deps.rooms.get(boardId)
		if (room && room.state === 'ready') return Y.encodeStateAsUpdate(room.doc)
		return (await this.deps.boards.loadBoard(boardId)).update
	}

	/** Deletes expired automatic versions; resolves with the rest, newest first. */
	private async prune(boardId: BoardId): Promise<VersionMeta[]> {
		const versions = await this.deps.store.listVersions(boardId)
		const expired = expiredVersions(versions, this.now(), this.deps.config)
		if (expired.length === 0) return versions
		await this.deps.store.deleteVersions(boardId, expired.map((version) => version.id))
		this.deps.logger.info('versions.expired', { board: boardId, versions: expired.length })
		const gone = new Set(expired.map((version) => version.id))
		return versions.filter((version) => !gone.has(version.id))
	}

	private remember(boardId: BoardId, at: number): void {
		// Bounded: a long-running server forgets boards (the store answers for them next time).
		if (this.lastAuto.size >= 10_000) this.lastAuto.clear()
		this.lastAuto.set(boardId, at)
	}

	private serialized<T>(boardId: BoardId, work: () => Promise<T>): Promise<T> {
		const previous = this.writeQueues.get(boardId) ?? Promise.resolve()
		const next = previous.catch(() => {}).then(work)
		this.writeQueues.set(boardId, next)
		void next.finally(() => {
			if (this.writeQueues.get(boardId) === next) this.writeQueues.delete(boardId)
		}).catch(() => {})
		return next
	}
}

/** `storage` with every successful append reported to `onEdit`: the rooms get this one, so edits (not API writes) count. */
export function watchEdits(storage: BoardStorage, onEdit: (boardId: BoardId) => void): BoardStorage {
	return {
		loadBoard: (boardId) => storage.loadBoard(boardId),
		appendUpdates: async (boardId, updates) => {
			const seq = await storage.appendUpdates(boardId, updates)
			onEdit(boardId)
			return seq
		},
		compact: (boardId, snapshot, throughSeq) => storage.compact(boardId, snapshot, throughSeq),
		close: () => storage.close(),
	}
}
