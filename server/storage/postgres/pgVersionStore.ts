/** VersionStore on PostgreSQL: the same table and semantics as sqliteVersionStore.ts (migration 004-create-board-versions). */
import type pg from 'pg'
import type { BoardId } from '../../../shared/boardId'
import { storedVersionOfRow, VERSION_INSERT_COLUMNS, VERSION_META_COLUMNS, versionRowValues, versionMetaOfRow, type StoredVersion, type VersionMeta, type VersionRow, type VersionStore } from '../versionStore'

export class PgVersionStore implements VersionStore {
	constructor(private readonly pool: pg.Pool) {}

	async insertVersion(version: StoredVersion): Promise<void> {
		await this.pool.query(`INSERT INTO board_versions (${VERSION_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, versionRowValues(version))
	}

	async listVersions(boardId: BoardId): Promise<VersionMeta[]> {
		const { rows } = await this.pool.query<VersionRow>(
			`SELECT ${VERSION_META_COLUMNS} FROM board_versions WHERE board_id = $1 ORDER BY created_at DESC, id DESC`,
			[boardId],
		)
		return rows.map(versionMetaOfRow)
	}

	async loadVersion(boardId: BoardId, versionId: string): Promise<StoredVersion | null> {
		const { rows } = await this.pool.query<VersionRow>(`SELECT ${VERSION_META_COLUMNS}, doc, session FROM board_versions WHERE board_id = $1 AND id = $2`, [
			boardId,
			versionId,
		])
		return storedVersionOfRow(rows[0])
	}

	async deleteVersions(boardId: BoardId, versionIds: readonly string[]): Promise<number> {
		if (versionIds.length === 0) return 0
		const result = await this.pool.query('DELETE FROM board_versions WHERE board_id = $1 AND id = ANY($2::text[])', [boardId, [...versionIds]])
		return result.rowCount ?? 0
	}

	async deleteAutoVersionsBefore(cutoff: number): Promise<number> {
		const result = await this.pool.query("DELETE FROM board_versions WHERE kind = 'auto' AND created_at < $1", [cutoff])
		return result.rowCount ?? 0
	}
}
