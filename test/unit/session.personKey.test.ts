/** The public person key of the people list: SHA-256 of the participant id, never the id. */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { PersonKeySchema } from '../../shared/session/messages'
import { personKey } from '../../shared/session/personKey'

describe('personKey', () => {
	it('is the first 96 bits of SHA-256(participant id) in base64url, as the schema expects', () => {
		for (const id of ['ana-0001', 'e2e-Fran', 'x'.repeat(64), 'Zz_-09azAZ']) {
			const expected = createHash('sha256').update(id).digest().subarray(0, 12).toString('base64url')
			expect(personKey(id)).toBe(expected)
			expect(PersonKeySchema.safeParse(personKey(id)).success).toBe(true)
			expect(personKey(id)).not.toContain(id.slice(0, 6))
		}
	})

	it('tells different ids apart', () => {
		const keys = new Set(Array.from({ length: 2000 }, (_, i) => personKey(`participant-${i}`)))
		expect(keys.size).toBe(2000)
	})
})
