/**
 * The stakeholder roadmap page's content (shared/roadmap/): built from the
 * board export of an in-memory Y.Doc, and rebuilt from it after an edit, the
 * way the page does on each doc update.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addThread, readConversation, setThreadResolved } from '../../shared/comments'
import { buildBoardExport, type ClosedVotingInput } from '../../shared/export'
import type { RecordLike } from '../../shared/items/containment'
import { getRecordsMap, readAllRecords, recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { closedVotingFromExport } from '../../shared/roadmap/closedVoting'
import { roadmapFromExport, ROADMAP_TOP_FEATURES } from '../../shared/roadmap/roadmapView'
import { note, page } from './exportFixtures'
import { rice, roadmapBoard } from './roadmapFixtures'
import { seededRandom } from './helpers/seededRandom'

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0)
const ana = { key: 'AAAAAAAAAAAAAAAA', name: 'Ana' }
function docOf(records: readonly RecordLike[]): Y.Doc {
	const doc = new Y.Doc()
	const map = getRecordsMap(doc)
	doc.transact(() => {
		for (const record of records) map.set(record.id as string, recordToYMap(record as PlainRecord))
	})
	return doc
}

/** What the page does on each update: the export of the doc, then the view of that export. */
function viewOf(doc: Y.Doc, votingSessions: ClosedVotingInput[] = []) {
	const data = buildBoardExport({ boardId: 'board-r', title: 'Q3 roadmap', records: readAllRecords(doc), now: NOW, votingSessions, conversation: readConversation(doc) })
	return { data, view: roadmapFromExport(data) }
}

describe('roadmap page content', () => {
	it('shows the North Star, themes by lane with goals and KPIs, the MVP and the top features', () => {
		const doc = docOf(roadmapBoard())
		const { view } = viewOf(doc)
		expect(view.title).toBe('Q3 roadmap')
		expect(view.northStar).toEqual({ themeTitle: 'Activation', metric: 'weekly active teams', target: '+20% by Q3' })
		expect(view.lanes.map((l) => [l.lane, l.themes.map((t) => t.title)])).toEqual([
			['now', ['Activation']],
			['next', []],
			['later', ['Billing']],
		])
		const activation = view.lanes[0]!.themes[0]!
		expect(activation.goal).toEqual({ metric: 'weekly active teams', target: '+20% by Q3', northStar: true })
		// Its progress comes from the export's kpis[] (the measured series): halfway from 20 % to 40 %.
		expect(activation.kpis).toEqual([{ id: 'shape:kpiIn', text: 'Activation rate', linked: false, status: 'not-met', progress: '30 % · target ≥ 40 % · target not met · 50% of the way' }])
		expect(activation.items.map((i) => i.id)).toEqual(['shape:f1'])
		expect(view.lanes[2]!.themes[0]!.kpis).toEqual([{ id: 'shape:kpiOut', text: 'Invoice downloads', linked: true, status: 'no-data', progress: 'no measurements' }])
		expect(view.mvp.map((i) => i.text)).toEqual(['Onboarding checklist'])
		// Dark mode 5000·3·1/1 = 15000 > checklist 1000·2·0.8/4 = 400 > invoices 200·1·0.5/2 = 50.
		expect(view.topFeatures.map((i) => [i.rank, i.text, i.rice])).toEqual([
			[1, 'Dark mode', 15000],
			[2, 'Onboarding checklist', 400],
			[3, 'Invoices as PDF', 50],
		])
		expect(view.unestimated).toBe(1)
		expect(view.topFeatures[1]!.importance).toBe(0)
	})

	it('takes vote totals and open questions from the export, never from anything else', () => {
		const doc = docOf(roadmapBoard())
		const open = addThread(doc, 'shape:f1', ana, 'Who owns onboarding?', { now: NOW })
		const resolved = addThread(doc, 'shape:f2', ana, 'Typo', { now: NOW })
		setThreadResolved(doc, resolved, true, ana, { now: NOW })
		const { data: withVotes } = viewOf(doc, [
			{ id: 'v1', title: 'Dot vote', status: 'closed', anonymous: true, closedAt: NOW - 1000, results: { items: [{ itemId: 'shape:f1', count: 4, rank: 1 }], totalDots: 4, voterCount: 2 } },
			{ id: 'v2', title: 'Still open', status: 'open', anonymous: true, closedAt: null, results: { items: [{ itemId: 'shape:i1', count: 9, rank: 1 }], totalDots: 9, voterCount: 3 } },
		])
		// The page takes the server's closed sessions back from its export: same view as from the sessions.
		const roundTripped = closedVotingFromExport(JSON.parse(JSON.stringify(withVotes)))
		const { view } = viewOf(doc, roundTripped)
		expect(view).toEqual(roadmapFromExport(withVotes))
		expect(view.topFeatures.find((i) => i.id === 'shape:f1')!.votes).toBe(4)
		expect(view.topFeatures.find((i) => i.id === 'shape:i1')!.votes).toBe(0)
		expect(view.votingSessions).toEqual([{ id: 'v1', title: 'Dot vote', closedAt: new Date(NOW - 1000).toISOString(), voterCount: 2 }])
		expect(view.openQuestions.map((q) => [q.targetId, q.comments.map((c) => c.threadId)])).toEqual([['shape:f1', [open]]])
	})

	it('follows edits of the doc (the page rebuilds on each update)', () => {
		const doc = docOf(roadmapBoard())
		expect(viewOf(doc).view.lanes[0]!.themes[0]!.items.map((i) => i.text)).toEqual(['Onboarding checklist'])
		const records = getRecordsMap(doc)
		records.set('shape:new', recordToYMap(note('shape:new', 40, 400, 'Guided tour', { kind: 'feature', rice: rice(100000, 3, 100, 1) }, 'shape:activation') as PlainRecord))
		const { view } = viewOf(doc)
		expect(view.lanes[0]!.themes[0]!.items.map((i) => i.text)).toEqual(['Onboarding checklist', 'Guided tour'])
		expect(view.topFeatures[0]!.text).toBe('Guided tour')
		records.delete('shape:activation')
		expect(viewOf(doc).view.northStar).toBeNull()
	})

	it('leaves discarded ideas out of the top features', () => {
		const doc = docOf(roadmapBoard())
		// As a stock client does it: one key of the note's nested meta map.
		const meta = getRecordsMap(doc).get('shape:i1')!.get('meta')
		expect(meta).toBeInstanceOf(Y.Map)
		;(meta as Y.Map<unknown>).set('status', 'discarded')
		expect(viewOf(doc).view.topFeatures.map((i) => i.text)).toEqual(['Onboarding checklist', 'Invoices as PDF'])
	})

	it('lists at most ROADMAP_TOP_FEATURES ranked features, best first, on a random board', () => {
		const random = seededRandom(13)
		const records: RecordLike[] = [page('page:main', 'a1')]
		for (let i = 0; i < 40; i++) {
			records.push(note(`shape:r${i}`, i * 250, 0, `Feature ${i}`, { kind: random.next() < 0.5 ? 'feature' : 'idea', rice: rice(1 + random.int(1000), 1, 1 + random.int(100), 1 + random.int(10)) }))
		}
		const { view } = viewOf(docOf(records))
		expect(view.topFeatures).toHaveLength(ROADMAP_TOP_FEATURES)
		const scores = view.topFeatures.map((i) => i.rice!)
		expect([...scores].sort((a, b) => b - a)).toEqual(scores)
		expect(view.topFeatures.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
	})

	it('gives no voting sessions for a malformed export response', () => {
		expect(closedVotingFromExport(null)).toEqual([])
		expect(closedVotingFromExport({ votingSessions: [{ id: 1 }] })).toEqual([])
		expect(closedVotingFromExport('<html>')).toEqual([])
	})
})
