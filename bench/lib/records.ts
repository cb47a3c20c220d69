/**
 * Plain tldraw 5.4 records for load generators that do not load tldraw
 * (same fields as the app's note shape; validated by tldraw where a real store reads them).
 */
import * as Y from 'yjs'
import { recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { presenceUserId, toAwarenessState, type PresenceFields } from '../../shared/presence/presenceWire'
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
 * BENCH_CURSOR_STATE=full sends tldraw's whole instance_presence record, as the app did before it
 * compacted presence (shared/presence/presenceWire.ts): the before/after of that change.
 */
const FULL_CURSOR_STATE = process.env.BENCH_CURSOR_STATE === 'full'

/** The fields tldraw's presence derivation fills for a participant moving the pointer on a panned, zoomed board. */
function movingCursorPresence(index: number, x: number, y: number, sentAt: number): PresenceFields {
	return {
		currentPageId: 'page:page',
		lastActivityTimestamp: sentAt,
		camera: { x: -1234.567891234 - index, y: 456.78912345, z: 0.6830134553650706 },
		screenBounds: { x: 0, y: 0, w: 1440, h: 900 },
		cursor: { x: x + 0.123456789, y: y + 0.987654321, type: 'default', rotation: 0 },
		selectedShapeIds: [],
		brush: null,
		scribbles: [],
		followingUserId: null,
		chatMessage: '',
		meta: {},
	}
}

/** The awareness state a participant publishes while moving the cursor, with a send-time stamp, as JSON text. */
export function cursorStateJson(index: number, x: number, y: number, sentAt: number): string {
	const user = { id: `participant-${String(index).padStart(4, '0')}-x7Kq2`, name: `Participant ${index}`, color: '#1971c2' }
	const presence = movingCursorPresence(index, x, y, sentAt)
	if (FULL_CURSOR_STATE) {
		const full = {
			...presence,
			id: 'instance_presence:Xk3mZq9vR2bT7yLw4nHcA',
			typeName: 'instance_presence',
			userId: presenceUserId(user),
			userName: user.name,
			color: user.color,
		}
		return JSON.stringify({ user, presence: full, sentAt })
	}
	return JSON.stringify({ ...toAwarenessState(user, presence), sentAt })
}

const SENT_AT = /"sentAt":([0-9.]+)/

/** The sentAt stamp of an awareness state's JSON text, without parsing the rest. */
export function readSentAt(json: string): number | null {
	const match = SENT_AT.exec(json)
	return match ? Number(match[1]) : null
}
