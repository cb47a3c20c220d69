/** VersionStore in process memory (unit tests, throwaway servers); bytes are copied in and out. */
import type { BoardId } from '../../shared/boardId'
import type { StoredVersion, VersionMeta, VersionStore } from './versionStore'

export class MemoryVersionStore implements VersionStore {
	constructor(private readonly versions: Map<string, StoredVersion> = new Map()) {}

	async insertVersion(version: StoredVersion): Promise<void> {
		if (this.versions.has(version.id)) throw new Error(`version ${version.id} already exists`)
		this.versions.set(version.id, { ...version, doc: version.doc.slice() })
	}

	async listVersions(boardId: BoardId): Promise<VersionMeta[]> {
		return [...this.versions.values()]
			.filter((version) => version.boardId === boardId)
			.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
			.map(({ doc: _doc, session: _session, ...meta }) => meta)
	}

	async loadVersion(boardId: BoardId, versionId: string): Promise<StoredVersion | null> {
		const version = this.versions.get(versionId)
		return version && version.boardId === boardId ? { ...version, doc: version.doc.slice() } : null
	}

	async deleteVersions(boardId: BoardId, versionIds: readonly string[]): Promise<number> {
		let deleted = 0
		for (const id of versionIds) {
			if (this.versions.get(id)?.boardId === boardId && this.versions.delete(id)) deleted++
		}
		return deleted
	}

	async deleteAutoVersionsBefore(cutoff: number): Promise<number> {
		let deleted = 0
		for (const [id, version] of this.versions) {
			if (version.kind === 'auto' && version.createdAt < cutoff && this.versions.delete(id)) deleted++
		}
		return deleted
	}
}
