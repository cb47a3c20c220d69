/** Calls to the server's board API (see README "HTTP API"). */
import type { ImportIssue } from '../../shared/export'

export type BoardTemplate = 'discovery' | 'storymap' | 'retro' | 'blank'

export interface CreatedBoard {
	id: string
	url: string
	/** One link per role, each with its own token; shown once, when the board is created. */
	links?: { facilitator: string; participant: string; viewer: string }
}

export class BoardApiError extends Error {
	constructor(
		message: string,
		readonly issues: ImportIssue[] = [],
	) {
		super(message)
	}
}

async function readError(response: Response): Promise<BoardApiError> {
	try {
		const body = (await response.json()) as { error?: string; issues?: ImportIssue[] }
		return new BoardApiError(body.error ?? `request failed (${response.status})`, body.issues ?? [])
	} catch {
		return new BoardApiError(`request failed (${response.status})`)
	}
}

export async function createBoard(template: BoardTemplate, title: string): Promise<CreatedBoard> {
	const response = await fetch('/api/boards', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ template, ...(title.trim() ? { title: title.trim() } : {}) }),
	})
	if (!response.ok) throw await readError(response)
	return (await response.json()) as CreatedBoard
}

export async function importBoard(fileText: string): Promise<CreatedBoard> {
	const response = await fetch('/api/boards/import', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: fileText,
	})
	if (!response.ok) throw await readError(response)
	return (await response.json()) as CreatedBoard
}
