/** Building and downloading exports from the live store, so unsynced local edits are included. */
import type { Editor, TLShapeId } from 'tldraw'
import { isDocumentRecordId } from '../../shared/docLayout'
import { conversationSignal } from '../comments/conversationStore'
import { boardExportToCsv, boardExportToMarkdown, buildBoardExport, type BoardExport, type ClosedVotingInput } from '../../shared/export'

/**
 * The export of the live store plus the board's closed voting sessions (from
 * the session state; buildBoardExport skips any session that is not closed).
 */
export function exportFromEditor(
	editor: Editor,
	board: { boardId: string; title: string; template: string | undefined },
	votingSessions: readonly ClosedVotingInput[] = [],
): BoardExport {
	const records = new Map<string, Record<string, unknown>>()
	for (const record of editor.store.allRecords()) {
		if (isDocumentRecordId(record.id)) records.set(record.id, record as unknown as Record<string, unknown>)
	}
	// The same inputs as the server's export API (server/api/boardsApi.ts): id, title, template, records, closed sessions, comments.
	return buildBoardExport({ boardId: board.boardId, title: board.title, template: board.template, records, now: Date.now(), votingSessions, conversation: conversationSignal.get() })
}

export function fileBaseName(title: string, boardId: string): string {
	const slug = (title || `board-${boardId.slice(0, 6)}`)
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
	return `${slug || 'board'}-${new Date().toISOString().slice(0, 10)}`
}

export function downloadBlob(blob: Blob, filename: string) {
	const url = URL.createObjectURL(blob)
	const link = document.createElement('a')
	link.href = url
	link.download = filename
	document.body.appendChild(link)
	link.click()
	link.remove()
	setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export type TextExportFormat = 'json' | 'csv' | 'md'

export function renderExport(data: BoardExport, format: TextExportFormat): Blob {
	switch (format) {
		case 'json':
			return new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })
		case 'csv':
			return new Blob([boardExportToCsv(data)], { type: 'text/csv;charset=utf-8' })
		case 'md':
			return new Blob([boardExportToMarkdown(data)], { type: 'text/markdown;charset=utf-8' })
	}
}

/** PNG or SVG of the whole page, or of the selected shapes (e.g. one frame). */
export async function exportImage(editor: Editor, format: 'png' | 'svg', baseName: string) {
	const selected = editor.getSelectedShapeIds()
	const ids: TLShapeId[] = selected.length ? selected : [...editor.getCurrentPageShapeIds()]
	if (!ids.length) return
	const { blob } = await editor.toImage(ids, { format, background: true, padding: 32 })
	downloadBlob(blob, `${baseName}.${format}`)
}
