/**
 * The VersionStore port: stored versions of boards (#14 item 5), each a
 * snapshot of the board's Y.Doc (one Yjs update) plus its session state
 * (JSON). Adapters: SQLite (sqliteVersionStore.ts), PostgreSQL
 * (postgres/pgVersionStore.ts), memory (memoryVersionStore.ts), all checked
 * by test/unit/versions.contract.ts. Retention and per-board caps are policy,
 * decided in server/versions; the store only keeps and deletes rows.
 */
import type { BoardId } from '../../shared/boardId'
import { VersionKindSchema, type VersionKind } from '../../shared/versions/schema'

export interface VersionMeta {
	id: string
	boardId: BoardId
	name: string
	kind: VersionKind
	/** ms since the epoch. */
	createdAt: number
	/** Bytes of `doc` plus bytes of `session` (UTF-8), what the version costs in storage. */
	sizeBytes: number
}

export interface StoredVersion extends VersionMeta {
	/** The board's whole Yjs state when the version was taken. */
	doc: Uint8Array
	/** The session state as JSON text (server/versions/versionSnapshot.ts). */
	session: string
}

export interface VersionStore {
	insertVersion(version: StoredVersion): Promise<void>
	/** Every version of the board without its bytes, newest first (createdAt, then id, descending). */
	listVersions(boardId: BoardId): Promise<VersionMeta[]>
	/** The version with its bytes; null when it does not exist or belongs to another board. */
	loadVersion(boardId: BoardId, versionId: string): Promise<StoredVersion | null>
	/** Deletes the board's versions with these ids (others' ids are ignored). Resolves with how many went. */
	deleteVersions(boardId: BoardId, versionIds: readonly string[]): Promise<number>
	/** Deletes automatic versions of every board created before `cutoff` (ms). Resolves with how many went. */
	deleteAutoVersionsBefore(cutoff: number): Promise<number>
}

/** sizeBytes of a version: what its row holds. */
export function versionSize(doc: Uint8Array, session: string): number {
	return doc.byteLength + Buffer.byteLength(session)
}

/** A board_versions row as both SQL adapters read it (PostgreSQL's BIGINTs arrive as strings). */
export interface VersionRow {
	id: string
	board_id: string
	name: string
	kind: string
	created_at: number | string
	size_bytes: number | string
	doc?: Buffer
	session?: string
}

/** Columns of VersionMeta in board_versions. */
export const VERSION_META_COLUMNS = 'id, board_id, name, kind, created_at, size_bytes'

export function versionMetaOfRow(row: VersionRow): VersionMeta {
	return {
		id: row.id,
		boardId: row.board_id,
		name: row.name,
		kind: VersionKindSchema.catch('auto').parse(row.kind),
		createdAt: Number(row.created_at),
		sizeBytes: Number(row.size_bytes),
	}
}

/** The stored version of a row with its bytes, or null when the row lacks them. */
export function storedVersionOfRow(row: VersionRow | undefined): StoredVersion | null {
	if (!row?.doc || row.session === undefined) return null
	return { ...versionMetaOfRow(row), doc: new Uint8Array(row.doc), session: row.session }
}

/** INSERT values of a version, in VERSION_INSERT_COLUMNS order. */
export const VERSION_INSERT_COLUMNS = 'id, board_id, name, kind, created_at, size_bytes, doc, session'
export function versionRowValues(version: StoredVersion): unknown[] {
	const doc = Buffer.from(version.doc.buffer, version.doc.byteOffset, version.doc.byteLength)
	return [version.id, version.boardId, version.name, version.kind, version.createdAt, version.sizeBytes, doc, version.session]
}
