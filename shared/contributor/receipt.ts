/**
 * Receipts of contributor notes (#13 item 10, docs/sessions.md §11): the
 * submit answer carries one receipt per note; the contributor page keeps
 * them (localStorage, per board) and asks `POST /api/boards/:id/contribute/status`
 * what became of each note. A receipt names its note and proves the server
 * issued it — `<note key>.<MAC>`, the MAC an HMAC-SHA256 over board id and
 * note id with a per-board key the server keeps (server/session/contributorReceipts.ts) —
 * so it reveals nothing else and cannot be forged or moved to another note
 * or board. This file holds what server and page share: formats, limits,
 * the request schema and the answer's shape.
 */
import { z } from 'zod'
import { ITEM_STATUSES, type ItemStatus } from '../items/lifecycle'
import type { ItemKind } from '../items/kinds'

/** A receipt as issued: the note id's random part (note ids are `shape:<key>`), a dot, 22 base64url characters of MAC. */
export const RECEIPT_PATTERN = /^[A-Za-z0-9_-]{8,64}\.[A-Za-z0-9_-]{22}$/u
/** Receipts asked about in one status request. */
export const MAX_RECEIPTS_PER_STATUS_REQUEST = 50
/** Receipts the page keeps per board (the oldest are dropped beyond it). */
export const MAX_STORED_RECEIPTS = MAX_RECEIPTS_PER_STATUS_REQUEST
/** Status requests per connection (client address) in one minute: a phone polls about twice a minute; a room on one Wi-Fi shares the address. */
export const STATUS_REQUESTS_PER_CONNECTION_PER_MINUTE = 60
/** How often the page asks while it is visible. */
export const STATUS_REFRESH_MS = 30_000
/** The note's current text is answered up to this many characters. */
export const MAX_RECEIPT_TEXT = 1000

export const ReceiptStatusRequestSchema = z
	.object({
		receipts: z
			.array(z.string({ message: 'each receipt must be a string' }).max(200, 'a receipt is at most 200 characters'), { message: 'receipts must be an array of strings' })
			.max(MAX_RECEIPTS_PER_STATUS_REQUEST, `at most ${MAX_RECEIPTS_PER_STATUS_REQUEST} receipts per request`),
	})
	.strict()
export type ReceiptStatusRequest = z.infer<typeof ReceiptStatusRequestSchema>

/**
 * What the page is told about one receipt:
 * - an item status (`new` … `discarded`): the note is on the board; `text`, `kind`, maybe `reason` and `updatedAt`;
 * - `removed`: the receipt is genuine but the note is no longer on the board (deleted, or the board is gone);
 * - `closed`: genuine, but the facilitator closed the contributor link: nothing of the note is shared until it is opened again;
 * - `unknown`: not a receipt of this board (malformed, forged, another board's, or the board never issued one).
 */
export const RECEIPT_STATUSES = [...ITEM_STATUSES, 'removed', 'closed', 'unknown'] as const
export type ReceiptStatus = ItemStatus | 'removed' | 'closed' | 'unknown'

export interface ReceiptAnswer {
	receipt: string
	status: ReceiptStatus
	/** The facilitator's reason for the status, when given. */
	reason?: string
	/** The note's text as it is now (the team may have edited it). */
	text?: string
	kind?: ItemKind
	/** ms since epoch of the note's last edit of text or a typed field, when known. */
	updatedAt?: number
}

/** How the page names each answer (shown as a badge). */
export const RECEIPT_STATUS_LABELS: Readonly<Record<ReceiptStatus, string>> = {
	new: 'New',
	evaluating: 'Being evaluated',
	accepted: 'Accepted',
	parked: 'Parked',
	discarded: 'Not pursued',
	removed: 'Removed from the board',
	closed: 'Link closed',
	unknown: 'Not found',
}
