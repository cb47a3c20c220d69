/**
 * Receipts of contributor notes (#13 item 10, docs/sessions.md §11): a
 * receipt verifies only with its board's key, for its board and its note;
 * any change of a character, another board, another key or a malformed
 * string is refused; the answer for a genuine receipt holds the note's
 * status, reason, text and kind as they are in the document now — nothing
 * else of the board — and `removed` / `closed` / `unknown` otherwise.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { RECEIPT_PATTERN, ReceiptStatusRequestSchema, MAX_RECEIPTS_PER_STATUS_REQUEST } from '../../shared/contributor/receipt'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import { noteShapeRecord } from '../../shared/shapeRecords'
import { answerReceipts, anyGenuine, createReceipt, noteStatus, receiptKeyFrom, verifyReceipt } from '../../server/session/contributorReceipts'
import { parseStoredSessionState, toStoredSessionState } from '../../server/session/sessionState'
import { seededRandom, testSeeds } from './helpers/seededRandom'

const key = receiptKeyFrom(new Uint8Array(32).fill(7))
const otherKey = receiptKeyFrom(new Uint8Array(32).fill(8))
const board = 'board-receipts-1'

describe('createReceipt / verifyReceipt', () => {
	it('round-trips to the note id, and is deterministic per key, board and note', () => {
		const receipt = createReceipt(key, board, 'shape:AbCdEfGh12345678')
		expect(receipt).toMatch(RECEIPT_PATTERN)
		expect(receipt.startsWith('AbCdEfGh12345678.')).toBe(true)
		expect(verifyReceipt(key, board, receipt)).toBe('shape:AbCdEfGh12345678')
		expect(createReceipt(key, board, 'shape:AbCdEfGh12345678')).toBe(receipt)
		expect(createReceipt(otherKey, board, 'shape:AbCdEfGh12345678')).not.toBe(receipt)
	})

	it('refuses another board, another key, no key, another note and malformed strings', () => {
		const receipt = createReceipt(key, board, 'shape:note-one-xyz')
		expect(verifyReceipt(key, 'board-receipts-2', receipt)).toBeNull()
		expect(verifyReceipt(otherKey, board, receipt)).toBeNull()
		expect(verifyReceipt(null, board, receipt)).toBeNull()
		// The MAC of one note does not open another.
		const [, mac] = receipt.split('.')
		expect(verifyReceipt(key, board, `note-two-xyz.${mac}`)).toBeNull()
		for (const bad of ['', '.', 'x', `${receipt}.`, `${receipt}A`, receipt.replace('.', ':'), ` ${receipt}`, 'shape:note-one-xyz', `../${receipt}`, `${'a'.repeat(65)}.${mac}`]) {
			expect(verifyReceipt(key, board, bad), JSON.stringify(bad)).toBeNull()
		}
		expect(() => createReceipt('short', board, 'shape:abcdefgh')).toThrow(RangeError)
		expect(() => createReceipt(key, board, 'page:abcdefgh')).toThrow(RangeError)
		expect(() => receiptKeyFrom(new Uint8Array(16))).toThrow(RangeError)
	})

	it('refuses every single-character change (seeded)', () => {
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
		for (const seed of testSeeds(20, 13)) {
			const random = seededRandom(seed)
			const boardKey = receiptKeyFrom(randomBytes(32))
			const noteId = `shape:${Array.from({ length: 16 }, () => random.pick([...alphabet])).join('')}`
			const receipt = createReceipt(boardKey, board, noteId)
			expect(verifyReceipt(boardKey, board, receipt), `seed ${seed}`).toBe(noteId)
			const at = random.int(receipt.length)
			if (receipt[at] === '.') continue
			const replacement = alphabet.split('').find((c) => c !== receipt[at] && random.chance(0.5)) ?? (receipt[at] === 'A' ? 'B' : 'A')
			const changed = receipt.slice(0, at) + replacement + receipt.slice(at + 1)
			// Also in the last character, whose spare bits a lenient base64 decoder would ignore.
			expect(verifyReceipt(boardKey, board, changed), `seed ${seed} at ${at}`).toBeNull()
			expect(verifyReceipt(boardKey, board, receipt.slice(0, -1) + (receipt.endsWith('A') ? 'B' : 'A')), `seed ${seed} last`).toBeNull()
		}
	})
})

function docWithNote(meta: Record<string, unknown>, text = 'Setting up took two days'): Y.Doc {
	const doc = new Y.Doc()
	const records = getRecordsMap(doc)
	records.set('shape:mine12345', recordToYMap(noteShapeRecord({ id: 'shape:mine12345', text, meta })))
	records.set('shape:other1234', recordToYMap(noteShapeRecord({ id: 'shape:other1234', text: 'A secret of the board', meta: { kind: 'idea', status: 'accepted' } })))
	records.set('shape:frame1234', recordToYMap({ id: 'shape:frame1234', typeName: 'shape', type: 'frame', parentId: 'page:page', index: 'a2', x: 0, y: 0, rotation: 0, isLocked: false, opacity: 1, props: { w: 1, h: 1, name: 'Secret theme', color: 'black' }, meta: {} }))
	return doc
}

describe('noteStatus / answerReceipts', () => {
	const open = { token: 'T'.repeat(32), receiptKey: key }

	it('answers a genuine receipt with the note as it is now, and nothing else', () => {
		const doc = docWithNote({ kind: 'insight', status: 'discarded', statusReason: '  Out of scope this year ', updatedAt: 1234 })
		const mine = createReceipt(key, board, 'shape:mine12345')
		const [answer] = answerReceipts([mine], board, open, doc)
		expect(answer).toEqual({ receipt: mine, status: 'discarded', reason: 'Out of scope this year', text: 'Setting up took two days', kind: 'insight', updatedAt: 1234 })
		expect(JSON.stringify(answer)).not.toMatch(/secret/iu)
		// No status in meta is "new"; an invalid one too; no reason, no updatedAt when there is none.
		expect(noteStatus(docWithNote({ kind: 'idea' }), 'shape:mine12345')).toEqual({ status: 'new', text: 'Setting up took two days', kind: 'idea' })
		expect(noteStatus(docWithNote({ status: 'maybe', statusReason: 42 }), 'shape:mine12345')).toEqual({ status: 'new', text: 'Setting up took two days', kind: 'idea' })
		// The team edited the text: the current text.
		expect(noteStatus(docWithNote({}, 'Setup took two days (SSO)'), 'shape:mine12345').text).toBe('Setup took two days (SSO)')
	})

	it('answers removed, closed and unknown', () => {
		const doc = docWithNote({ kind: 'idea' })
		const gone = createReceipt(key, board, 'shape:deleted99')
		const frame = createReceipt(key, board, 'shape:frame1234')
		const mine = createReceipt(key, board, 'shape:mine12345')
		const forged = `mine12345.${'A'.repeat(22)}`
		const elsewhere = createReceipt(key, 'board-receipts-2', 'shape:mine12345')
		expect(answerReceipts([gone, frame, forged, elsewhere, 'junk'], board, open, doc).map((a) => a.status)).toEqual(['removed', 'removed', 'unknown', 'unknown', 'unknown'])
		// The link closed: genuine receipts say so, with nothing of the note.
		expect(answerReceipts([mine, forged], board, { token: null, receiptKey: key }, doc)).toEqual([
			{ receipt: mine, status: 'closed' },
			{ receipt: forged, status: 'unknown' },
		])
		// The board is gone.
		expect(answerReceipts([mine], board, open, null)).toEqual([{ receipt: mine, status: 'removed' }])
		// A board that never issued a receipt knows none.
		expect(answerReceipts([mine], board, { token: open.token, receiptKey: null }, doc)).toEqual([{ receipt: mine, status: 'unknown' }])
		expect(anyGenuine([forged, 'junk'], board, key)).toBe(false)
		expect(anyGenuine([forged, mine], board, key)).toBe(true)
	})
})

describe('receipt key in the stored session state', () => {
	it('is kept through a store round trip; states stored before it read as no key', () => {
		const state = parseStoredSessionState(null, 0)
		expect(state.contributor.receiptKey).toBeNull()
		const withKey = { ...state, contributor: { token: 'T'.repeat(32), changedAt: 5, receiptKey: key } }
		expect(parseStoredSessionState(JSON.parse(JSON.stringify(toStoredSessionState(withKey))), 0).contributor).toEqual(withKey.contributor)
		const old = JSON.parse(JSON.stringify(toStoredSessionState(state))) as { contributor: Record<string, unknown> }
		old.contributor = { token: 'T'.repeat(32), changedAt: 5 }
		expect(parseStoredSessionState(old, 0).contributor).toEqual({ token: 'T'.repeat(32), changedAt: 5, receiptKey: null })
	})
})

describe('ReceiptStatusRequestSchema', () => {
	it('takes up to the cap of strings, refuses the rest with a clear message', () => {
		expect(ReceiptStatusRequestSchema.safeParse({ receipts: [] }).success).toBe(true)
		expect(ReceiptStatusRequestSchema.safeParse({ receipts: Array(MAX_RECEIPTS_PER_STATUS_REQUEST).fill('x') }).success).toBe(true)
		const over = ReceiptStatusRequestSchema.safeParse({ receipts: Array(MAX_RECEIPTS_PER_STATUS_REQUEST + 1).fill('x') })
		expect(over.success ? '' : over.error.issues[0].message).toMatch(/at most 50 receipts/u)
		for (const bad of [{}, { receipts: 'x' }, { receipts: [1] }, { receipts: [], extra: 1 }, null, []]) {
			expect(ReceiptStatusRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
		}
	})
})
