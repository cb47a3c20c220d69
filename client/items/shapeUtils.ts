import { WorkshopNoteShapeUtil } from './WorkshopNoteShapeUtil'

/** Shape utils the board adds to (or replaces in) tldraw's defaults. Same record types: no schema change. */
export const workshopShapeUtils = [WorkshopNoteShapeUtil]
