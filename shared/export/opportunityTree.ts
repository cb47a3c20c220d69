/**
 * The opportunity solution tree of a board export (template `ost`, but any
 * board's links count): outcomes (KPI stickies) → the opportunities linked to
 * them (problem or JTBD stickies, an arrow either way) → the solutions that
 * `solves` each (ideas, features) → the experiments that `tests` each. Built
 * from `relations` only, so the JSON export already holds the tree; this
 * reads it for the Markdown summary. Opportunities with solutions but no
 * outcome yet hang under a null outcome, so nothing linked goes missing.
 */
import type { ItemKind } from '../items/kinds'
import type { ExportItem, ExportRelation } from './schema'

export interface OstSolution {
	id: string
	experimentIds: string[]
}
export interface OstOpportunity {
	id: string
	solutions: OstSolution[]
}
export interface OstOutcome {
	/** null: opportunities not linked to an outcome yet. */
	id: string | null
	opportunities: OstOpportunity[]
}

const OUTCOME_KINDS: readonly ItemKind[] = ['kpi']
const OPPORTUNITY_KINDS: readonly ItemKind[] = ['problem', 'jtbd']

export function opportunityTree(data: { items: readonly ExportItem[]; relations: readonly ExportRelation[] }): OstOutcome[] {
	const kindOf = new Map(data.items.map((item) => [item.id, item.kind]))
	const order = new Map(data.items.map((item, i) => [item.id, i]))
	/** Ids without repeats in reading order (the export's item order), as the stickies sit on the board. */
	const unique = (ids: readonly string[]) => [...new Set(ids)].filter((id) => order.has(id)).sort((a, b) => order.get(a)! - order.get(b)!)
	const is = (id: string, kinds: readonly ItemKind[]) => {
		const kind = kindOf.get(id)
		return kind !== undefined && kinds.includes(kind)
	}
	const solutionsOf = new Map<string, string[]>()
	const experimentsOf = new Map<string, string[]>()
	const opportunitiesOf = new Map<string, string[]>()
	const push = (map: Map<string, string[]>, key: string, value: string) => {
		const list = map.get(key)
		if (list) list.push(value)
		else map.set(key, [value])
	}
	for (const r of data.relations) {
		if (r.type === 'solves' && is(r.to, OPPORTUNITY_KINDS)) push(solutionsOf, r.to, r.from)
		else if (r.type === 'tests') push(experimentsOf, r.to, r.from)
		else if (is(r.from, OPPORTUNITY_KINDS) && is(r.to, OUTCOME_KINDS)) push(opportunitiesOf, r.to, r.from)
		else if (is(r.to, OPPORTUNITY_KINDS) && is(r.from, OUTCOME_KINDS)) push(opportunitiesOf, r.from, r.to)
	}
	const opportunity = (id: string): OstOpportunity => ({
		id,
		solutions: unique(solutionsOf.get(id) ?? []).map((solution) => ({ id: solution, experimentIds: unique(experimentsOf.get(solution) ?? []) })),
	})
	// Outcomes and orphans in export (reading) order.
	const outcomes: OstOutcome[] = data.items
		.filter((item) => OUTCOME_KINDS.includes(item.kind) && opportunitiesOf.has(item.id))
		.map((item) => ({ id: item.id, opportunities: unique(opportunitiesOf.get(item.id)!).map(opportunity) }))
	const rooted = new Set([...opportunitiesOf.values()].flat())
	const orphans = data.items.filter((item) => OPPORTUNITY_KINDS.includes(item.kind) && !rooted.has(item.id) && solutionsOf.has(item.id)).map((item) => opportunity(item.id))
	if (orphans.length > 0) outcomes.push({ id: null, opportunities: orphans })
	return outcomes
}
