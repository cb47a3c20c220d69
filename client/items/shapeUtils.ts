import { WorkshopFrameShapeUtil } from './WorkshopFrameShapeUtil'
import { WorkshopNoteShapeUtil } from './WorkshopNoteShapeUtil'

/** Shape utils the board replaces in tldraw's defaults. Same record types and props: no schema change. */
export const workshopShapeUtils = [WorkshopNoteShapeUtil, WorkshopFrameShapeUtil]
