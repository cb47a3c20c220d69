/** VersionStore on SQLite: table board_versions (migration 004-create-board-versions). */
import type Database from 'better-sqlite3'
import type { BoardId } from '../../shared/boardId'
import { storedVersionOfRow, VERSION_INSERT_COLUMNS, VERSION_META_COLUMNS, versionRowValues, versionMetaOfRow, type StoredVersion, type VersionMeta, type VersionRow, type VersionStore } from './versionStore'

export class SqliteVersionStore implements VersionStore {
	private readonly statements

	constructor(db: Database.Database) {
		this.statements = {
			insert: db.prepare(`INSERT INTO board_versions (${VERSION_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			list: db.prepare(`SELECT ${VERSION_META_COLUMNS} FROM board_versions WHERE board_id = ? ORDER BY created_at DESC, id DESC`),
			load: db.prepare(`SELECT ${VERSION_META_COLUMNS}, doc, session FROM board_versions WHERE board_id = ? AND id = ?`),
			delete: db.prepare('DELETE FROM board_versions WHERE board_id = ? AND id = ?'),
			deleteExpired: db.prepare("DELETE FROM board_versions WHERE kind = 'auto' AND created_at < ?"),
		}
		this.deleteMany = db.transaction((boardId: BoardId, ids: readonly string[]) =>
			ids.reduce((deleted, id) => deleted + this.statements.delete.run(boardId, id).changes, 0),
		)
	}

	private readonly deleteMany: (boardId: BoardId, ids: readonly string[]) => number

	async insertVersion(version: StoredVersion): Promise<void> {
		this.statements.insert.run(...versionRowValues(version))
	}

	async listVersions(boardId: BoardId): Promise<VersionMeta[]> {
		return (this.statements.list.all(boardId) as VersionRow[]).map(versionMetaOfRow)
	}

	async loadVersion(boardId: BoardId, versionId: string): Promise<StoredVersion | null> {
		const row = this.statements.load.get(boardId, versionId) as VersionRow | undefined
		return storedVersionOfRow(row)
	}

	async deleteVersions(boardId: BoardId, versionIds: readonly string[]): Promise<number> {
		return this.deleteMany(boardId, versionIds)
	}

	async deleteAutoVersionsBefore(cutoff: number): Promise<number> {
		return this.statements.deleteExpired.run(cutoff).changes
	}
}
