/**
 * KPIs measured over time (#13 item 5): the tolerant reader of `meta.kpi`,
 * target status and progress, the sparkline, the export's `kpis[]` (through a
 * Y.Doc written as protocol.md §6.5 says), the AddKpis migration (v5 → v6),
 * CSV and Markdown, and the export → import round trip of seeded random series.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addKpisAndEstimationRounds, BOARD_EXPORT_SCHEMA_VERSION, BoardExportSchema, boardExportToCsv, boardExportToMarkdown, boardExportToRecords, buildBoardExport, CSV_COLUMNS, migrateBoardExport, parseBoardImport, textSparkline } from '../../shared/export'
import type { RecordLike } from '../../shared/items/containment'
import { parseItemMeta } from '../../shared/items/itemMeta'
import { isCalendarDate, KPI_PRESETS, kpiDirection, KpiInputSchema, kpiStatus, readKpi, sparklinePoints, type KpiFields } from '../../shared/items/kpi'
import { getRecordsMap, readAllRecords, recordToYMap } from '../../shared/recordCodec'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'
import { normalizeExport } from '../helpers/normalizeExport'
import { arrow, counterIds, frame, note, page, theme } from './exportFixtures'
import { seededRandom, testSeeds } from './helpers/seededRandom'

const NOW = Date.UTC(2026, 11, 3, 9, 0, 0)
const fields = (over: Partial<KpiFields>): KpiFields => ({ metric: null, unit: null, baseline: null, target: null, direction: null, measurements: [], ...over })

describe('readKpi', () => {
	it('reads valid fields and sorts the series by date, keeping same-day order', () => {
		const issues: { path: string; message: string }[] = []
		const kpi = readKpi(
			{ metric: ' MRR ', unit: '€', baseline: 1000, target: 5000, measurements: [{ date: '2026-03-01', value: 3000 }, { date: '2026-01-01', value: 1000 }, { date: '2026-03-01', value: 3100 }] },
			issues,
		)
		expect(issues).toEqual([])
		expect(kpi).toEqual({ metric: 'MRR', unit: '€', baseline: 1000, target: 5000, direction: null, measurements: [{ date: '2026-01-01', value: 1000 }, { date: '2026-03-01', value: 3000 }, { date: '2026-03-01', value: 3100 }] })
	})

	it('reports and skips each malformed measurement and field, never throws', () => {
		const issues: { path: string; message: string }[] = []
		const kpi = readKpi(
			{
				metric: 42,
				unit: 'x'.repeat(201),
				baseline: Number.NaN,
				target: '10',
				direction: 'sideways',
				measurements: [{ date: '2026-02-30', value: 1 }, { date: '2026-01-05', value: Infinity }, 'junk', null, { date: '2026-01-06', value: 7 }, { date: '2026-1-7', value: 8 }, { value: 9 }],
			},
			issues,
		)
		expect(kpi).toEqual(fields({ measurements: [{ date: '2026-01-06', value: 7 }] }))
		expect(issues.map((i) => i.path)).toEqual(['kpi.metric', 'kpi.unit', 'kpi.baseline', 'kpi.target', 'kpi.direction', 'kpi.measurements.0', 'kpi.measurements.1', 'kpi.measurements.2', 'kpi.measurements.3', 'kpi.measurements.5', 'kpi.measurements.6'])
		const notArray: { path: string; message: string }[] = []
		expect(readKpi({ measurements: { date: '2026-01-01', value: 1 } }, notArray).measurements).toEqual([])
		expect(notArray).toEqual([{ path: 'kpi.measurements', message: 'measurements is not an array' }])
		const notObject: { path: string; message: string }[] = []
		expect(readKpi([1, 2], notObject)).toEqual(fields({}))
		expect(notObject[0].path).toBe('kpi')
	})

	it('agrees with the zod schema on what is valid', () => {
		const random = seededRandom(7)
		const values = [0, -3.5, 1e16, Number.NaN, '4', null, 12]
		const dates = ['2026-01-01', '2026-02-29', '2028-02-29', '26-01-01', 5]
		for (let i = 0; i < 300; i++) {
			const m = { date: random.pick(dates), value: random.pick(values) }
			const issues: { path: string; message: string }[] = []
			readKpi({ measurements: [m] }, issues)
			expect(issues.length === 0, JSON.stringify(m)).toBe(KpiInputSchema.safeParse({ measurements: [m] }).success)
		}
		expect(isCalendarDate('2028-02-29')).toBe(true)
		expect(isCalendarDate('2026-02-29')).toBe(false)
	})

	it('is part of parseItemMeta, with issues under kpi.*', () => {
		const parsed = parseItemMeta({ kind: 'kpi', kpi: { target: 10, measurements: [{ date: 'yesterday', value: 1 }] } })
		expect(parsed.meta.kpi).toEqual(fields({ target: 10 }))
		expect(parsed.issues.map((i) => i.path)).toEqual(['kpi.measurements.0'])
		expect(parseItemMeta({ kind: 'kpi' }).meta.kpi).toBeNull()
	})
})

describe('kpiStatus', () => {
	it('compares the latest value with the target in the KPI direction', () => {
		const series = [{ date: '2026-01-01', value: 1000 }, { date: '2026-02-01', value: 3000 }]
		expect(kpiStatus(fields({ baseline: 1000, target: 5000, measurements: series }))).toEqual({ latest: series[1], status: 'not-met', progress: 0.5 })
		expect(kpiStatus(fields({ baseline: 1000, target: 3000, measurements: series })).status).toBe('met')
		// Lower is better: churn from 8% to 4%.
		const churn = fields({ baseline: 8, target: 4, measurements: [{ date: '2026-01-01', value: 6 }] })
		expect(kpiDirection(churn)).toBe('decrease')
		expect(kpiStatus(churn)).toMatchObject({ status: 'not-met', progress: 0.5 })
		expect(kpiStatus({ ...churn, measurements: [{ date: '2026-01-01', value: 3 }] })).toMatchObject({ status: 'met', progress: 1 })
		// Worse than the baseline: progress clamps at 0.
		expect(kpiStatus(fields({ baseline: 10, target: 20, measurements: [{ date: '2026-01-01', value: 5 }] })).progress).toBe(0)
		expect(kpiStatus(fields({ target: 20 })).status).toBe('no-data')
		expect(kpiStatus(fields({ measurements: series })).status).toBe('no-target')
		expect(kpiStatus(fields({ target: 5000, measurements: series })).progress).toBeNull()
	})

	it('has the seed presets: MRR, session duration, sessions per user, NPS', () => {
		expect(KPI_PRESETS.map((p) => p.label)).toEqual(['MRR', 'Session duration', 'Sessions per user', 'NPS'])
	})
})

describe('sparklinePoints', () => {
	it('spaces points by date inside the box and keeps the target line in range', () => {
		const spark = sparklinePoints(fields({ target: 20, measurements: [{ date: '2026-01-01', value: 0 }, { date: '2026-01-03', value: 10 }, { date: '2026-01-11', value: 5 }] }), 100, 20)
		expect(spark.points).toEqual([{ x: 0, y: 20 }, { x: 20, y: 10 }, { x: 100, y: 15 }])
		expect(spark.targetY).toBe(0)
		expect(sparklinePoints(fields({ measurements: [{ date: '2026-01-01', value: 3 }] }), 100, 20).points).toEqual([{ x: 50, y: 10 }])
		expect(sparklinePoints(fields({}), 100, 20)).toEqual({ points: [], targetY: null })
		expect(textSparkline([1, 2, 3, 8])).toBe('▁▂▃█')
	})
})

/** A theme measured by a KPI with a series, a KPI without fields and a malformed one. */
function kpiBoard(): RecordLike[] {
	return [
		page('page:main', 'a1'),
		frame('shape:theme', 0, 0, 1000, 600, theme('Revenue', 'MRR', '€5k', true)),
		note('shape:mrr', 100, 100, 'MRR', {
			kind: 'kpi',
			kpi: { metric: 'Monthly recurring revenue', unit: '€', baseline: 1000, target: 5000, measurements: [{ date: '2026-02-01', value: 3000 }, { date: '2026-01-01', value: 1000 }, { date: 'bad', value: 1 }] },
		}, 'shape:theme'),
		note('shape:nps', 1200, 100, 'NPS', { kind: 'kpi' }),
		note('shape:broken', 1500, 100, 'Churn', { kind: 'kpi', kpi: { target: 'low', measurements: 'lots' } }),
		note('shape:idea', 1800, 100, 'Annual plans', { kind: 'idea', kpi: { target: 3 } }),
		...arrow('shape:m1', 'shape:mrr', 'shape:theme'),
	]
}

const exportOf = (records: RecordLike[]) => buildBoardExport({ boardId: 'kpi-board', title: 'KPIs', records, now: NOW })

describe('export kpis[]', () => {
	const data = exportOf(kpiBoard())

	it('has one entry per KPI item with its valid series, status, progress and what it measures', () => {
		expect(data.schemaVersion).toBe(BOARD_EXPORT_SCHEMA_VERSION)
		expect(data.kpis.map((k) => k.itemId)).toEqual(['shape:mrr', 'shape:nps', 'shape:broken'])
		expect(data.kpis[0]).toEqual({
			itemId: 'shape:mrr',
			metric: 'Monthly recurring revenue',
			unit: '€',
			baseline: 1000,
			target: 5000,
			direction: 'increase',
			measurements: [{ date: '2026-01-01', value: 1000 }, { date: '2026-02-01', value: 3000 }],
			latest: { date: '2026-02-01', value: 3000 },
			status: 'not-met',
			progress: 0.5,
			measures: ['shape:theme'],
		})
		expect(data.kpis[2]).toMatchObject({ target: null, measurements: [], status: 'no-data', measures: [] })
		const parsed = BoardExportSchema.safeParse(data)
		expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
		expectValidAgainstExportJsonSchema(data)
	})

	it('reads a board a plain Yjs client wrote as protocol.md §6.5 describes', () => {
		const doc = new Y.Doc()
		doc.transact(() => {
			for (const record of kpiBoard() as Record<string, unknown>[]) getRecordsMap(doc).set(record.id as string, recordToYMap(record as never))
		})
		// A third-party client appends a measurement: it replaces the whole meta.kpi value.
		const meta = getRecordsMap(doc).get('shape:nps')!.get('meta') as Y.Map<unknown>
		meta.set('kpi', { metric: 'Net Promoter Score', target: 40, measurements: [{ date: '2026-03-01', value: 42 }] })
		const fromDoc = exportOf([...readAllRecords(doc).values()] as RecordLike[])
		expect(fromDoc.kpis[1]).toMatchObject({ metric: 'Net Promoter Score', status: 'met', latest: { date: '2026-03-01', value: 42 } })
	})

	it('rejects entries for non-KPI items, duplicates, missing entries and wrong measures', () => {
		const bad = structuredClone(data)
		bad.kpis.push({ ...bad.kpis[1], itemId: 'shape:idea' }, { ...bad.kpis[1] })
		bad.kpis[0].measures = []
		bad.kpis.splice(2, 1)
		const result = BoardExportSchema.safeParse(bad)
		expect(result.success).toBe(false)
		const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
		expect(messages).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^kpis\.0\.measures: measures must list/u),
				expect.stringMatching(/^kpis\.2\.itemId: "shape:idea" is not a KPI item/u),
				expect.stringMatching(/^kpis\.3\.itemId: duplicate KPI/u),
				expect.stringMatching(/^items\.\d+\.kind: KPI item without a kpis entry/u),
			]),
		)
	})

	it('CSV appends the KPI columns at the end', () => {
		const kpiColumns = CSV_COLUMNS.indexOf('kpi_metric')
		expect(CSV_COLUMNS[kpiColumns + 8]).toBe('estimation')
		expect(CSV_COLUMNS.slice(kpiColumns, kpiColumns + 8)).toEqual(['kpi_metric', 'kpi_unit', 'kpi_baseline', 'kpi_target', 'kpi_direction', 'kpi_latest', 'kpi_status', 'kpi_measurements'])
		const lines = boardExportToCsv(data).trimEnd().split('\r\n')
		const mrr = lines.find((l) => l.startsWith('shape:mrr,'))!
		expect(mrr).toContain(',Monthly recurring revenue,€,1000,5000,increase,3000,not-met,2026-01-01 1000; 2026-02-01 3000,')
		// Not a KPI: its KPI cells and estimation are empty (this row has no quoted commas, so cells split plainly).
		const idea = lines.find((l) => l.startsWith('shape:idea,'))!.split(',')
		expect(idea.slice(kpiColumns, kpiColumns + 9)).toEqual(['', '', '', '', '', '', '', '', ''])
	})

	it('Markdown has a KPIs section with trend and target status', () => {
		const md = boardExportToMarkdown(data)
		expect(md).toContain('## KPIs\n\n- **Monthly recurring revenue** — latest 3,000 € (2026-02-01) · baseline 1,000 € · target ≥ 5,000 € — ❌ target not met (50% of the way)\n  Trend: ▁█ (2 measurements, 2026-01-01 → 2026-02-01)\n  Measures: theme Revenue\n')
		expect(md).toContain('- **NPS** — no measurements yet — no measurements\n')
		// The roadmap shows the theme's progress, as its frame does on the canvas.
		expect(md).toMatch(/- \*\*Revenue\*\* \(\d+ items?\)\n(?: {2}.*\n)* {2}KPIs: 0 of 1 met · 50% of the way\n/u)
		expect(boardExportToMarkdown(exportOf([page('page:main', 'a1')]))).not.toContain('## KPIs')
	})
})

describe('migration AddKpisAndEstimationRounds (v5 → v6)', () => {
	it('adds an empty entry per KPI item, with its measures relations, and nothing else', () => {
		const v6 = exportOf(kpiBoard())
		const { kpis: _dropped, estimationRounds: _none, ...rest } = v6
		const v5 = { ...rest, schemaVersion: 5 }
		const migrated = migrateBoardExport(v5)
		expect(migrated).toMatchObject({ ok: true, fromVersion: 5, applied: ['AddKpisAndEstimationRounds', 'AddStatusAndCd3'] })
		if (!migrated.ok) return
		expect(migrated.value.kpis).toEqual([
			{ itemId: 'shape:mrr', metric: null, unit: null, baseline: null, target: null, direction: 'increase', measurements: [], latest: null, status: 'no-data', progress: null, measures: ['shape:theme'] },
			{ itemId: 'shape:nps', metric: null, unit: null, baseline: null, target: null, direction: 'increase', measurements: [], latest: null, status: 'no-data', progress: null, measures: [] },
			{ itemId: 'shape:broken', metric: null, unit: null, baseline: null, target: null, direction: 'increase', measurements: [], latest: null, status: 'no-data', progress: null, measures: [] },
		])
		expect(migrated.value.estimationRounds).toEqual([])
		expect({ ...migrated.value, kpis: undefined, estimationRounds: undefined, schemaVersion: 5 }).toEqual({ ...v5, kpis: undefined, estimationRounds: undefined })
		expect(parseBoardImport(v5).ok).toBe(true)
		expect(addKpisAndEstimationRounds({ kpis: ['kept'], estimationRounds: ['kept too'] })).toEqual({ kpis: ['kept'], estimationRounds: ['kept too'] })
		expect(addKpisAndEstimationRounds({ items: 'garbage' })).toEqual({ items: 'garbage', kpis: [], estimationRounds: [] })
	})
})

describe('export → import round trip', () => {
	it('keeps seeded random KPI definitions and series', () => {
		let measured = 0
		for (const seed of testSeeds(20, 500)) {
			const random = seededRandom(seed)
			const records: RecordLike[] = [page('page:main', 'a1'), frame('shape:t', 0, 0, 3000, 3000, theme('T', 'm', 't', false))]
			for (let i = 0; i < 6; i++) {
				const series = Array.from({ length: random.int(6) }, () => ({ date: `2026-0${1 + random.int(9)}-1${random.int(10)}`, value: Math.round((random.next() - 0.3) * 1e5) / 100 }))
				const kpi: Record<string, unknown> = { measurements: series }
				if (random.chance(0.7)) kpi.baseline = random.int(100)
				if (random.chance(0.7)) kpi.target = random.int(200) - 50
				if (random.chance(0.3)) kpi.direction = random.pick(['increase', 'decrease'])
				if (random.chance(0.5)) kpi.metric = random.pick(KPI_PRESETS).metric
				if (random.chance(0.2)) series.push({ date: 'not a date', value: 1 })
				records.push(note(`shape:k${i}`, 100 + i * 300, 100, `KPI ${i}`, { kind: 'kpi', kpi }, random.chance(0.5) ? 'shape:t' : 'page:main'))
				if (random.chance(0.5)) records.push(...arrow(`shape:a${i}`, `shape:k${i}`, 'shape:t'))
			}
			const first = exportOf(records)
			measured += first.kpis.reduce((n, k) => n + k.measurements.length, 0)
			expect(BoardExportSchema.safeParse(first).success, `seed ${seed}`).toBe(true)
			const second = exportOf(boardExportToRecords(first, { newId: counterIds(`k${seed}-`) }))
			expect(normalizeExport(second), `seed ${seed}`).toEqual(normalizeExport(first))
		}
		expect(measured).toBeGreaterThan(0)
	})
})
