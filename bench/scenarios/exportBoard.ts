/** Scenario 6 — export of a 10,000-item board to JSON, CSV and Markdown via shared/export. */
import { boardExportToCsv, boardExportToMarkdown, buildBoardExport } from '../../shared/export'
import { ITEM_KINDS } from '../../shared/items/kinds'
import { metric, type ScenarioResult } from '../lib/report'
import { noteRecord } from '../lib/records'
import { median, round, timeRuns } from '../lib/stats'

const ITEMS = 10_000
const THEMES = 20

/** A board of `items` typed stickies spread over theme frames inside now/next/later lanes. */
export function makeExportBoard(items: number): Map<string, Record<string, unknown>> {
	const records = new Map<string, Record<string, unknown>>()
	const put = (record: Record<string, unknown>) => records.set(record.id as string, record)
	put({ id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} })
	put({ id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} })
	const lanes = ['now', 'next', 'later'] as const
	lanes.forEach((lane, i) =>
		put({
			id: `shape:lane-${lane}`, typeName: 'shape', type: 'frame', x: i * 12_000, y: 0, rotation: 0, parentId: 'page:page', index: `a${i + 1}`,
			isLocked: false, opacity: 1, props: { w: 11_000, h: 40_000, name: lane, color: 'black' }, meta: { lane },
		}),
	)
	for (let t = 0; t < THEMES; t++) {
		put({
			id: `shape:theme-${t}`, typeName: 'shape', type: 'frame', x: (t % 3) * 12_000 + 500, y: Math.floor(t / 3) * 5_000 + 500, rotation: 0,
			parentId: 'page:page', index: `b${t}`, isLocked: false, opacity: 1, props: { w: 10_000, h: 4_500, name: `Theme ${t}`, color: 'black' },
			meta: { theme: { title: `Theme ${t}`, description: `What theme ${t} is about`, goal: { metric: 'weekly active teams', target: '+20%', northStar: t === 0 } } },
		})
	}
	for (let i = 0; i < items - THEMES; i++) {
		const t = i % THEMES
		const note = noteRecord(`shape:item-${i}`, (t % 3) * 12_000 + 600 + (i % 40) * 240, Math.floor(t / 3) * 5_000 + 600 + Math.floor(i / 800) * 240, `Item ${i}: a workshop idea with a sentence of text`, `c${i}`)
		note.meta = {
			kind: ITEM_KINDS[i % ITEM_KINDS.length],
			tags: ['bench', `t${i % 7}`],
			author: { id: `u${i % 50}`, name: `Person ${i % 50}` },
			createdAt: 1_700_000_000_000 + i,
			updatedAt: 1_700_000_000_000 + i * 2,
			rice: i % 3 === 0 ? { reach: 100 + i, impact: 2, confidence: 80, effort: 3 } : {},
		}
		put(note)
	}
	return records
}

export async function exportScenario({ quick }: { quick: boolean }): Promise<ScenarioResult> {
	const records = makeExportBoard(ITEMS)
	const runs = quick ? 5 : 11
	const input = { boardId: 'bench-export-board', title: 'Bench board', records, now: Date.UTC(2025, 0, 1) }
	let itemCount = 0
	let jsonBytes = 0
	const json = median(
		await timeRuns(runs, 2, () => {
			const data = buildBoardExport(input)
			itemCount = data.items.length
			jsonBytes = JSON.stringify(data).length
		}),
	)
	const built = buildBoardExport(input)
	const csv = median(await timeRuns(runs, 2, () => boardExportToCsv(built)))
	const markdown = median(await timeRuns(runs, 2, () => boardExportToMarkdown(built)))
	const buildOnly = median(await timeRuns(runs, 2, () => buildBoardExport(input)))
	return {
		id: '6 export',
		title: `Export of a ${ITEMS.toLocaleString('en-US')}-item board`,
		referenceLabel: '',
		metrics: [
			metric('JSON (build + stringify), median', 'ms', round(json), null, { text: '≤ 100 ms', met: json <= 100 }),
			metric('build export (no stringify), median', 'ms', round(buildOnly), null),
			metric('CSV from built export, median', 'ms', round(csv), null),
			metric('Markdown from built export, median', 'ms', round(markdown), null),
		],
		details: { items: itemCount, records: records.size, jsonBytes, runs },
		notes: [],
	}
}
