/**
 * Contributor notes (#13 item 6): the submission schema (plain text only,
 * sizes, kinds) and the server's write into an in-memory Y.Doc — the Inbox
 * frame found or created, notes in rows of three, valid tldraw records,
 * indices above their siblings — with seeded random submissions.
 */
import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ContributionSchema, hasMarkup } from '../../shared/contributor/contribution'
import { getRecordsMap, readAllRecords, recordToYMap } from '../../shared/recordCodec'
import { noteShapeRecord } from '../../shared/shapeRecords'
import { addContributionToDoc } from '../../server/session/contributions'
import { seededRandom, testSeeds } from './helpers/seededRandom'

const tlSchema = createTLSchema()
const token = 'A'.repeat(32)

function boardDoc(withInbox: boolean): Y.Doc {
	const doc = new Y.Doc()
	const records = getRecordsMap(doc)
	doc.transact(() => {
		records.set('page:page', recordToYMap({ id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} }))
		records.set('shape:n1', recordToYMap(noteShapeRecord({ id: 'shape:n1', x: 0, y: 0, index: 'a5' })))
		if (withInbox) {
			records.set('shape:box', recordToYMap({ id: 'shape:box', typeName: 'shape', type: 'frame', parentId: 'page:page', index: 'a2', x: 0, y: 500, rotation: 0, isLocked: false, opacity: 1, props: { w: 400, h: 300, name: ' inbox ', color: 'black' }, meta: {} }))
		}
	})
	return doc
}

describe('ContributionSchema', () => {
	it('accepts plain text notes, trimmed', () => {
		expect(ContributionSchema.parse({ token, kind: 'idea', text: '  Annual plans, please!  \r\n', name: ' Dana ' })).toEqual({ token, kind: 'idea', text: 'Annual plans, please!', name: 'Dana' })
		expect(ContributionSchema.safeParse({ token, kind: 'insight', text: 'a < b and 3 > 2; R&D matters' }).success).toBe(true)
	})

	it('refuses markup, control characters, empty, oversize and unknown fields', () => {
		for (const text of ['<b>hi</b>', '</div>', '&lt;script&gt;', 'javascript:alert(1)', '![x](y)', '[site](http://x)', 'a\u0000b', 'evil\u202Etxt.exe', ' ', 'x'.repeat(1001)]) {
			expect(ContributionSchema.safeParse({ token, kind: 'idea', text }).success, JSON.stringify(text)).toBe(false)
		}
		expect(ContributionSchema.safeParse({ token, kind: 'kpi', text: 'x' }).success).toBe(false)
		expect(ContributionSchema.safeParse({ token: 'short', kind: 'idea', text: 'x' }).success).toBe(false)
		expect(ContributionSchema.safeParse({ token, kind: 'idea', text: 'x', html: '<b>' }).success).toBe(false)
		expect(hasMarkup('2 < 3')).toBe(false)
	})
})

describe('addContributionToDoc', () => {
	it('creates an Inbox frame right of the content when there is none, and fills it in rows of three', () => {
		const doc = boardDoc(false)
		for (let i = 0; i < 4; i++) addContributionToDoc(doc, { token, kind: i % 2 ? 'idea' : 'insight', text: `note ${i}` }, { note: `shape:c${i}`, frame: `shape:inbox${i}` }, 1000 + i)
		const records = readAllRecords(doc)
		const frames = [...records.values()].filter((r) => r.type === 'frame')
		expect(frames).toHaveLength(1)
		const inbox = frames[0]
		expect(inbox).toMatchObject({ id: 'shape:inbox0', parentId: 'page:page', x: 400, props: { name: 'Inbox' }, meta: { inbox: true } })
		const notes = [0, 1, 2, 3].map((i) => records.get(`shape:c${i}`)!)
		expect(notes.map((n) => [n.parentId, n.x, n.y])).toEqual([
			['shape:inbox0', 40, 40],
			['shape:inbox0', 260, 40],
			['shape:inbox0', 480, 40],
			['shape:inbox0', 40, 260],
		])
		expect((inbox.props as { h: number }).h).toBeGreaterThanOrEqual(260 + 220)
		expect(notes[1].meta).toMatchObject({ kind: 'idea', tags: ['contributor'], author: { id: 'contributor', name: 'Contributor' }, createdAt: 1001 })
		expect((inbox.index as string) > 'a5').toBe(true)
		for (const record of records.values()) {
			const type = tlSchema.types[record.typeName as keyof typeof tlSchema.types]
			expect(() => type.validate(record), JSON.stringify(record)).not.toThrow()
		}
	})

	it('uses an existing frame named Inbox (any case), and keeps seeded random submissions valid', () => {
		for (const seed of testSeeds(10, 77)) {
			const random = seededRandom(seed)
			const doc = boardDoc(true)
			const count = 1 + random.int(8)
			for (let i = 0; i < count; i++) {
				const text = Array.from({ length: 1 + random.int(40) }, () => random.pick(['team', 'setup', 'ü', '😀', '2 < 3', '&', '\n', 'slow'])).join(' ')
				const parsed = ContributionSchema.safeParse({ token, kind: random.pick(['idea', 'insight']), text, name: random.chance(0.5) ? 'Dana' : undefined })
				if (!parsed.success) continue
				addContributionToDoc(doc, parsed.data, { note: `shape:r${i}`, frame: `shape:f${i}` }, i)
			}
			const records = [...readAllRecords(doc).values()]
			expect(records.filter((r) => r.type === 'frame'), `seed ${seed}`).toHaveLength(1)
			for (const note of records.filter((r) => typeof r.id === 'string' && r.id.startsWith('shape:r'))) {
				expect(note.parentId).toBe('shape:box')
				expect(() => tlSchema.types.shape.validate(note)).not.toThrow()
			}
		}
	})
})
