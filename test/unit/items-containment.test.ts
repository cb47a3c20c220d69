import { describe, expect, it } from 'vitest'
import { computeContainment, defaultKindForParent, type RecordLike } from '../../shared/items/containment'

const page = (id: string, index = 'a1'): RecordLike => ({ id, typeName: 'page', name: id, index, meta: {} })

function frame(id: string, x: number, y: number, w: number, h: number, meta: Record<string, unknown> = {}, parentId = 'page:1', rotation = 0): RecordLike {
	return { id, typeName: 'shape', type: 'frame', x, y, rotation, parentId, index: 'a1', props: { w, h, name: id, color: 'black' }, meta }
}

function note(id: string, x: number, y: number, parentId = 'page:1', props: Record<string, unknown> = {}): RecordLike {
	return { id, typeName: 'shape', type: 'note', x, y, rotation: 0, parentId, index: 'a1', props: { scale: 1, growY: 0, ...props }, meta: { kind: 'idea' } }
}

const theme = (title: string) => ({ theme: { title, description: '', goal: { metric: '', target: '', northStar: false } } })

function placement(records: RecordLike[], noteId: string) {
	const result = computeContainment(records)
	const found = result.notes.find((n) => n.id === noteId)
	if (!found) throw new Error(`no note ${noteId}`)
	return found
}

describe('page-space geometry', () => {
	it('resolves x/y through nested parents', () => {
		const records = [page('page:1'), frame('shape:outer', 1000, 0, 800, 800), frame('shape:inner', 100, 100, 400, 400, {}, 'shape:outer'), note('shape:n', 10, 10, 'shape:inner')]
		const n = placement(records, 'shape:n')
		expect(n.origin).toEqual({ x: 1110, y: 110 })
		expect(n.center).toEqual({ x: 1210, y: 210 })
		expect(n.pageId).toBe('page:1')
		expect(n.ancestorIds).toEqual(['shape:inner', 'shape:outer'])
	})

	it('uses the real note size: 200 × (200 + growY), times scale', () => {
		const n = placement([page('page:1'), note('shape:n', 0, 0, 'page:1', { scale: 2, growY: 50 })], 'shape:n')
		expect([n.w, n.h]).toEqual([400, 500])
		expect(n.center).toEqual({ x: 200, y: 250 })
	})

	it('accounts for a rotated parent frame', () => {
		// Frame rotated 90°: local +x points down the page, local +y points left.
		const records = [page('page:1'), frame('shape:f', 0, 0, 400, 300, theme('T'), 'page:1', Math.PI / 2), note('shape:n', 100, 0, 'shape:f')]
		const n = placement(records, 'shape:n')
		expect(n.origin.x).toBeCloseTo(0, 9)
		expect(n.origin.y).toBeCloseTo(100, 9)
		expect(n.rotation).toBeCloseTo(Math.PI / 2, 9)
		// A page note whose centre falls inside the rotated frame's area (x ∈ [-300, 0], y ∈ [0, 400]).
		const m = placement([...records, note('shape:m', -250, 150)], 'shape:m')
		expect(m.themeId).toBe('shape:f')
		const outside = placement([...records, note('shape:o', 50, 150)], 'shape:o')
		expect(outside.themeId).toBeNull()
	})

	it('survives orphans and parent cycles', () => {
		const records = [
			page('page:1'),
			note('shape:orphan', 5, 5, 'shape:missing'),
			frame('shape:a', 0, 0, 100, 100, theme('A'), 'shape:b'),
			frame('shape:b', 0, 0, 100, 100, theme('B'), 'shape:a'),
			note('shape:c', 1, 1, 'shape:a'),
			{ id: 'shape:junk', typeName: 'shape', type: 'note', x: 'NaN', y: null, props: null, meta: 'x', parentId: 7 },
		]
		const result = computeContainment(records)
		expect(result.notes.find((n) => n.id === 'shape:orphan')?.pageId).toBe('shape:missing')
		expect(result.notes.find((n) => n.id === 'shape:c')?.themeId).not.toBeUndefined()
		expect(result.notes.find((n) => n.id === 'shape:junk')?.origin).toEqual({ x: 0, y: 0 })
	})

	it('orders pages by index', () => {
		const result = computeContainment([page('page:z', 'a1'), page('page:a', 'a2')])
		expect(result.pageOrder).toEqual(['page:z', 'page:a'])
	})
})

describe('theme membership', () => {
	const base = [page('page:1'), page('page:2', 'a2'), frame('shape:t', 0, 0, 1000, 600, theme('Activation'))]

	it('a note whose parent is the theme frame belongs to it, even when its centre is outside', () => {
		expect(placement([...base, note('shape:n', 950, 550, 'shape:t')], 'shape:n').themeId).toBe('shape:t')
	})

	it('a note on the page whose centre is inside the frame belongs to it', () => {
		expect(placement([...base, note('shape:n', 850, 450)], 'shape:n').themeId).toBe('shape:t')
	})

	it('a note overlapping the frame with its centre outside does not', () => {
		expect(placement([...base, note('shape:n', 950, 100)], 'shape:n').themeId).toBeNull()
	})

	it('a frame on another page never contains a note', () => {
		expect(placement([...base, note('shape:n', 100, 100, 'page:2')], 'shape:n').themeId).toBeNull()
	})

	it('a plain frame is not a theme', () => {
		const records = [page('page:1'), frame('shape:plain', 0, 0, 1000, 1000), note('shape:n', 10, 10, 'shape:plain')]
		expect(placement(records, 'shape:n').themeId).toBeNull()
	})

	it('the innermost theme frame wins over the one around it', () => {
		const records = [...base, frame('shape:inner', 100, 100, 400, 400, theme('Inner'), 'shape:t'), note('shape:n', 150, 150, 'shape:t')]
		expect(placement(records, 'shape:n').themeId).toBe('shape:inner')
	})

	it('between overlapping sibling themes, the parent wins, then the smaller frame', () => {
		const records = [...base, frame('shape:small', 500, 300, 400, 200, theme('Small'))]
		expect(placement([...records, note('shape:a', 600, 320, 'shape:t')], 'shape:a').themeId).toBe('shape:t')
		expect(placement([...records, note('shape:b', 600, 320)], 'shape:b').themeId).toBe('shape:small')
	})

	it('membership follows the note as it moves', () => {
		const inside = note('shape:n', 100, 100)
		const moved = { ...inside, x: 2000 }
		expect(placement([...base, inside], 'shape:n').themeId).toBe('shape:t')
		expect(placement([...base, moved], 'shape:n').themeId).toBeNull()
	})
})

describe('roadmap lanes', () => {
	const lanes = [
		page('page:1'),
		frame('shape:now', 0, 0, 1000, 3000, { lane: 'now' }),
		frame('shape:next', 1100, 0, 1000, 3000, { lane: 'next' }),
		frame('shape:later', 2200, 0, 1000, 3000, { lane: 'later' }),
	]

	it('a theme inside a lane frame (as a child or by its centre) gets its horizon, and so do its items', () => {
		const records = [
			...lanes,
			frame('shape:t1', 50, 50, 800, 800, theme('One'), 'shape:now'),
			frame('shape:t2', 1150, 50, 800, 800, theme('Two')),
			note('shape:a', 10, 10, 'shape:t1'),
			note('shape:b', 1200, 100),
		]
		const result = computeContainment(records)
		expect(result.themeLanes.get('shape:t1')).toBe('now')
		expect(result.themeLanes.get('shape:t2')).toBe('next')
		expect(result.notes.find((n) => n.id === 'shape:a')?.lane).toBe('now')
		expect(result.notes.find((n) => n.id === 'shape:b')?.lane).toBe('next')
	})

	it("a theme's own meta.lane wins; a theme outside lanes has none; its items follow the theme", () => {
		const records = [
			...lanes,
			frame('shape:own', 5000, 0, 400, 400, { ...theme('Own'), lane: 'later' }),
			frame('shape:none', 6000, 0, 400, 400, theme('None')),
			note('shape:a', 5100, 100),
			note('shape:b', 6100, 100),
		]
		const result = computeContainment(records)
		expect(result.themeLanes.get('shape:own')).toBe('later')
		expect(result.themeLanes.get('shape:none')).toBeNull()
		expect(result.notes.find((n) => n.id === 'shape:a')?.lane).toBe('later')
		expect(result.notes.find((n) => n.id === 'shape:b')?.lane).toBeNull()
	})

	it('an item without a theme takes the lane frame it is in', () => {
		expect(placement([...lanes, note('shape:n', 2300, 100)], 'shape:n').lane).toBe('later')
	})
})

describe('matrix quadrants', () => {
	const matrix = (xAxis: string) => [page('page:1'), frame('shape:m', 0, 0, 1000, 1000, { matrix: { xAxis, yAxis: 'value' } })]
	// Note centres at (x + 100, y + 100).
	it.each([
		['effort', 100, 100, 'quick-win'],
		['effort', 700, 100, 'big-bet'],
		['effort', 100, 700, 'fill-in'],
		['effort', 700, 700, 'money-pit'],
		['effort', 400, 400, 'money-pit'], // centre exactly on both midlines → right, bottom
		['feasibility', 700, 100, 'quick-win'],
		['feasibility', 100, 100, 'big-bet'],
		['feasibility', 700, 700, 'fill-in'],
		['feasibility', 100, 700, 'money-pit'],
	])('%s axis, note at (%d, %d) → %s', (axis, x, y, expected) => {
		const n = placement([...matrix(axis), note('shape:n', x, y)], 'shape:n')
		expect(n.quadrant).toBe(expected)
		expect(n.matrixId).toBe('shape:m')
	})

	it('a note outside the matrix has no quadrant', () => {
		expect(placement([...matrix('effort'), note('shape:n', 1500, 100)], 'shape:n').quadrant).toBeNull()
	})

	it('works for a matrix nested in a stage frame', () => {
		const records = [
			page('page:1'),
			frame('shape:stage', 5000, 5000, 3000, 3000, { stage: 3, defaultKind: 'idea' }),
			frame('shape:m', 100, 100, 1000, 1000, { matrix: { xAxis: 'effort', yAxis: 'value' } }, 'shape:stage'),
			note('shape:n', 50, 50, 'shape:m'),
		]
		expect(placement(records, 'shape:n').quadrant).toBe('quick-win')
	})
})

describe('defaultKindForParent', () => {
	it('takes the innermost frame with a defaultKind up the parent chain', () => {
		const records = [
			page('page:1'),
			frame('shape:stage1', 0, 0, 3000, 3000, { stage: 1, defaultKind: 'problem' }),
			frame('shape:sub', 10, 10, 500, 500, {}, 'shape:stage1'),
			frame('shape:kpis', 600, 10, 500, 500, { defaultKind: 'kpi' }, 'shape:stage1'),
		]
		expect(defaultKindForParent(records, 'shape:sub')).toBe('problem')
		expect(defaultKindForParent(records, 'shape:kpis')).toBe('kpi')
		expect(defaultKindForParent(records, 'page:1')).toBeNull()
		expect(defaultKindForParent(records, 'shape:nope')).toBeNull()
	})
})
