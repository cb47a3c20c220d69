/**
 * The browser's side of the versions API (server/versions/versionsApi.ts):
 * every call carries this board's role token; answers are parsed with the
 * shared schemas, errors become Errors with the server's message.
 */
import { BoardExportSchema, type BoardExport } from '../../shared/export'
import { VersionListSchema, VersionSummarySchema, type VersionList, type VersionSummary } from '../../shared/versions'
import { takeTokenFromLocation } from '../board/boardAccess'

export interface RestoredBoard {
	id: string
	url: string
	title: string
	links?: { facilitator: string; participant: string; viewer: string }
}

export class VersionsClient {
	constructor(readonly boardId: string) {}

	private async call(path: string, init: RequestInit = {}): Promise<Response> {
		const token = takeTokenFromLocation(this.boardId)
		const response = await fetch(`/api/boards/${encodeURIComponent(this.boardId)}${path}`, {
			...init,
			headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
		})
		if (!response.ok) {
			const body = (await response.json().catch(() => ({}))) as { error?: unknown }
			throw new Error(typeof body.error === 'string' ? body.error : `the server answered ${response.status}`)
		}
		return response
	}

	async list(): Promise<VersionList> {
		return VersionListSchema.parse(await (await this.call('/versions')).json())
	}

	async get(versionId: string): Promise<VersionSummary> {
		return VersionSummarySchema.parse(await (await this.call(`/versions/${encodeURIComponent(versionId)}`)).json())
	}

	async save(name: string): Promise<VersionSummary> {
		return VersionSummarySchema.parse(await (await this.call('/versions', { method: 'POST', body: JSON.stringify({ name }) })).json())
	}

	async remove(versionId: string): Promise<void> {
		await this.call(`/versions/${encodeURIComponent(versionId)}`, { method: 'DELETE' })
	}

	/** The version's Yjs state (for the read-only view). */
	async document(versionId: string): Promise<Uint8Array> {
		return new Uint8Array(await (await this.call(`/versions/${encodeURIComponent(versionId)}/document`)).arrayBuffer())
	}

	async exportOf(versionId: string): Promise<BoardExport> {
		return BoardExportSchema.parse(await (await this.call(`/versions/${encodeURIComponent(versionId)}/export.json`)).json())
	}

	async restore(versionId: string): Promise<RestoredBoard> {
		return (await (await this.call(`/versions/${encodeURIComponent(versionId)}/restore`, { method: 'POST' })).json()) as RestoredBoard
	}
}

/** The address of the read-only view of a version. */
export function versionViewUrl(boardId: string, versionId: string): string {
	return `/b/${encodeURIComponent(boardId)}?version=${encodeURIComponent(versionId)}`
}

export const VERSION_QUERY_PARAM = 'version'

/** "3 Dec 2026, 14:05" in the browser's locale and time zone. */
export function formatVersionTime(iso: string): string {
	return new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
