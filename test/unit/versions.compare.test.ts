/**
 * compareExports (shared/versions/compare.ts) over exports built from
 * in-memory Y.Docs, as the server builds a version's and the live board's:
 * a scripted workshop edit, and seeded random edits checked against
 * properties any comparison must have.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildBoardExport, type ClosedVotingInput } from '../../shared/export'
import { getRecordsMap, readAllRecords, recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { plainTextToRichText } from '../../shared/text/richText'
import { compareExports } from '../../shared/versions'
import { frame, note, page, theme } from './exportFixtures'
import { seededRandom, testSeeds } from './helpers/seededRandom'

function docOf(records: readonly object[]): Y.Doc {
	const doc = new Y.Doc()
	const map = getRecordsMap(doc)
	doc.transact(() => {
		for (const record of records) map.set((record as PlainRecord).id, recordToYMap(record as PlainRecord))
	})
	return doc
}

function exportOf(doc: Y.Doc, votingSessions: readonly ClosedVotingInput[] = []) {
	return buildBoardExport({ boardId: 'board-1', title: 'Roadmap', records: readAllRecords(doc), now: 0, votingSessions })
}

/** A snapshot of `doc` as a separate doc (what a version stores). */
function snapshotOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc()
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
	return copy
}

const roadmap = () => [
	page('page:main', 'a1'),
	frame('shape:lane-now', 0, 0, 2000, 1000, { lane: 'now' }),
	frame('shape:lane-next', 0, 1200, 2000, 1000, { lane: 'next' }),
	frame('shape:onboarding', 50, 50, 800, 800, theme('Onboarding'), 'shape:lane-now'),
	frame('shape:billing', 50, 50, 800, 800, theme('Billing'), 'shape:lane-next'),
	note('shape:checklist', 100, 100, 'Onboarding checklist', { kind: 'feature', rice: { reach: 100, impact: 2, confidence: 80, effort: 2 } }, 'shape:onboarding'),
	note('shape:invoice', 100, 100, 'PDF invoices', { kind: 'feature', tags: ['billing'] }, 'shape:billing'),
	note('shape:dark', 1000, 100, 'Dark mode', { kind: 'idea' }, 'page:main'),
]

const vote = (id: string, items: { itemId: string; count: number; rank: number }[]): ClosedVotingInput => ({
	id,
	title: `Vote ${id}`,
	anonymous: true,
	closedAt: 1,
	results: { items, totalDots: items.reduce((sum, item) => sum + item.count, 0), voterCount: 2 },
})

describe('compareExports', () => {
	it('names what a workshop changed: added, removed, edited, moved between themes and lanes, RICE and votes', () => {
		const live = docOf(roadmap())
		const version = snapshotOf(live)
		const records = getRecordsMap(live)
		live.transact(() => {
			records.delete('shape:dark')
			records.set('shape:sso', recordToYMap(note('shape:sso', 100, 300, 'Single sign-on', { kind: 'feature' }, 'shape:onboarding') as PlainRecord))
			// The invoice feature moves from Billing (next) into Onboarding (now), and gets a tag.
			records.get('shape:invoice')!.set('parentId', 'shape:onboarding')
			;(records.get('shape:invoice')!.get('meta') as Y.Map<unknown>).set('tags', ['billing', 'q3'])
			const checklist = records.get('shape:checklist')!
			;(checklist.get('props') as Y.Map<unknown>).set('richText', plainTextToRichText('Onboarding checklist with video'))
			;(checklist.get('meta') as Y.Map<unknown>).set('rice', { reach: 100, impact: 2, confidence: 50, effort: 2 })
			;(records.get('shape:billing')!.get('meta') as Y.Map<unknown>).set('theme', theme('Payments').theme)
		})
		const comparison = compareExports(exportOf(version), exportOf(live, [vote('vote-1', [{ itemId: 'shape:checklist', count: 3, rank: 1 }])]))

		expect(comparison.added).toEqual([{ id: 'shape:sso', kind: 'feature', text: 'Single sign-on' }])
		expect(comparison.removed).toEqual([{ id: 'shape:dark', kind: 'idea', text: 'Dark mode' }])
		expect(comparison.edited).toEqual([
			{ item: expect.objectContaining({ id: 'shape:checklist' }), fields: ['text'], text: { from: 'Onboarding checklist', to: 'Onboarding checklist with video' } },
			{ item: expect.objectContaining({ id: 'shape:invoice' }), fields: ['tags'] },
		])
		expect(comparison.moved).toEqual([
			{
				item: expect.objectContaining({ id: 'shape:invoice' }),
				from: { themeId: 'shape:billing', themeTitle: 'Billing', lane: 'next' },
				to: { themeId: 'shape:onboarding', themeTitle: 'Onboarding', lane: 'now' },
			},
		])
		expect(comparison.rice).toEqual([{ item: expect.objectContaining({ id: 'shape:checklist' }), fields: ['confidence'], from: 80, to: 50 }])
		expect(comparison.votes).toEqual([{ item: expect.objectContaining({ id: 'shape:checklist' }), from: 0, to: 3 }])
		expect(comparison.themes).toEqual({ added: [], removed: [], renamed: [{ id: 'shape:billing', from: 'Billing', to: 'Payments' }] })
		expect(comparison.newVotingSessions).toEqual([{ id: 'vote-1', title: 'Vote vote-1' }])
		expect(comparison.summary).toEqual({ added: 1, removed: 1, edited: 2, moved: 1, rice: 1, votes: 1, unchanged: false })
	})

	it('a board compared with itself has no changes; long texts are cut for lists', () => {
		const long = 'word '.repeat(100)
		const doc = docOf([...roadmap(), note('shape:long', 0, 0, long, { kind: 'idea' })])
		expect(compareExports(exportOf(doc), exportOf(snapshotOf(doc))).summary.unchanged).toBe(true)
		const empty = docOf([page('page:main', 'a1')])
		const added = compareExports(exportOf(empty), exportOf(doc)).added.find((item) => item.id === 'shape:long')!
		expect(added.text.length).toBe(140)
		expect(added.text.endsWith('…')).toBe(true)
	})

	it('seeded random edits: added/removed match the id sets, and comparing backwards swaps them', () => {
		for (const seed of testSeeds(8)) {
			const random = seededRandom(seed)
			const live = docOf(roadmap())
			const records = getRecordsMap(live)
			let next = 0
			const parents = ['page:main', 'shape:onboarding', 'shape:billing']
			for (let i = 0; i < 15; i++) {
				records.set(`shape:n${next}`, recordToYMap(note(`shape:n${next++}`, random.int(500), random.int(500), `idea ${random.int(1000)}`, { kind: 'idea' }, random.pick(parents)) as PlainRecord))
			}
			const version = snapshotOf(live)
			for (let step = 0; step < 30; step++) {
				const notes = [...records.keys()].filter((id) => records.get(id)!.get('type') === 'note')
				const target = random.pick(notes)
				const roll = random.int(4)
				if (roll === 0) records.delete(target)
				else if (roll === 1) records.set(`shape:n${next}`, recordToYMap(note(`shape:n${next++}`, 10, 10, `new ${step}`, { kind: 'question' }, random.pick(parents)) as PlainRecord))
				else if (roll === 2) (records.get(target)!.get('props') as Y.Map<unknown>).set('richText', plainTextToRichText(`edited ${step}`))
				else records.get(target)!.set('parentId', random.pick(parents))
			}
			const before = exportOf(version)
			const after = exportOf(live)
			const forward = compareExports(before, after)
			const backward = compareExports(after, before)
			const ids = (items: { id: string }[]) => items.map((item) => item.id).sort()
			const beforeIds = new Set(before.items.map((item) => item.id))
			const afterIds = new Set(after.items.map((item) => item.id))
			expect(ids(forward.added), `seed ${seed}`).toEqual([...afterIds].filter((id) => !beforeIds.has(id)).sort())
			expect(ids(forward.removed), `seed ${seed}`).toEqual([...beforeIds].filter((id) => !afterIds.has(id)).sort())
			expect(ids(backward.added)).toEqual(ids(forward.removed))
			expect(ids(backward.removed)).toEqual(ids(forward.added))
			expect(ids(backward.moved.map((move) => move.item))).toEqual(ids(forward.moved.map((move) => move.item)))
			expect(ids(backward.edited.map((edit) => edit.item))).toEqual(ids(forward.edited.map((edit) => edit.item)))
			for (const move of forward.moved) expect(move.from.themeId !== move.to.themeId || move.from.lane !== move.to.lane).toBe(true)
		}
	})
})
