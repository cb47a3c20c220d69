/**
 * Read-only session routes (any role of the board; the same data the
 * `state` event carries — never a ballot):
 *
 * | route | answer |
 * |---|---|
 * | GET /api/boards/:id/session | the public SessionState (shared/session) |
 * | GET /api/boards/:id/votes | `{ sessions: [{ id, title, anonymous, closedAt, results }] }`, closed sessions only |
 */
import { BoardIdSchema } from '../../shared/boardId'
import { BOARD_ROLES } from '../../shared/session/roles'
import { authorizeBoardRequest } from '../auth/requestAuth'
import type { Authenticate } from '../auth/types'
import { sendJson, type Router } from '../http/router'
import type { FacilitatedSessions } from './facilitatedSessions'

export function registerSessionApi(router: Router, context: { authenticate: Authenticate; sessions: FacilitatedSessions }): void {
	const boardRoute = (path: string, answer: (boardId: string) => Promise<unknown>) =>
		router.get(path, async (req, res, { params }) => {
			const parsed = BoardIdSchema.safeParse(params.id)
			if (!parsed.success) return sendJson(res, 404, { error: 'not found' })
			const decision = await authorizeBoardRequest(context.authenticate, req, parsed.data, BOARD_ROLES)
			if (!decision.ok) return sendJson(res, decision.status, { error: decision.error })
			sendJson(res, 200, await answer(parsed.data))
		})
	boardRoute('/api/boards/:id/session', (boardId) => context.sessions.publicState(boardId))
	boardRoute('/api/boards/:id/votes', async (boardId) => ({ sessions: (await context.sessions.getVoteResults(boardId)).sessions }))
}
