/** A board for the roadmap page's tests (unit and e2e): themes in lanes, a North Star, the MVP, RICE, KPIs. */
import type { RecordLike } from '../../shared/items/containment'
import { arrow, frame, note, page, theme } from './exportFixtures'

export const rice = (reach: number, impact: number, confidence: number, effort: number) => ({ reach, impact, confidence, effort })

/** Child positions are relative to their frame, as in tldraw. */
export function roadmapBoard(): RecordLike[] {
	return [
		page('page:main', 'a1'),
		frame('shape:now', 0, 0, 1000, 1000, { lane: 'now' }),
		frame('shape:activation', 20, 60, 900, 900, theme('Activation', 'weekly active teams', '+20% by Q3', true), 'shape:now'),
		note('shape:f1', 40, 100, 'Onboarding checklist', { kind: 'feature', mvp: true, rice: rice(1000, 2, 80, 4) }, 'shape:activation'),
		note('shape:kpiIn', 300, 100, 'Activation rate', { kind: 'kpi', kpi: { unit: '%', baseline: 20, target: 40, measurements: [{ date: '2026-10-01', value: 20 }, { date: '2026-11-01', value: 30 }] } }, 'shape:activation'),
		frame('shape:later', 2000, 0, 1000, 1000, { lane: 'later' }),
		frame('shape:billing', 20, 60, 900, 900, theme('Billing'), 'shape:later'),
		note('shape:f2', 40, 100, 'Invoices as PDF', { kind: 'feature', rice: rice(200, 1, 50, 2) }, 'shape:billing'),
		note('shape:i1', 4000, 100, 'Dark mode', { kind: 'idea', rice: rice(5000, 3, 100, 1) }),
		note('shape:i2', 4300, 100, 'Not estimated', { kind: 'idea', rice: { reach: 10 } }),
		note('shape:kpiOut', 4600, 100, 'Invoice downloads', { kind: 'kpi' }),
		note('shape:q', 4900, 100, 'A question sticky', { kind: 'question' }),
		...arrow('shape:a1', 'shape:kpiOut', 'shape:billing'),
	]
}

