/** A comparison of two board states (shared/versions/compare.ts) as a readable list: one section per kind of change. */
import type { ReactNode } from 'react'
import { formatRiceScore, ITEM_KIND_INFO, LANE_LABELS } from '../../shared/items'
import type { BoardComparison, ComparedItem, PlaceRef } from '../../shared/versions'

function ItemLabel({ item }: { item: ComparedItem }) {
	return (
		<>
			<span className="wb-compare__kind">{ITEM_KIND_INFO[item.kind].label}</span> {item.text || <em className="muted">(empty)</em>}
		</>
	)
}

function place(ref: PlaceRef): string {
	const theme = ref.themeTitle ?? (ref.themeId ? 'a theme' : 'no theme')
	return ref.lane ? `${theme} (${LANE_LABELS[ref.lane]})` : theme
}

const score = (value: number | null) => (value === null ? 'incomplete' : formatRiceScore(value))

function Section({ title, count, testId, children }: { title: string; count: number; testId: string; children: ReactNode }) {
	if (count === 0) return null
	return (
		<section className="wb-compare__section" data-testid={testId}>
			<h4>
				{title} <span className="wb-compare__count">{count}</span>
			</h4>
			<ul>{children}</ul>
		</section>
	)
}

function ItemsSection({ title, items, testId }: { title: string; items: readonly ComparedItem[]; testId: string }) {
	return (
		<Section title={title} count={items.length} testId={testId}>
			{items.map((item) => (
				<li key={item.id}>
					<ItemLabel item={item} />
				</li>
			))}
		</Section>
	)
}

export function ComparisonList({ comparison }: { comparison: BoardComparison }) {
	const { summary } = comparison
	if (summary.unchanged) return <p className="muted" data-testid="compare-unchanged">No differences.</p>
	const themeChanges = comparison.themes.added.length + comparison.themes.removed.length + comparison.themes.renamed.length
	return (
		<div className="wb-compare" data-testid="compare-result">
			<ItemsSection title="Added" items={comparison.added} testId="compare-added" />
			<ItemsSection title="Removed" items={comparison.removed} testId="compare-removed" />
			<Section title="Edited" count={summary.edited} testId="compare-edited">
				{comparison.edited.map((edit) => (
					<li key={edit.item.id}>
						<ItemLabel item={edit.item} />
						<div className="muted">
							{edit.text ? (
								<>
									was “{edit.text.from.slice(0, 80)}”{edit.fields.length > 1 ? `; also ${edit.fields.filter((f) => f !== 'text').join(', ')}` : ''}
								</>
							) : (
								`changed: ${edit.fields.join(', ')}`
							)}
						</div>
					</li>
				))}
			</Section>
			<Section title="Moved" count={summary.moved} testId="compare-moved">
				{comparison.moved.map((move) => (
					<li key={move.item.id}>
						<ItemLabel item={move.item} />
						<div className="muted">
							{place(move.from)} → {place(move.to)}
						</div>
					</li>
				))}
			</Section>
			<Section title="RICE" count={summary.rice} testId="compare-rice">
				{comparison.rice.map((change) => (
					<li key={change.item.id}>
						<ItemLabel item={change.item} />
						<div className="muted">
							score {score(change.from)} → {score(change.to)}
							{change.fields.length > 0 ? ` (${change.fields.join(', ')})` : ''}
						</div>
					</li>
				))}
			</Section>
			<Section title="Votes" count={summary.votes} testId="compare-votes">
				{comparison.votes.map((change) => (
					<li key={change.item.id}>
						<ItemLabel item={change.item} />
						<div className="muted">
							{change.from} → {change.to} dots
						</div>
					</li>
				))}
			</Section>
			<Section title="Themes" count={themeChanges} testId="compare-themes">
				{comparison.themes.renamed.map((rename) => (
					<li key={rename.id}>
						renamed “{rename.from}” → “{rename.to}”
					</li>
				))}
				{comparison.themes.added.length > 0 && <li>{comparison.themes.added.length} added</li>}
				{comparison.themes.removed.length > 0 && <li>{comparison.themes.removed.length} removed</li>}
			</Section>
		</div>
	)
}
