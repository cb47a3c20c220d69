import { createTLStore } from '@tldraw/editor'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import { noteShapeRecord } from '../../shared/shapeRecords'
import { findOversizeString, MAX_SHAPE_STRING_LENGTH, readDocRecord } from '../../client/sync/yToStore'

const note = (id: string, text: string) => noteShapeRecord({ id, text })

describe('oversize strings from the doc', () => {
	it('finds the first string over the limit, however nested', () => {
		expect(findOversizeString({ a: [{ b: 'x'.repeat(11) }] }, 10)).toBe(11)
		expect(findOversizeString({ a: [{ b: 'x'.repeat(10) }] }, 10)).toBeNull()
	})
	it('skips a sticky whose text would freeze every canvas, accepts a long but sane one', () => {
		const store = createTLStore({})
		const doc = new Y.Doc()
		const records = getRecordsMap(doc)
		records.set('shape:huge', recordToYMap(note('shape:huge', 'x'.repeat(MAX_SHAPE_STRING_LENGTH + 1))))
		records.set('shape:long', recordToYMap(note('shape:long', 'y'.repeat(5_000))))
		expect(readDocRecord(store, records, 'shape:huge')).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('characters') })
		expect(readDocRecord(store, records, 'shape:long')).toMatchObject({ kind: 'valid' })
	})
})
