/** Calls to the server's board API (see README "HTTP API"). */
import type { ImportIssue } from '../../shared/export'

export type BoardTemplate = 'discovery' | 'storymap' | 'ost' | 'retro' | 'blank'

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
		readonly status = 0,
	) {
		super(message)
	}

	/**
	 * The server has BOARD_CREATION=admin (docs/deployment.md): 401 without the
	 * admin token, 403 with a wrong one.
	 */
	get adminTokenProblem(): 'missing' | 'wrong' | null {
		if (this.status === 401) return 'missing'
		if (this.status === 403) return 'wrong'
		return null
	}
}

async function readError(response: Response): Promise<BoardApiError> {
	try {
		const body = (await response.json()) as { error?: string; issues?: ImportIssue[] }
		return new BoardApiError(body.error ?? `request failed (${response.status})`, body.issues ?? [], response.status)
	} catch {
		return new BoardApiError(`request failed (${response.status})`, [], response.status)
	}
}

function headers(adminToken: string | null): Record<string, string> {
	return { 'content-type': 'application/json', ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}) }
}

export async function createBoard(template: BoardTemplate, title: string, adminToken: string | null = null): Promise<CreatedBoard> {
	const response = await fetch('/api/boards', {
		method: 'POST',
		headers: headers(adminToken),
		body: JSON.stringify({ template, ...(title.trim() ? { title: title.trim() } : {}) }),
	})
	if (!response.ok) throw await readError(response)
	return (await response.json()) as CreatedBoard
}

export async function importBoard(fileText: string, adminToken: string | null = null): Promise<CreatedBoard> {
	const response = await fetch('/api/boards/import', {
		method: 'POST',
		headers: headers(adminToken),
		body: fileText,
	})
	if (!response.ok) throw await readError(response)
	return (await response.json()) as CreatedBoard
}
