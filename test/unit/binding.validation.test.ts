import type { TLNoteShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { getShape, makeNote, updateRecord } from './helpers/boardFixtures'
import { connectDoc, createPeer } from './helpers/boardPeer'
import { YNetwork } from './helpers/yNetwork'

const asPlain = (record: TLNoteShape) => record as unknown as PlainRecord

/** A board with a victim client and a hostile plain-Yjs client writing raw Y.Maps. */
function boardWithHostileClient() {
	const net = new YNetwork()
	const victim = createPeer(net, 'victim', { clientID: 1 })
	net.flush()
	const other = createPeer(net, 'other', { clientID: 2 })
	const hostile = connectDoc(net, 3)
	net.flush()
	return { net, victim, other, hostile, records: getRecordsMap(hostile) }
}

describe('bindStoreToYDoc: invalid remote records', () => {
	it('skips and logs each invalid record, applies the valid ones in the same batch', () => {
		const { net, victim, other, hostile, records } = boardWithHostileClient()
		hostile.transact(() => {
			records.set('shape:wrong-props', recordToYMap(asPlain(makeNote('shape:wrong-props', 0, 0, 'x'))))
			;(records.get('shape:wrong-props')!.get('props') as Y.Map<unknown>).set('color', 42)
			records.set('shape:unknown-type', recordToYMap({ ...asPlain(makeNote('shape:unknown-type', 0, 0, 'x')), type: 'banana' }))
			const missing = recordToYMap(asPlain(makeNote('shape:missing-fields', 0, 0, 'x')))
			missing.delete('x')
			missing.delete('parentId')
			records.set('shape:missing-fields', missing)
			records.set('shape:not-a-map', 'garbage' as unknown as Y.Map<unknown>)
			records.set('shape:id-mismatch', recordToYMap(asPlain(makeNote('shape:someone-else', 0, 0, 'x'))))
			records.set('instance:instance', recordToYMap({ id: 'instance:instance', typeName: 'instance', junk: true }))
			records.set('shape:valid', recordToYMap(asPlain(makeNote('shape:valid', 5, 5, 'fine'))))
		})
		net.flush()

		for (const peer of [victim, other]) {
			expect(getShape(peer.store, 'shape:valid')).toMatchObject({ x: 5, props: { color: 'yellow' } })
			for (const id of ['shape:wrong-props', 'shape:unknown-type', 'shape:missing-fields', 'shape:not-a-map', 'shape:id-mismatch']) {
				expect(getShape(peer.store, id), id).toBeUndefined()
			}
			expect(getShape(peer.store, 'shape:someone-else')).toBeUndefined()
			// The session record in the doc did not replace the store's own instance record.
			expect(peer.store.get('instance:instance' as never)).toMatchObject({ typeName: 'instance', currentPageId: 'page:page' })
			expect(peer.binding.getSkippedRecordIds().sort()).toEqual(
				['instance:instance', 'shape:id-mismatch', 'shape:missing-fields', 'shape:not-a-map', 'shape:unknown-type', 'shape:wrong-props'].sort(),
			)
		}
		expect(victim.logs).toHaveLength(6)
		for (const line of victim.logs) {
			expect(line).toMatch(/^\[sync\] skipped invalid record (shape|instance):\S+: /)
			expect(line).not.toContain('\n')
		}
		expect(victim.logs.join('\n')).toContain('shape:wrong-props')

		// The board keeps working in both directions.
		victim.store.put([makeNote('shape:after', 1, 2, 'still works')])
		updateRecord<TLNoteShape>(other.store, 'shape:valid', (s) => ({ ...s, x: 50 }))
		net.flush()
		expect(getShape(other.store, 'shape:after')).toBeDefined()
		expect(getShape(victim.store, 'shape:valid')).toMatchObject({ x: 50 })
	})

	it('shows a skipped record once it is repaired, and keeps the last valid version of a corrupted one', () => {
		const { net, victim, records, hostile } = boardWithHostileClient()
		hostile.transact(() => {
			records.set('shape:later-fixed', recordToYMap(asPlain(makeNote('shape:later-fixed', 0, 0, 'x'))))
			;(records.get('shape:later-fixed')!.get('props') as Y.Map<unknown>).set('color', 'not-a-color')
		})
		victim.store.put([makeNote('shape:corrupted', 7, 7, 'good')])
		net.flush()
		expect(getShape(victim.store, 'shape:later-fixed')).toBeUndefined()

		hostile.transact(() => {
			;(records.get('shape:later-fixed')!.get('props') as Y.Map<unknown>).set('color', 'red')
			records.get('shape:corrupted')!.set('x', 'left')
		})
		net.flush()
		expect(getShape(victim.store, 'shape:later-fixed')).toMatchObject({ props: { color: 'red' } })
		expect(getShape(victim.store, 'shape:corrupted')).toMatchObject({ x: 7 })
		expect(victim.binding.getSkippedRecordIds()).toEqual(['shape:corrupted'])

		// The same bad value changing elsewhere in the record is not logged again.
		const logged = victim.logs.length
		hostile.transact(() => records.get('shape:corrupted')!.set('y', 8))
		net.flush()
		expect(victim.logs).toHaveLength(logged)
	})

	it('never hands live Yjs types to the store (a Y.Array or Y.Text where JSON belongs)', () => {
		const { net, victim, records, hostile } = boardWithHostileClient()
		hostile.transact(() => {
			records.set('shape:yarray', recordToYMap(asPlain(makeNote('shape:yarray', 0, 0, 'x'))))
			const scribbled = new Y.Array<unknown>()
			scribbled.push([1, 2])
			records.get('shape:yarray')!.set('x', scribbled)
			records.set('shape:ytext', recordToYMap(asPlain(makeNote('shape:ytext', 0, 0, 'x'))))
			records.get('shape:ytext')!.set('index', new Y.Text('a1'))
		})
		net.flush()
		expect(getShape(victim.store, 'shape:yarray')).toBeUndefined()
		// A Y.Text reads back as its string content, which is a valid index here.
		expect(getShape(victim.store, 'shape:ytext')).toMatchObject({ index: 'a1' })
		expect(victim.binding.getSkippedRecordIds()).toEqual(['shape:yarray'])
	})

	it('skips invalid records already in the doc when a client joins', () => {
		const net = new YNetwork()
		const first = createPeer(net, 'first', { clientID: 1 })
		first.store.put([makeNote('shape:ok', 1, 1, 'ok')])
		const hostile = connectDoc(net, 3)
		net.flush()
		const bad = recordToYMap(asPlain(makeNote('shape:bad', 0, 0, 'x')))
		bad.set('rotation', 'a lot')
		getRecordsMap(hostile).set('shape:bad', bad)
		net.flush()
		const joiner = createPeer(net, 'joiner', { clientID: 4 })
		expect(getShape(joiner.store, 'shape:ok')).toBeDefined()
		expect(getShape(joiner.store, 'shape:bad')).toBeUndefined()
		expect(joiner.logs).toEqual([expect.stringContaining('shape:bad')])
	})
})
