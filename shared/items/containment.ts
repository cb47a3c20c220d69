/**
 * Which theme, roadmap lane and matrix quadrant each sticky is in, computed
 * from plain records (e.g. `readAllRecords(doc)`), so the client, the server's
 * export and the CLI agree.
 *
 * Rules (docs/items.md):
 * - Theme: the innermost theme frame that is an ancestor of the note
 *   (`parentId` chain) or contains the note's centre (page space, same page).
 *   "Innermost" = deepest in the frame tree; on a tie an ancestor wins, then
 *   the smaller frame, then the smaller id.
 * - Lane of a theme: its own `meta.lane`, else the innermost lane frame that
 *   is its ancestor or contains its centre. Lane of a note: its theme's lane
 *   when it is in a theme, else the innermost lane frame around the note.
 * - Quadrant: the innermost matrix frame containing the note's centre; value
 *   is high in the top half, effort (or feasibility) high in the right half;
 *   a centre exactly on a midline counts as right / bottom.
 * - Vision prompt: the innermost `visionPrompt` frame that is an ancestor of
 *   the note or contains its centre (as for themes).
 * - MVP scope: inside (ancestor or centre) any MVP scope frame
 *   (frameMeta.isMvpScopeFrame).
 *
 * Cost: O(records) for transforms plus O(notes × frames of the note's page),
 * frames being few; no note is compared with another note.
 */
import { applyToPoint, invert, multiply, rotationOf, shapeSize, translateRotate, type Affine, type Point } from './geometry'
import { isMvpScopeFrame, parseFrameMeta, type FrameMeta, type Lane, type Quadrant, type VisionPrompt } from './frameMeta'
import type { ItemKind } from './kinds'

export type RecordLike = Record<string, unknown>
export type RecordsInput = ReadonlyMap<string, RecordLike> | Iterable<RecordLike>

/** Where a shape is on its page. */
export interface PlacedShape {
	id: string
	type: string
	record: RecordLike
	/** Id of the page the shape is on, or of the dangling root parent for an orphaned shape. */
	pageId: string
	/** Shape ancestors, innermost first. */
	ancestorIds: string[]
	/** Number of shape ancestors. */
	depth: number
	/** Local → page transform. */
	transform: Affine
	/** Page-space position of the shape's own (0, 0), i.e. its x/y resolved through its parents. */
	origin: Point
	/** Page-space rotation in radians. */
	rotation: number
	w: number
	h: number
	/** Page-space centre of the shape's bounds. */
	center: Point
}

export interface FrameInfo extends PlacedShape {
	name: string
	meta: FrameMeta
	/** Innermost frame ancestor, or null. */
	parentFrameId: string | null
	/** Page → frame-local transform (for point-in-frame tests). */
	inverse: Affine
}

export interface NotePlacement extends PlacedShape {
	themeId: string | null
	lane: Lane | null
	matrixId: string | null
	quadrant: Quadrant | null
	/** Vision prompt frame the note answers, and its prompt. */
	visionFrameId: string | null
	visionPrompt: VisionPrompt | null
	/** Inside an MVP scope frame (items of kind feature there are in the MVP). */
	inMvpScope: boolean
}

export interface BoardContainment {
	/** Page ids ordered by their `index` (then id). */
	pageOrder: string[]
	frames: FrameInfo[]
	frameById: Map<string, FrameInfo>
	notes: NotePlacement[]
	/** Lane of every theme frame (null when it is in no lane). */
	themeLanes: Map<string, Lane | null>
}

export function toRecordMap(records: RecordsInput): Map<string, RecordLike> {
	if (records instanceof Map) return records as Map<string, RecordLike>
	const map = new Map<string, RecordLike>()
	for (const record of records as Iterable<RecordLike>) {
		if (typeof record?.id === 'string') map.set(record.id, record)
	}
	return map
}

/** Shared by all top-level shapes (never mutated). */
const NO_ANCESTORS: string[] = []

function num(value: unknown, fallback = 0): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

function isShape(record: RecordLike | undefined): record is RecordLike {
	return record !== undefined && record.typeName === 'shape' && typeof record.id === 'string'
}

/**
 * Resolves page transforms of all shapes. Iterative (no recursion limit) and
 * safe against parent cycles: a shape in a cycle is placed as if its parent
 * were the page it names.
 */
function placeShapes(records: Map<string, RecordLike>): Map<string, PlacedShape> {
	const placed = new Map<string, PlacedShape>()
	const place = (record: RecordLike, parent: PlacedShape | null, rootId: string): PlacedShape => {
		const local = translateRotate(num(record.x), num(record.y), num(record.rotation))
		const transform = parent ? multiply(parent.transform, local) : local
		const { w, h } = shapeSize(record)
		const shape: PlacedShape = {
			id: record.id as string,
			type: typeof record.type === 'string' ? record.type : '',
			record,
			pageId: parent ? parent.pageId : rootId,
			ancestorIds: parent ? [parent.id, ...parent.ancestorIds] : NO_ANCESTORS,
			depth: parent ? parent.depth + 1 : 0,
			transform,
			origin: { x: transform.e, y: transform.f },
			rotation: rotationOf(transform),
			w,
			h,
			center: applyToPoint(transform, { x: w / 2, y: h / 2 }),
		}
		placed.set(shape.id, shape)
		return shape
	}
	for (const start of records.values()) {
		if (!isShape(start) || placed.has(start.id as string)) continue
		// Fast path: the parent is placed already or is not a shape (a page).
		const startParentId = typeof start.parentId === 'string' ? start.parentId : ''
		const placedParent = placed.get(startParentId)
		if (placedParent || !isShape(records.get(startParentId))) {
			place(start, placedParent ?? null, startParentId)
			continue
		}
		// Walk up to the first placed ancestor, a non-shape root, or a cycle.
		const chain: RecordLike[] = []
		const onChain = new Set<string>()
		let current: RecordLike | undefined = start
		let parent: PlacedShape | null = null
		let rootId = ''
		while (current) {
			chain.push(current)
			onChain.add(current.id as string)
			const parentId = typeof current.parentId === 'string' ? current.parentId : ''
			const already = placed.get(parentId)
			if (already) {
				parent = already
				break
			}
			const next = records.get(parentId)
			if (!isShape(next) || onChain.has(parentId)) {
				rootId = parentId
				break
			}
			current = next
		}
		for (let i = chain.length - 1; i >= 0; i--) {
			parent = place(chain[i], parent, rootId)
		}
	}
	return placed
}

function containsPoint(frame: FrameInfo, point: Point): boolean {
	const { a, b, c, d, e, f } = frame.inverse
	const x = a * point.x + c * point.y + e
	if (x < 0 || x > frame.w) return false
	const y = b * point.x + d * point.y + f
	return y >= 0 && y <= frame.h
}

/** Innermost frame among `candidates` (same page) that is an ancestor of `shape` or contains its centre. */
function innermostFrame(shape: PlacedShape, candidates: readonly FrameInfo[] | undefined): FrameInfo | null {
	if (!candidates) return null
	let best: FrameInfo | null = null
	let bestIsAncestor = false
	for (const frame of candidates) {
		if (frame.id === shape.id) continue
		const isAncestor = shape.ancestorIds.includes(frame.id)
		if (!isAncestor && !containsPoint(frame, shape.center)) continue
		// A frame inside the shape (the shape is its ancestor) can contain the shape's centre but never holds it.
		if (frame.ancestorIds.includes(shape.id)) continue
		if (best === null) {
			best = frame
			bestIsAncestor = isAncestor
			continue
		}
		const better =
			frame.depth !== best.depth
				? frame.depth > best.depth
				: isAncestor !== bestIsAncestor
					? isAncestor
					: frame.w * frame.h !== best.w * best.h
						? frame.w * frame.h < best.w * best.h
						: frame.id < best.id
		if (better) {
			best = frame
			bestIsAncestor = isAncestor
		}
	}
	return best
}

function quadrantIn(frame: FrameInfo, point: Point): Quadrant | null {
	if (!frame.meta.matrix || !containsPoint(frame, point)) return null
	const local = applyToPoint(frame.inverse, point)
	const right = local.x >= frame.w / 2
	const highValue = local.y < frame.h / 2
	const highEffort = frame.meta.matrix.xAxis === 'effort' ? right : !right
	if (highValue) return highEffort ? 'big-bet' : 'quick-win'
	return highEffort ? 'money-pit' : 'fill-in'
}

function groupByPage(frames: readonly FrameInfo[], keep: (frame: FrameInfo) => boolean): Map<string, FrameInfo[]> {
	const byPage = new Map<string, FrameInfo[]>()
	for (const frame of frames) {
		if (!keep(frame)) continue
		const list = byPage.get(frame.pageId)
		if (list) list.push(frame)
		else byPage.set(frame.pageId, [frame])
	}
	return byPage
}

/** Computes placement of every frame and note of a board. Never throws on malformed records. */
export function computeContainment(input: RecordsInput): BoardContainment {
	const records = toRecordMap(input)
	const placed = placeShapes(records)

	const pages: { id: string; index: string }[] = []
	for (const record of records.values()) {
		if (record.typeName === 'page' && typeof record.id === 'string') {
			pages.push({ id: record.id, index: typeof record.index === 'string' ? record.index : '' })
		}
	}
	pages.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

	const frames: FrameInfo[] = []
	const frameById = new Map<string, FrameInfo>()
	for (const shape of placed.values()) {
		if (shape.type !== 'frame') continue
		const props = (shape.record.props ?? {}) as Record<string, unknown>
		const frame = shape as FrameInfo
		frame.name = typeof props.name === 'string' ? props.name : ''
		frame.meta = parseFrameMeta(shape.record.meta).meta
		frame.parentFrameId = null
		frame.inverse = invert(shape.transform)
		frames.push(frame)
		frameById.set(frame.id, frame)
	}
	for (const frame of frames) {
		frame.parentFrameId = frame.ancestorIds.find((id) => frameById.has(id)) ?? null
	}

	const themeFrames = groupByPage(frames, (f) => f.meta.theme !== null)
	const laneFrames = groupByPage(frames, (f) => f.meta.lane !== null)
	const matrixFrames = groupByPage(frames, (f) => f.meta.matrix !== null)
	const visionFrames = groupByPage(frames, (f) => f.meta.visionPrompt !== null)
	const mvpFrames = groupByPage(frames, (f) => isMvpScopeFrame(f.meta))

	const themeLanes = new Map<string, Lane | null>()
	for (const list of themeFrames.values()) {
		for (const theme of list) {
			themeLanes.set(theme.id, theme.meta.lane ?? innermostFrame(theme, laneFrames.get(theme.pageId))?.meta.lane ?? null)
		}
	}

	const notes: NotePlacement[] = []
	for (const shape of placed.values()) {
		if (shape.type !== 'note') continue
		const theme = innermostFrame(shape, themeFrames.get(shape.pageId))
		const lane = theme ? (themeLanes.get(theme.id) ?? null) : (innermostFrame(shape, laneFrames.get(shape.pageId))?.meta.lane ?? null)
		let matrix: FrameInfo | null = null
		let quadrant: Quadrant | null = null
		const matrices = matrixFrames.get(shape.pageId)
		if (matrices) {
			for (const frame of matrices) {
				const q = quadrantIn(frame, shape.center)
				if (q && (!matrix || frame.depth > matrix.depth || (frame.depth === matrix.depth && frame.id < matrix.id))) {
					matrix = frame
					quadrant = q
				}
			}
		}
		const placement = shape as NotePlacement
		placement.themeId = theme?.id ?? null
		placement.lane = lane
		placement.matrixId = matrix?.id ?? null
		placement.quadrant = quadrant
		const vision = innermostFrame(shape, visionFrames.get(shape.pageId))
		placement.visionFrameId = vision?.id ?? null
		placement.visionPrompt = vision?.meta.visionPrompt ?? null
		placement.inMvpScope = innermostFrame(shape, mvpFrames.get(shape.pageId)) !== null
		notes.push(placement)
	}

	return { pageOrder: pages.map((p) => p.id), frames, frameById, notes, themeLanes }
}

/**
 * Kind a new sticky created under `parentId` gets: the `meta.defaultKind` of
 * the innermost frame in its parent chain, or null (use the app default).
 */
export function defaultKindForParent(input: RecordsInput, parentId: string): ItemKind | null {
	const records = toRecordMap(input)
	const seen = new Set<string>()
	let current = records.get(parentId)
	while (isShape(current) && !seen.has(current.id as string)) {
		seen.add(current.id as string)
		if (current.type === 'frame') {
			const kind = parseFrameMeta(current.meta).meta.defaultKind
			if (kind) return kind
		}
		current = records.get(typeof current.parentId === 'string' ? current.parentId : '')
	}
	return null
}
