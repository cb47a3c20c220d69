/**
 * Plain tldraw 5.4.2 shape records (the JSON a store holds), for code that
 * writes boards without loading tldraw: import, templates, load generators,
 * tests. Props are tldraw's defaults; tests validate them with its schema.
 */
import type { PlainRecord } from './recordCodec'
import { plainTextToRichText } from './text/richText'

/** The fields every shape record has. */
export function shapeRecordBase(id: string, type: string, parentId: string, index: string, x: number, y: number, rotation = 0) {
	return { id, typeName: 'shape', type, parentId, index, x, y, rotation, isLocked: false, opacity: 1 }
}

/** Note props (NoteShapeUtil.getDefaultProps) with a colour and plain text. */
export function noteShapeProps(color: string, text: string) {
	return {
		color,
		labelColor: 'black',
		size: 'm',
		font: 'draw',
		fontSizeAdjustment: 1,
		align: 'middle',
		verticalAlign: 'middle',
		growY: 0,
		url: '',
		richText: plainTextToRichText(text),
		scale: 1,
		textLastEditedBy: null,
	}
}

export interface NoteRecordOptions {
	id: string
	text?: string
	x?: number
	y?: number
	parentId?: string
	index?: string
	color?: string
	meta?: Record<string, unknown>
}

/** A sticky note record. */
export function noteShapeRecord(options: NoteRecordOptions): PlainRecord {
	const { id, text = '', x = 0, y = 0, parentId = 'page:page', index = 'a1', color = 'yellow', meta = {} } = options
	return { ...shapeRecordBase(id, 'note', parentId, index, x, y), props: noteShapeProps(color, text), meta }
}

/** Arrow props (ArrowShapeUtil.getDefaultProps) pointing from the arrow's origin to `end` (parent-relative offset). */
export function arrowShapeProps(end: { x: number; y: number }) {
	return {
		kind: 'arc',
		elbowMidPoint: 0.5,
		dash: 'draw',
		size: 'm',
		fill: 'none',
		color: 'black',
		labelColor: 'black',
		bend: 0,
		start: { x: 0, y: 0 },
		end: { x: end.x, y: end.y },
		arrowheadStart: 'none',
		arrowheadEnd: 'arrow',
		richText: plainTextToRichText(''),
		labelPosition: 0.5,
		font: 'draw',
		scale: 1,
	}
}

/** An arrow binding record (TLArrowBinding) attaching one end of `arrowId` to the middle of `shapeId`. */
export function arrowBindingRecord(id: string, arrowId: string, shapeId: string, terminal: 'start' | 'end'): PlainRecord {
	return {
		id,
		typeName: 'binding',
		type: 'arrow',
		fromId: arrowId,
		toId: shapeId,
		props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
		meta: {},
	}
}
