import { z } from 'zod'
import { BOARD_ID_PATTERN, BOARD_ID_RULE } from './boardIdFormat'

export { newBoardId, randomBase64Url } from './boardIdFormat'

/** A board id (format and reasons in boardIdFormat.ts). */
export const BoardIdSchema = z.string().regex(BOARD_ID_PATTERN, BOARD_ID_RULE)
export type BoardId = z.infer<typeof BoardIdSchema>
