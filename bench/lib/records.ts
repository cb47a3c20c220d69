/**
 * Plain tldraw 5.4 records for load generators that do not load tldraw
 * (same fields as the app's note shape; validated by tldraw where a real store reads them).
 */
import * as Y from 'yjs'
import { recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { noteShapeRecord } from '../../shared/shapeRecords'

export function richText(text: string): Record<string, unknown> {
	return { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }
}

export function noteRecord(id: string, x: number, y: number, text: string, index = 'a1'): PlainRecord {
	return noteShapeRecord({ id, x, y, text, index })
}

/** Inserts `record` into the doc's records map following docs/protocol.md; returns its Y.Map. */
export function insertRecord(records: Y.Map<Y.Map<unknown>>, record: PlainRecord): Y.Map<unknown> {
	const ymap = recordToYMap(record)
	records.set(record.id, ymap)
	return ymap
}

/**
 * BENCH_CURSOR_STATE=small sends a minimal state (user + cursor, ~150 bytes)
 * instead of the app's full presence: an experiment on how cursor bytes drive fan-out latency.
 */
const SMALL_CURSOR_STATE = process.env.BENCH_CURSOR_STATE === 'small'

/** A realistic awareness state (user + tldraw instance presence) with a send-time stamp, as JSON text. */
export function cursorStateJson(index: number, x: number, y: number, sentAt: number): string {
	const userId = `bench-user-${index}`
	if (SMALL_CURSOR_STATE) {
		return `{"user":{"id":"${userId}","name":"Participant ${index}","color":"#1971c2"},"presence":{"cursor":{"x":${x.toFixed(2)},"y":${y.toFixed(2)}}},"sentAt":${sentAt}}`
	}
	return (
		`{"user":{"id":"${userId}","name":"Participant ${index}","color":"#1971c2"},` +
		`"presence":{"userId":"${userId}","userName":"Participant ${index}","lastActivityTimestamp":${Math.floor(sentAt)},` +
		`"color":"#1971c2","camera":{"x":0,"y":0,"z":1},"selectedShapeIds":[],"currentPageId":"page:page","brush":null,` +
		`"scribbles":[],"screenBounds":{"x":0,"y":0,"w":1280,"h":800},"followingUserId":null,` +
		`"cursor":{"x":${x.toFixed(2)},"y":${y.toFixed(2)},"type":"default","rotation":0},"chatMessage":"","meta":{}},` +
		`"sentAt":${sentAt}}`
	)
}

const SENT_AT = /"sentAt":([0-9.]+)/

/** The sentAt stamp of an awareness state's JSON text, without parsing the rest. */
export function readSentAt(json: string): number | null {
	const match = SENT_AT.exec(json)
	return match ? Number(match[1]) : null
}
