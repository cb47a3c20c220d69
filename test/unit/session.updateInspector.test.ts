/** Which records an update touches, found without applying it. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import { inspectUpdate } from '../../server/session/updateInspector'

function shape(id: string, parentId = 'page:page') {
	return recordToYMap({ id, typeName: 'shape', type: 'note', parentId, x: 0, y: 0, props: { color: 'yellow' }, meta: {} })
}

/** A server doc and a client doc in sync; `edit` runs on the client; returns what the server sees. */
function setup() {
	const server = new Y.Doc()
	getRecordsMap(server).set('shape:a', shape('shape:a'))
	getRecordsMap(server).set('shape:frame', shape('shape:frame'))
	server.getMap('boardMeta').set('title', 'T')
	const client = new Y.Doc()
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
	const edit = (change: (records: Y.Map<Y.Map<unknown>>) => void) => {
		const before = Y.encodeStateVector(client)
		change(getRecordsMap(client))
		return inspectUpdate(server, Y.encodeStateAsUpdate(client, before))
	}
	return { server, client, edit }
}

describe('inspectUpdate', () => {
	it('finds the record of a changed top-level field, nested props field, creation and deletion', () => {
		let t = setup()
		expect([...t.edit((r) => r.get('shape:a')!.set('x', 5)).recordIds]).toEqual(['shape:a'])
		t = setup()
		expect([...t.edit((r) => (r.get('shape:a')!.get('props') as Y.Map<unknown>).set('color', 'red')).recordIds]).toEqual(['shape:a'])
		t = setup()
		const created = t.edit((r) => r.set('shape:new', shape('shape:new', 'shape:frame')))
		expect([...created.recordIds]).toEqual(['shape:new'])
		expect(created.newParentIds.get('shape:new')).toBe('shape:frame')
		t = setup()
		const deleted = t.edit((r) => r.delete('shape:a'))
		expect([...deleted.recordIds]).toEqual(['shape:a'])
		expect(deleted.changesDocument).toBe(true)
		t = setup()
		expect(t.edit((r) => r.get('shape:a')!.set('parentId', 'shape:frame')).newParentIds.get('shape:a')).toBe('shape:frame')
	})

	it('a second edit of the same key (origin-only struct) is still traced', () => {
		const t = setup()
		t.edit((r) => r.get('shape:a')!.set('x', 1))
		Y.applyUpdate(t.server, Y.encodeStateAsUpdate(t.client)) // the server got the first edit
		expect([...t.edit((r) => r.get('shape:a')!.set('x', 2)).recordIds]).toEqual(['shape:a'])
	})

	it('boardMeta changes belong to no record; a no-op sync step 2 changes nothing', () => {
		const t = setup()
		const before = Y.encodeStateVector(t.client)
		t.client.getMap('boardMeta').set('title', 'U')
		const meta = inspectUpdate(t.server, Y.encodeStateAsUpdate(t.client, before))
		expect(meta.changesDocument).toBe(true)
		expect(meta.recordIds.size).toBe(0)
		const fresh = new Y.Doc()
		Y.applyUpdate(fresh, Y.encodeStateAsUpdate(t.server))
		const noop = inspectUpdate(t.server, Y.encodeStateAsUpdate(fresh, Y.encodeStateVector(t.server)))
		expect(noop).toMatchObject({ changesDocument: false, untraceable: false })
		expect(noop.recordIds.size).toBe(0)
	})

	it('an update whose parents the server never saw is untraceable', () => {
		const t = setup()
		const other = new Y.Doc()
		Y.applyUpdate(other, Y.encodeStateAsUpdate(t.client))
		const sv = Y.encodeStateVector(other)
		getRecordsMap(other).set('shape:ghost', shape('shape:ghost'))
		const sv2 = Y.encodeStateVector(other)
		getRecordsMap(other).get('shape:ghost')!.set('x', 9)
		// Only the second change, without the record it lives in.
		const effects = inspectUpdate(t.server, Y.encodeStateAsUpdate(other, sv2))
		expect(effects.untraceable).toBe(true)
		expect(Y.encodeStateAsUpdate(other, sv).byteLength).toBeGreaterThan(0)
	})
})
