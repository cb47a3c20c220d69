/**
 * Role tokens: 256 random bits in base64url. Only their SHA-256 is stored;
 * a lookup hashes the presented token first, so the database index is
 * searched by a value an attacker cannot steer (no timing oracle on the
 * token), and the stored hash is compared again in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { randomBase64Url } from '../../shared/boardId'

/** 32 bytes = 256 bits (≥ 128 required), 43 base64url characters. */
export const TOKEN_BYTES = 32
export const TokenPattern = /^[A-Za-z0-9_-]{43}$/

export function generateToken(): string {
	return randomBase64Url(TOKEN_BYTES)
}

export function hashToken(token: string): Buffer {
	return createHash('sha256').update(token, 'utf8').digest()
}

export function tokenHashesEqual(a: Uint8Array, b: Uint8Array): boolean {
	return a.byteLength === b.byteLength && timingSafeEqual(a, b)
}

/** Replaces the value of every `token=` query parameter (for anything that may be logged). */
export function redactTokens(text: string): string {
	return text.replace(/([?&;]token=)[^&#\s"']*/gi, '$1[redacted]')
}
