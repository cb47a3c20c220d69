/**
 * Download formats of a board export (JSON, CSV, Markdown) and their file
 * names. Shared by the export route and the `npm run export` CLI.
 */
import { boardExportToCsv, boardExportToMarkdown, type BoardExport } from '../../shared/export'

export const EXPORT_FORMATS = {
	json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
	csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
	md: { contentType: 'text/markdown; charset=utf-8', extension: 'md' },
} as const
export type ExportFormat = keyof typeof EXPORT_FORMATS

export function isExportFormat(value: string): value is ExportFormat {
	return Object.prototype.hasOwnProperty.call(EXPORT_FORMATS, value)
}

/** Renders an export in one of the download formats. */
export function renderBoardExport(data: BoardExport, format: ExportFormat): string {
	switch (format) {
		case 'json':
			return `${JSON.stringify(data, null, 2)}\n`
		case 'csv':
			return boardExportToCsv(data)
		case 'md':
			return boardExportToMarkdown(data)
	}
}

/** "Discovery: Q3 — Café" → "discovery-q3-cafe"; 'board' when nothing is left. */
export function titleSlug(title: string): string {
	const slug = title
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/g, '')
	return slug || 'board'
}

/** `<title-slug>-<YYYY-MM-DD>.<ext>` (UTC date of the export). */
export function exportFileName(title: string, exportedAt: number, format: ExportFormat): string {
	return `${titleSlug(title)}-${new Date(exportedAt).toISOString().slice(0, 10)}.${EXPORT_FORMATS[format].extension}`
}
