import { z } from 'zod'

/**
 * Board ids are 128 random bits in base64url (22 chars), unguessable.
 * Older or hand-made ids of 6-64 url-safe characters are accepted too.
 */
export const BoardIdSchema = z
	.string()
	.regex(/^[A-Za-z0-9_-]{6,64}$/, 'board id must be 6-64 characters of A-Z a-z 0-9 _ -')
export type BoardId = z.infer<typeof BoardIdSchema>

export function randomBase64Url(bytes: number): string {
	const buf = new Uint8Array(bytes)
	globalThis.crypto.getRandomValues(buf)
	let binary = ''
	for (const b of buf) binary += String.fromCharCode(b)
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function newBoardId(): BoardId {
	return randomBase64Url(16)
}
