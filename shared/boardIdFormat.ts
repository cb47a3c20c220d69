/**
 * The board id format without zod, for code that only needs to recognise or
 * mint an id (the browser's router and landing page stay free of zod's weight).
 * Board ids are 128 random bits in base64url (22 chars), unguessable.
 * Older or hand-made ids of 6-64 url-safe characters are accepted too.
 */
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{6,64}$/
export const BOARD_ID_RULE = 'board id must be 6-64 characters of A-Z a-z 0-9 _ -'

export function isBoardId(candidate: string): boolean {
	return BOARD_ID_PATTERN.test(candidate)
}

export function randomBase64Url(bytes: number): string {
	const buf = new Uint8Array(bytes)
	globalThis.crypto.getRandomValues(buf)
	let binary = ''
	for (const b of buf) binary += String.fromCharCode(b)
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function newBoardId(): string {
	return randomBase64Url(16)
}
