/**
 * tldraw `index` keys (fractional indexing, base 62) for records we create.
 * We only need a run of increasing keys for siblings of a fresh board, so we
 * produce the integer keys 'a1' … 'az', 'b00' … 'bzz', 'c000' …, which are
 * valid for tldraw's `validateIndexKey` and sort in creation order.
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** The n-th integer index key, n ≥ 1 ('a1' is the first, like tldraw's getIndices). */
export function integerIndexKey(n: number): string {
	if (!Number.isInteger(n) || n < 1) throw new Error(`index ordinal must be a positive integer, got ${n}`)
	let rest = n
	for (let digits = 1, head = 'a'.charCodeAt(0); digits <= 26; digits++, head++) {
		const capacity = 62 ** digits
		if (rest < capacity) {
			let key = ''
			for (let i = 0; i < digits; i++) {
				key = DIGITS[rest % 62] + key
				rest = Math.floor(rest / 62)
			}
			return String.fromCharCode(head) + key
		}
		rest -= capacity
	}
	throw new Error('index ordinal too large')
}

/** Hands out increasing keys per parent id. */
export class SiblingIndexAllocator {
	private readonly next = new Map<string, number>()

	allocate(parentId: string): string {
		const n = this.next.get(parentId) ?? 1
		this.next.set(parentId, n + 1)
		return integerIndexKey(n)
	}
}
