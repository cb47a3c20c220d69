/**
 * "Suggest themes": groups stickies by text similarity, computed in the app
 * with no model download.
 *
 * 1. Terms: shared/text/terms.ts (stop words, light stemming).
 * 2. TF-IDF vectors: weight = (1 + ln tf) · (ln((1 + N) / (1 + df)) + 1), L2-normalised.
 * 3. Cosine similarity between all pairs (sparse dot products).
 * 4. Average-linkage agglomerative clustering: repeatedly merge the two most
 *    similar clusters while their average similarity is ≥ `threshold`.
 *    Ties break towards the earlier input items, so the result depends only on
 *    the input order and text.
 * 5. Clusters with at least `minClusterSize` items become suggestions, titled
 *    by their top terms; every other item stays unclustered.
 *
 * Cost is O(n²) similarities plus merges with cached best partners — meant for
 * the few hundred stickies of a workshop, not for 10,000-item boards (callers
 * should pass at most `MAX_CLUSTER_INPUT` items).
 */
import { tokenize } from '../text/terms'

export interface ClusterInput {
	id: string
	text: string
}

export interface SuggestedCluster {
	/** Suggested theme title, e.g. "Onboarding · signup · tutorial". */
	title: string
	/** Top stemmed terms, most characteristic first. */
	terms: string[]
	/** Member ids in input order. */
	itemIds: string[]
	/** Mean pairwise cosine similarity of the members (0..1). */
	cohesion: number
}

export interface ClusterResult {
	/** Largest first; equal sizes by their first member's input position. */
	clusters: SuggestedCluster[]
	/** Ids of items in no suggested cluster, in input order. */
	unclustered: string[]
}

export interface ClusterOptions {
	/** Minimum average cosine similarity for a merge (0..1). Default 0.1. */
	threshold?: number
	/** Smallest cluster worth suggesting. Default 2. */
	minClusterSize?: number
	/** Number of terms in a title. Default 3. */
	titleTerms?: number
}

export const MAX_CLUSTER_INPUT = 2000
export const DEFAULT_CLUSTER_THRESHOLD = 0.1

type SparseVector = Map<string, number>

function buildVectors(items: readonly ClusterInput[]): { vectors: SparseVector[]; surface: Map<string, Map<string, number>> } {
	const termCounts: Map<string, number>[] = []
	const df = new Map<string, number>()
	const surface = new Map<string, Map<string, number>>()
	for (const item of items) {
		const counts = new Map<string, number>()
		for (const { term, word } of tokenize(item.text)) {
			counts.set(term, (counts.get(term) ?? 0) + 1)
			let words = surface.get(term)
			if (!words) surface.set(term, (words = new Map()))
			words.set(word, (words.get(word) ?? 0) + 1)
		}
		for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1)
		termCounts.push(counts)
	}
	const n = items.length
	const vectors = termCounts.map((counts) => {
		const vector: SparseVector = new Map()
		let norm = 0
		for (const [term, tf] of counts) {
			const weight = (1 + Math.log(tf)) * (Math.log((1 + n) / (1 + (df.get(term) ?? 0))) + 1)
			vector.set(term, weight)
			norm += weight * weight
		}
		norm = Math.sqrt(norm)
		if (norm > 0) for (const [term, weight] of vector) vector.set(term, weight / norm)
		return vector
	})
	return { vectors, surface }
}

function cosine(a: SparseVector, b: SparseVector): number {
	const [small, large] = a.size <= b.size ? [a, b] : [b, a]
	let dot = 0
	for (const [term, weight] of small) {
		const other = large.get(term)
		if (other !== undefined) dot += weight * other
	}
	return dot
}

function readableWord(words: Map<string, number> | undefined, term: string): string {
	if (!words) return term
	let best = term
	let bestCount = -1
	for (const [word, count] of words) {
		if (count > bestCount || (count === bestCount && (word.length < best.length || (word.length === best.length && word < best)))) {
			best = word
			bestCount = count
		}
	}
	return best
}

/** Suggests clusters of similar stickies. Deterministic for a given input. */
export function suggestClusters(items: readonly ClusterInput[], options: ClusterOptions = {}): ClusterResult {
	const threshold = options.threshold ?? DEFAULT_CLUSTER_THRESHOLD
	const minSize = Math.max(2, options.minClusterSize ?? 2)
	const titleTerms = Math.max(1, options.titleTerms ?? 3)
	const n = items.length
	const { vectors, surface } = buildVectors(items)

	// Pairwise similarity, flat n×n (symmetric). Becomes cluster-to-cluster average similarity.
	const sim = new Float64Array(n * n)
	for (let i = 0; i < n; i++) {
		for (let j = i + 1; j < n; j++) {
			const s = vectors[i].size && vectors[j].size ? cosine(vectors[i], vectors[j]) : 0
			sim[i * n + j] = s
			sim[j * n + i] = s
		}
	}

	const active = new Uint8Array(n).fill(1)
	const size = new Int32Array(n).fill(1)
	const members: number[][] = Array.from({ length: n }, (_, i) => [i])
	const best = new Int32Array(n).fill(-1)
	const findBest = (i: number) => {
		let b = -1
		let bs = -Infinity
		for (let k = 0; k < n; k++) {
			if (k === i || !active[k]) continue
			const s = sim[i * n + k]
			if (s > bs) {
				bs = s
				b = k
			}
		}
		best[i] = b
	}
	for (let i = 0; i < n; i++) findBest(i)

	for (;;) {
		let bi = -1
		let bestSim = -Infinity
		for (let i = 0; i < n; i++) {
			if (!active[i] || best[i] < 0) continue
			const s = sim[i * n + best[i]]
			if (s > bestSim) {
				bestSim = s
				bi = i
			}
		}
		if (bi < 0 || bestSim < threshold || bestSim <= 0) break
		const i = Math.min(bi, best[bi])
		const j = Math.max(bi, best[bi])
		// Lance–Williams update for average linkage.
		for (let k = 0; k < n; k++) {
			if (!active[k] || k === i || k === j) continue
			const s = (size[i] * sim[i * n + k] + size[j] * sim[j * n + k]) / (size[i] + size[j])
			sim[i * n + k] = s
			sim[k * n + i] = s
		}
		size[i] += size[j]
		members[i].push(...members[j])
		members[j] = []
		active[j] = 0
		for (let k = 0; k < n; k++) {
			if (active[k] && (k === i || best[k] === i || best[k] === j)) findBest(k)
		}
	}

	const clusters: (SuggestedCluster & { first: number })[] = []
	const unclustered = new Set<number>()
	for (let i = 0; i < n; i++) {
		if (!active[i]) continue
		const group = members[i].sort((a, b) => a - b)
		if (group.length < minSize) {
			for (const m of group) unclustered.add(m)
			continue
		}
		const weights = new Map<string, { sum: number; docs: number }>()
		for (const m of group) {
			for (const [term, weight] of vectors[m]) {
				const entry = weights.get(term) ?? { sum: 0, docs: 0 }
				entry.sum += weight
				entry.docs += 1
				weights.set(term, entry)
			}
		}
		const terms = [...weights.entries()]
			.map(([term, { sum, docs }]) => ({ term, score: sum * (docs / group.length) }))
			.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
			.slice(0, titleTerms)
			.map((t) => t.term)
		const words = terms.map((term) => readableWord(surface.get(term), term))
		const title = words.map((w, k) => (k === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' · ')
		let total = 0
		let pairs = 0
		for (let a = 0; a < group.length; a++) {
			for (let b = a + 1; b < group.length; b++) {
				total += cosine(vectors[group[a]], vectors[group[b]])
				pairs++
			}
		}
		clusters.push({
			title,
			terms,
			itemIds: group.map((m) => items[m].id),
			cohesion: pairs ? total / pairs : 1,
			first: group[0],
		})
	}
	clusters.sort((a, b) => b.itemIds.length - a.itemIds.length || a.first - b.first)
	return {
		clusters: clusters.map(({ first: _first, ...cluster }) => cluster),
		unclustered: [...unclustered].sort((a, b) => a - b).map((m) => items[m].id),
	}
}

