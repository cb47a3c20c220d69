import { describe, expect, it } from 'vitest'
import { encodeSessionFrame, parseSessionServerMessage, readSessionPayload } from '../../shared/session/codec'
import * as decoding from 'lib0/decoding'

const roundTrip = (message: unknown) => {
	const decoder = decoding.createDecoder(encodeSessionFrame(message))
	decoding.readVarUint(decoder)
	return parseSessionServerMessage(readSessionPayload(decoder))
}

describe('session server messages (what the browser client accepts)', () => {
	it('accepts both response shapes, told apart by ok', () => {
		expect(roundTrip({ type: 'response', id: 1, serverNow: 5, ok: true, result: { role: 'viewer' } })).toMatchObject({ ok: true })
		expect(roundTrip({ type: 'response', id: 2, serverNow: 5, ok: false, error: { code: 'forbidden', message: 'facilitator only' } })).toMatchObject({
			ok: false,
			error: { code: 'forbidden' },
		})
	})
	it('accepts events and rejects malformed messages', () => {
		expect(roundTrip({ type: 'ballot', serverNow: 1, ballot: { sessionId: 'abcdef', dots: { 'shape:a': 2 }, remaining: 3 } })).not.toBeNull()
		expect(roundTrip({ type: 'summon', serverNow: 1, pageId: 'page:page', bounds: { x: 0, y: 0, w: 10, h: 10 }, by: 'Fran' })).not.toBeNull()
		expect(roundTrip({ type: 'response', id: 1, serverNow: 1, ok: 'yes' })).toBeNull()
		expect(roundTrip({ type: 'response', id: 1, serverNow: 1, ok: false, error: { code: 'nope', message: '' } })).toBeNull()
		expect(roundTrip({ type: 'teleport', serverNow: 1 })).toBeNull()
	})
})
