/**
 * Item lifecycle and CD3 (issue #13 item 10): the meta keys written by a
 * stock Yjs client into an in-memory Y.Doc, read without trust (malformed →
 * reported and skipped), exported (version 7), migrated from older files
 * (AddStatusAndCd3), imported back, filtered by `status:` and ranked by CD3.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
	addStatusAndCd3,
	BOARD_EXPORT_SCHEMA_VERSION,
	BoardExportMigrationIds,
	BoardExportSchema,
	boardExportToRecords,
	buildBoardExport,
	migrateBoardExport,
	parseBoardImport,
} from '../../shared/export'
import type { MetaIssue } from '../../shared/items/itemMeta'
import { computeCd3, ITEM_STATUSES, rankByCd3, readLifecycle, statusForWord } from '../../shared/items/lifecycle'
import { getRecordsMap, readAllRecords, recordToYMap, type PlainRecord } from '../../shared/recordCodec'
import { BoardSearchIndex } from '../../shared/search/boardSearch'
import { parseSearchQuery } from '../../shared/search/searchQuery'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'
import { counterIds, NO_LIFECYCLE, note, page } from './exportFixtures'
import { seededRandom } from './helpers/seededRandom'

/** A board written as a stock Yjs client would (docs/protocol.md): records map, note meta as a nested Y.Map. */
function stockClientDoc(): Y.Doc {
	const doc = new Y.Doc()
	const records = getRecordsMap(doc)
	doc.transact(() => {
		records.set('page:main', recordToYMap(page('page:main', 'a1') as PlainRecord))
		for (const [id, text, meta] of [
			['shape:a', 'Dark mode', { kind: 'idea', status: 'discarded', statusReason: 'Nobody asked twice', cd3: { costOfDelay: 100, duration: 4 } }],
			['shape:b', 'SSO', { kind: 'feature', status: 'accepted', cd3: { costOfDelay: 900, duration: 3 } }],
			['shape:c', 'Widgets', { kind: 'idea', status: 'parked', statusReason: 'After Q3', cd3: { costOfDelay: 50 } }],
			['shape:d', 'Plain', { kind: 'idea' }],
			['shape:bad', 'Hostile', { kind: 'idea', status: 'maybe', statusReason: 42, cd3: { costOfDelay: -1, duration: 'soon' } }],
		] as const) {
			records.set(id, recordToYMap(note(id, 0, 0, text, meta) as PlainRecord))
		}
	})
	return doc
}

const exportOf = (doc: Y.Doc) => buildBoardExport({ boardId: 'b', title: 'Lifecycle', records: readAllRecords(doc), now: 0 })

describe('item status and CD3', () => {
	it('reads what a stock client wrote; malformed values are reported and skipped', () => {
		const records = readAllRecords(stockClientDoc())
		expect(readLifecycle(records.get('shape:a')!.meta)).toEqual({ status: 'discarded', statusReason: 'Nobody asked twice', cd3: { costOfDelay: 100, duration: 4 } })
		const issues: MetaIssue[] = []
		expect(readLifecycle(records.get('shape:bad')!.meta, issues)).toEqual({ status: 'new', statusReason: null, cd3: {} })
		expect(issues.map((i) => i.path)).toEqual(['status', 'statusReason', 'cd3.costOfDelay', 'cd3.duration'])
		expect(readLifecycle({ cd3: [1, 2] }, issues).cd3).toEqual({})
		expect(readLifecycle(null)).toEqual({ status: 'new', statusReason: null, cd3: {} })
		expect(computeCd3({ costOfDelay: 900, duration: 3 })).toEqual({ status: 'complete', costOfDelay: 900, duration: 3, score: 300 })
		expect(computeCd3({ costOfDelay: 50 })).toEqual({ status: 'incomplete', costOfDelay: 50, duration: null, score: null })
	})

	it('exports status, reason and CD3 (version 7), valid against the schema and the JSON Schema', () => {
		const data = exportOf(stockClientDoc())
		expect(data.schemaVersion).toBe(7)
		expect(BOARD_EXPORT_SCHEMA_VERSION).toBe(7)
		expect(BoardExportSchema.safeParse(data).success).toBe(true)
		expectValidAgainstExportJsonSchema(data)
		const byId = new Map(data.items.map((item) => [item.id, item]))
		expect(byId.get('shape:a')).toMatchObject({ status: 'discarded', statusReason: 'Nobody asked twice', cd3: { costOfDelay: 100, duration: 4, score: 25, status: 'complete' } })
		expect(byId.get('shape:c')).toMatchObject({ status: 'parked', statusReason: 'After Q3', cd3: { costOfDelay: 50, duration: null, score: null, status: 'incomplete' } })
		expect(byId.get('shape:bad')).toMatchObject(NO_LIFECYCLE)
	})

	it('survives export → import → export', () => {
		const first = exportOf(stockClientDoc())
		const records = boardExportToRecords(first, { newId: counterIds('r') })
		const again = buildBoardExport({ boardId: 'b', title: 'Lifecycle', records: new Map(records.map((r) => [r.id as string, r])), now: 0 })
		expect(again.items.map((i) => [i.text, i.status, i.statusReason, i.cd3])).toEqual(first.items.map((i) => [i.text, i.status, i.statusReason, i.cd3]))
	})

	it('migration AddStatusAndCd3 (v6 → v7) adds only its three fields, keeps what is there', () => {
		const v6 = { schemaVersion: 6, items: [{ id: 'x', kind: 'idea', kpi: { kept: true } }, { id: 'y', status: 'accepted' }, 'junk'], other: 1 }
		expect(addStatusAndCd3(structuredClone(v6))).toEqual({
			schemaVersion: 6,
			other: 1,
			items: [{ id: 'x', kind: 'idea', kpi: { kept: true }, ...NO_LIFECYCLE }, { id: 'y', ...NO_LIFECYCLE, status: 'accepted' }, 'junk'],
		})
		const migrated = migrateBoardExport(v6)
		expect(migrated).toMatchObject({ ok: true, fromVersion: 6, applied: [BoardExportMigrationIds.AddStatusAndCd3] })
		// A version-5 export imports with every item new and without CD3.
		const v5 = { ...exportOf(stockClientDoc()), schemaVersion: 5 } as Record<string, unknown>
		v5.items = (v5.items as Record<string, unknown>[]).map(({ status: _s, statusReason: _r, cd3: _c, ...rest }) => rest)
		const imported = parseBoardImport(v5)
		expect(imported.ok && imported.data.items.every((i) => i.status === 'new' && i.cd3.status === 'incomplete')).toBe(true)
		expect(imported.ok && imported.migrations).toEqual(['AddKpisAndEstimationRounds', 'AddStatusAndCd3'])
	})

	it('search filters by status: (ids, prefixes, lists); unknown statuses are reported', () => {
		const index = new BoardSearchIndex([...readAllRecords(stockClientDoc()).values()] as never)
		const ids = (q: string) => index.search(parseSearchQuery(q)).hits.map((h) => h.entry.id).sort()
		expect(ids('status:discarded')).toEqual(['shape:a'])
		expect(ids('status:park,acc')).toEqual(['shape:b', 'shape:c'])
		expect(ids('status:new')).toEqual(['shape:bad', 'shape:d'])
		expect(ids('status:new plain')).toEqual(['shape:d'])
		expect(parseSearchQuery('status:later').unknownStatuses).toEqual(['later'])
		expect(ids('status:later')).toEqual([])
		for (const status of ITEM_STATUSES) expect(statusForWord(status.slice(0, 3))).toBe(status)
	})

	it('ranks by CD3: complete scores highest first, then the incomplete in their order (random inputs)', () => {
		const random = seededRandom(10)
		for (let round = 0; round < 50; round++) {
			const inputs = Array.from({ length: 12 }, (_, i) => ({ i, cd3: random.chance(0.3) ? {} : { costOfDelay: 1 + random.int(1000), duration: 1 + random.int(20) } }))
			const ranked = rankByCd3(inputs, (x) => computeCd3(x.cd3))
			const scores = ranked.filter((r) => r.cd3.score !== null).map((r) => r.cd3.score!)
			expect([...scores].sort((a, b) => b - a)).toEqual(scores)
			const incomplete = ranked.filter((r) => r.cd3.score === null).map((r) => r.item.i)
			expect(ranked.slice(scores.length).map((r) => r.item.i)).toEqual(incomplete)
			expect(incomplete).toEqual([...incomplete].sort((a, b) => a - b))
		}
	})
})

describe('CSV of status and CD3 (version 7)', () => {
	it('appends status, reason and the CD3 columns', async () => {
		const { boardExportToCsv, CSV_COLUMNS } = await import('../../shared/export')
		const csv = boardExportToCsv(exportOf(stockClientDoc()))
		const [header, ...rows] = csv.trim().split('\r\n')
		expect(header!.split(',').slice(-5)).toEqual(['status', 'status_reason', 'cd3_cost_of_delay', 'cd3_duration', 'cd3_score'])
		expect(CSV_COLUMNS.slice(-5)).toEqual(['status', 'status_reason', 'cd3_cost_of_delay', 'cd3_duration', 'cd3_score'])
		const dark = rows.find((r) => r.includes('Dark mode'))!
		expect(dark.endsWith(',discarded,Nobody asked twice,100,4,25')).toBe(true)
		const widgets = rows.find((r) => r.includes('Widgets'))!
		expect(widgets.endsWith(',parked,After Q3,50,,')).toBe(true)
	})
})
