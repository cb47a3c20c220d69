import { describe, expect, it } from 'vitest'
import { suggestClusters, type ClusterInput } from '../../shared/items/cluster'
import { stem, tokenize } from '../../shared/text/terms'

/** 21 stickies: 7 about onboarding, 7 about pricing, 6 about performance, 1 unrelated. */
const CORPUS: ClusterInput[] = [
	{ id: 'o1', text: 'New users get lost during onboarding' },
	{ id: 'p1', text: 'Pricing plans are confusing' },
	{ id: 'f1', text: 'Dashboard loads slowly on large boards' },
	{ id: 'o2', text: 'Onboarding checklist for new users' },
	{ id: 'p2', text: 'Too expensive for small teams — pricing tiers' },
	{ id: 'f2', text: 'Slow search performance with many items' },
	{ id: 'o3', text: 'Interactive onboarding tutorial on first login' },
	{ id: 'p3', text: 'Annual pricing discount' },
	{ id: 'f3', text: 'Improve performance of page load time' },
	{ id: 'o4', text: 'Users skip the onboarding tour' },
	{ id: 'p4', text: 'Free tier pricing limits unclear' },
	{ id: 'f4', text: 'App feels slow when loading big files' },
	{ id: 'o5', text: 'Welcome email onboarding sequence for new users' },
	{ id: 'p5', text: 'Per-seat pricing is too expensive' },
	{ id: 'f5', text: 'Performance regression: slow rendering' },
	{ id: 'o6', text: 'Onboarding: sample project for new users' },
	{ id: 'p6', text: 'Compare our pricing tiers with competitors' },
	{ id: 'f6', text: 'Loading spinner shows for 10 seconds, too slow' },
	{ id: 'o7', text: 'Guided tour during onboarding' },
	{ id: 'p7', text: 'Discount pricing for nonprofits' },
	{ id: 'x1', text: 'Team offsite in March' },
]

describe('suggestClusters', () => {
	it('finds the onboarding, pricing and performance clusters of a fixed corpus', () => {
		const result = suggestClusters(CORPUS)
		const groups = result.clusters.map((c) => [...c.itemIds].sort())
		expect(groups).toHaveLength(3)
		expect(groups).toContainEqual(['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7'])
		expect(groups).toContainEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'])
		expect(groups).toContainEqual(['f1', 'f2', 'f3', 'f4', 'f5', 'f6'])
		expect(result.unclustered).toEqual(['x1'])
		const titles = result.clusters.map((c) => c.title.toLowerCase())
		expect(titles.some((t) => t.startsWith('onboarding'))).toBe(true)
		expect(titles.some((t) => t.startsWith('pricing'))).toBe(true)
		expect(titles.some((t) => t.startsWith('slow') || t.startsWith('performance') || t.startsWith('load'))).toBe(true)
	})

	it('is deterministic and independent of nothing but input', () => {
		expect(suggestClusters(CORPUS)).toEqual(suggestClusters(CORPUS))
	})

	it('orders clusters by size and members by input order', () => {
		const result = suggestClusters(CORPUS)
		const sizes = result.clusters.map((c) => c.itemIds.length)
		expect(sizes).toEqual([...sizes].sort((a, b) => b - a))
		for (const cluster of result.clusters) {
			const positions = cluster.itemIds.map((id) => CORPUS.findIndex((item) => item.id === id))
			expect(positions).toEqual([...positions].sort((a, b) => a - b))
			expect(cluster.cohesion).toBeGreaterThan(0)
			expect(cluster.cohesion).toBeLessThanOrEqual(1)
		}
	})

	it('leaves unrelated and empty items unclustered', () => {
		const result = suggestClusters([
			{ id: 'a', text: 'Quarterly budget review' },
			{ id: 'b', text: 'Dark mode' },
			{ id: 'c', text: '' },
			{ id: 'd', text: 'the and of' },
		])
		expect(result.clusters).toEqual([])
		expect(result.unclustered).toEqual(['a', 'b', 'c', 'd'])
	})

	it('handles empty input and a single item', () => {
		expect(suggestClusters([])).toEqual({ clusters: [], unclustered: [] })
		expect(suggestClusters([{ id: 'a', text: 'pricing' }])).toEqual({ clusters: [], unclustered: ['a'] })
	})

	it('a higher threshold splits more', () => {
		const loose = suggestClusters(CORPUS, { threshold: 0.05 })
		const strict = suggestClusters(CORPUS, { threshold: 0.6 })
		const clustered = (r: typeof loose) => r.clusters.reduce((n, c) => n + c.itemIds.length, 0)
		expect(clustered(strict)).toBeLessThan(clustered(loose))
	})

	it('respects minClusterSize', () => {
		const result = suggestClusters(CORPUS, { minClusterSize: 7 })
		expect(result.clusters.every((c) => c.itemIds.length >= 7)).toBe(true)
		expect(result.unclustered).toContain('f1')
	})

	it('clusters 400 stickies (speed is a benchmark concern, not asserted here)', () => {
		const items = Array.from({ length: 400 }, (_, i) => ({ id: `n${i}`, text: `${CORPUS[i % CORPUS.length].text} ${i}` }))
		const result = suggestClusters(items)
		expect(result.clusters.length).toBeGreaterThanOrEqual(3)
	})
})

describe('terms', () => {
	it.each([
		['pricing', 'pric'],
		['prices', 'pric'],
		['priced', 'pric'],
		['onboarding', 'onboard'],
		['users', 'user'],
		['companies', 'compani'],
		['running', 'run'],
		['loads', 'load'],
		['class', 'class'],
		['bus', 'bus'],
		['slowly', 'slow'],
	])('stem(%s) = %s', (word, expected) => {
		expect(stem(word)).toBe(expected)
	})

	it('drops stop words, numbers and punctuation; keeps surface words', () => {
		expect(tokenize("The user's 10 new Pricing-tiers, aren't they?")).toEqual([
			{ term: 'user', word: 'user' },
			{ term: 'new', word: 'new' },
			{ term: 'pric', word: 'pricing' },
			{ term: 'tier', word: 'tiers' },
		])
	})
})
