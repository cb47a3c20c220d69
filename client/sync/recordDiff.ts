/**
 * Pure helpers to compare tldraw record values, which are plain JSON.
 * Used to write only the fields of a record that really changed.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Structural equality of JSON values (key order ignored; `undefined` keys count as absent). */
export function jsonEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
		// NaN never occurs in valid records, but treat it as equal to itself so a
		// hostile NaN cannot cause endless rewrites.
		return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)
	}
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
		for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false
		return true
	}
	const aObj = a as Record<string, unknown>
	const bObj = b as Record<string, unknown>
	const aKeys = Object.keys(aObj).filter((k) => aObj[k] !== undefined)
	const bKeys = Object.keys(bObj).filter((k) => bObj[k] !== undefined)
	if (aKeys.length !== bKeys.length) return false
	for (const key of aKeys) {
		if (!Object.prototype.hasOwnProperty.call(bObj, key) || !jsonEqual(aObj[key], bObj[key])) return false
	}
	return true
}

/** Keys of either object, in first-seen order. */
export function unionKeys(a: Record<string, unknown> | null, b: Record<string, unknown>): string[] {
	const keys = new Set<string>(a ? Object.keys(a) : [])
	for (const key of Object.keys(b)) keys.add(key)
	return [...keys]
}
