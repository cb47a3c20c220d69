/**
 * The public key of a person in the people list: the first 96 bits of
 * SHA-256(participant id), base64url. Why not the id itself: a participant
 * id is the credential of a voter's budget and ballot (docs/sessions.md §3),
 * so the session channel never shows it to others — a copied id would let
 * someone read an anonymous ballot. Clients derive the same key from an id
 * they already know (their own, a cursor's) to match people up.
 */
import { digest } from 'lib0/hash/sha256'

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

export function personKey(participantId: string): string {
	const bytes = digest(new TextEncoder().encode(participantId)).subarray(0, 12)
	let out = ''
	for (let i = 0; i < bytes.length; i += 3) {
		const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]
		out += BASE64URL[(n >> 18) & 63] + BASE64URL[(n >> 12) & 63] + BASE64URL[(n >> 6) & 63] + BASE64URL[n & 63]
	}
	return out
}
