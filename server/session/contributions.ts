/**
 * Writing a contributor's note into the board (docs/sessions.md §11): a
 * sticky of the submitted kind inside the board's Inbox frame — the frame
 * with `meta.inbox: true`, else one named "Inbox" — created to the right of
 * everything on the first page when the board has none. Notes fill the frame
 * in rows of three, newest last; the frame grows to hold them. Written by the
 * server in one transaction on the room's doc, so every connected client
 * (the facilitator's included) receives it like any other update.
 */
import * as Y from 'yjs'
import { integerIndexKey } from '../../shared/export/indexKeys'
import { ITEM_KIND_INFO } from '../../shared/items/kinds'
import { ItemMetaKey } from '../../shared/items/itemMeta'
import { getRecordsMap, recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { noteShapeProps, shapeRecordBase } from '../../shared/shapeRecords'
import type { Contribution } from '../../shared/contributor/contribution'

export const INBOX_FRAME_NAME = 'Inbox'
const COLUMNS = 3
const CELL = 220
const PAD = 40
const HEADER = 40

type RecordMap = Y.Map<Y.Map<unknown>>

function num(value: unknown, fallback = 0): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

function firstPageId(records: RecordMap): string {
	let best: { id: string; index: string } | null = null
	for (const [id, record] of records) {
		if (record.get('typeName') !== 'page') continue
		const index = String(record.get('index') ?? '')
		if (!best || index < best.index) best = { id, index }
	}
	return best?.id ?? 'page:page'
}

function findInbox(records: RecordMap): Y.Map<unknown> | null {
	let named: Y.Map<unknown> | null = null
	for (const record of records.values()) {
		if (record.get('typeName') !== 'shape' || record.get('type') !== 'frame') continue
		const meta = record.get('meta')
		if (meta instanceof Y.Map && meta.get('inbox') === true) return record
		const props = record.get('props')
		const name = props instanceof Y.Map ? props.get('name') : undefined
		if (!named && typeof name === 'string' && name.trim().toLowerCase() === INBOX_FRAME_NAME.toLowerCase()) named = record
	}
	return named
}

/** A sibling index above every child of `parentId` (integer keys sort above the fractional keys tldraw makes between them). */
function indexAbove(records: RecordMap, parentId: string): string {
	let max = ''
	for (const record of records.values()) {
		if (record.get('parentId') !== parentId) continue
		const index = record.get('index')
		if (typeof index === 'string' && index > max) max = index
	}
	for (let n = 1; n < 100_000; n++) {
		const key = integerIndexKey(n)
		if (key > max) return key
	}
	return `${max}V`
}

function createInbox(records: RecordMap, id: string): Y.Map<unknown> {
	const pageId = firstPageId(records)
	let right = 0
	let top = Number.POSITIVE_INFINITY
	for (const record of records.values()) {
		if (record.get('typeName') !== 'shape' || record.get('parentId') !== pageId) continue
		const props = record.get('props')
		const w = props instanceof Y.Map ? num(props.get('w'), 200) : 200
		right = Math.max(right, num(record.get('x')) + w)
		top = Math.min(top, num(record.get('y')))
	}
	const frame: PlainRecord = {
		...shapeRecordBase(id, 'frame', pageId, indexAbove(records, pageId), right + 200, Number.isFinite(top) ? top : 0),
		props: { w: 2 * PAD + COLUMNS * CELL - 20, h: HEADER + PAD + CELL, name: INBOX_FRAME_NAME, color: 'black' },
		meta: { inbox: true, defaultKind: 'insight' },
	}
	const ymap = recordToYMap(frame)
	records.set(id, ymap)
	return ymap
}

/** Adds the contribution as a sticky in the Inbox (creating it if needed); returns the new note's id. */
export function addContributionToDoc(doc: Y.Doc, contribution: Contribution, ids: { note: string; frame: string }, now: number): { noteId: string; createdInbox: boolean } {
	const records = getRecordsMap(doc)
	let createdInbox = false
	doc.transact(() => {
		let inbox = findInbox(records)
		if (!inbox) {
			inbox = createInbox(records, ids.frame)
			createdInbox = true
		}
		const frameId = String(inbox.get('id'))
		let count = 0
		for (const record of records.values()) if (record.get('parentId') === frameId && record.get('type') === 'note') count++
		const x = PAD + (count % COLUMNS) * CELL
		const y = HEADER + Math.floor(count / COLUMNS) * CELL
		const props = inbox.get('props')
		if (props instanceof Y.Map && num(props.get('h')) < y + CELL + PAD) props.set('h', y + CELL + PAD)
		const author = { id: 'contributor', name: contribution.name || 'Contributor' }
		const note: PlainRecord = {
			...shapeRecordBase(ids.note, 'note', frameId, indexAbove(records, frameId), x, y),
			props: noteShapeProps(ITEM_KIND_INFO[contribution.kind].color, contribution.text),
			meta: {
				[ItemMetaKey.kind]: contribution.kind,
				[ItemMetaKey.tags]: ['contributor'],
				[ItemMetaKey.author]: author,
				[ItemMetaKey.createdAt]: now,
				[ItemMetaKey.updatedAt]: now,
			},
		}
		records.set(ids.note, recordToYMap(note))
	}, 'contributor')
	return { noteId: ids.note, createdInbox }
}
