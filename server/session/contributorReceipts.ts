/**
 * Receipts of contributor notes (docs/sessions.md §11, formats in
 * shared/contributor/receipt.ts).
 *
 * Decision: a receipt is stateless — `<note key>.<MAC>`, the MAC the first
 * 16 bytes of HMAC-SHA256(board key, "workshop-board contributor receipt v1\n"
 * + board id + "\n" + note id), base64url. The board key (32 random bytes) is
 * made with the board's first receipt and kept in the board's stored session
 * state (`contributor.receiptKey`, server only: the same JSON document on
 * SQLite and PostgreSQL, so it survives restarts and storage migration).
 * Nothing is stored per note, nothing grows with submissions, and a receipt
 * cannot be forged, nor moved to another note or board, without the key.
 * Rotating or closing the link leaves the key alone: a rotated link's
 * receipts keep working; while the link is closed they are answered
 * `closed` (nothing of the note shared) and work again when it reopens.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import * as Y from 'yjs'
import { RECEIPT_PATTERN, MAX_RECEIPT_TEXT, type ReceiptAnswer } from '../../shared/contributor/receipt'
import { isEpochMs, parseItemMeta } from '../../shared/items/itemMeta'
import { readLifecycle } from '../../shared/items/lifecycle'
import { getRecordsMap, yMapToRecord } from '../../shared/recordCodec'
import { richTextToPlainText } from '../../shared/text/richText'

const DOMAIN = 'workshop-board contributor receipt v1'
const NOTE_PREFIX = 'shape:'
const KEY = /^[A-Za-z0-9_-]{43}$/u

/** A new board key (32 bytes, base64url) from the given random bytes. */
export function receiptKeyFrom(bytes: Uint8Array): string {
	if (bytes.byteLength !== 32) throw new RangeError('a receipt key is 32 bytes')
	return Buffer.from(bytes).toString('base64url')
}

function mac(key: string, boardId: string, noteId: string): Buffer {
	return createHmac('sha256', Buffer.from(key, 'base64url')).update(`${DOMAIN}\n${boardId}\n${noteId}`).digest().subarray(0, 16)
}

/** The receipt of note `noteId` (`shape:<key>`) on `boardId`. */
export function createReceipt(key: string, boardId: string, noteId: string): string {
	if (!KEY.test(key)) throw new RangeError('invalid receipt key')
	if (!noteId.startsWith(NOTE_PREFIX)) throw new RangeError('receipts are issued for shapes')
	const receipt = `${noteId.slice(NOTE_PREFIX.length)}.${mac(key, boardId, noteId).toString('base64url')}`
	if (!RECEIPT_PATTERN.test(receipt)) throw new RangeError('this note id cannot carry a receipt')
	return receipt
}

/** The note id a genuine receipt of `boardId` names, else null (malformed, forged, another board's or another key's). */
export function verifyReceipt(key: string | null, boardId: string, receipt: string): string | null {
	if (key === null || !KEY.test(key) || !RECEIPT_PATTERN.test(receipt)) return null
	const dot = receipt.indexOf('.')
	const noteId = NOTE_PREFIX + receipt.slice(0, dot)
	// Compared as text, so each MAC has exactly one spelling (base64url's last character has spare bits).
	const given = Buffer.from(receipt.slice(dot + 1))
	const expected = Buffer.from(mac(key, boardId, noteId).toString('base64url'))
	return given.length === expected.length && timingSafeEqual(given, expected) ? noteId : null
}

/** What a genuine receipt's note looks like now: its status, reason, text and kind — nothing else of the board. */
export function noteStatus(doc: Y.Doc, noteId: string): Omit<ReceiptAnswer, 'receipt'> {
	const ymap = getRecordsMap(doc).get(noteId)
	if (!(ymap instanceof Y.Map) || ymap.get('typeName') !== 'shape' || ymap.get('type') !== 'note') return { status: 'removed' }
	const record = yMapToRecord(ymap)
	const props = typeof record.props === 'object' && record.props !== null ? (record.props as Record<string, unknown>) : {}
	const { status, statusReason } = readLifecycle(record.meta)
	const { meta } = parseItemMeta(record.meta)
	const answer: Omit<ReceiptAnswer, 'receipt'> = {
		status,
		text: richTextToPlainText(props.richText ?? props.text).slice(0, MAX_RECEIPT_TEXT),
		kind: meta.kind,
	}
	if (statusReason !== null) answer.reason = statusReason
	if (isEpochMs(meta.updatedAt)) answer.updatedAt = meta.updatedAt
	return answer
}

/**
 * Answers a status request from the board's contributor state and, when
 * some receipt is genuine and the link open, the room's document (`doc`;
 * null when the board could not be loaded: its notes are gone).
 */
export function answerReceipts(
	receipts: readonly string[],
	boardId: string,
	contributor: { token: string | null; receiptKey: string | null },
	doc: Y.Doc | null,
): ReceiptAnswer[] {
	return receipts.map((receipt) => {
		const noteId = verifyReceipt(contributor.receiptKey, boardId, receipt)
		if (noteId === null) return { receipt, status: 'unknown' }
		if (contributor.token === null) return { receipt, status: 'closed' }
		if (doc === null) return { receipt, status: 'removed' }
		return { receipt, ...noteStatus(doc, noteId) }
	})
}

/** Whether any of `receipts` is genuine (decides whether the room needs loading at all). */
export function anyGenuine(receipts: readonly string[], boardId: string, key: string | null): boolean {
	return receipts.some((receipt) => verifyReceipt(key, boardId, receipt) !== null)
}
