/**
 * Importing a board export: validation with readable issues, then conversion
 * into plain tldraw records that seed a new board.
 *
 * Nothing is written here: `parseBoardImport` only validates (after applying
 * named migrations), `boardExportToRecords` only builds records. The caller
 * (server or client) validates them with tldraw's schema and writes them into
 * a new board's Y.Doc in one transaction.
 */
import { lifecycleMeta } from './lifecycleMeta'
import { computeContainment } from '../items/containment'
import { applyToPoint, invert, multiply, NOTE_BASE_SIZE, translateRotate, type Affine, type Point } from '../items/geometry'
import { ItemMetaKey } from '../items/itemMeta'
import { ITEM_KIND_INFO } from '../items/kinds'
import { kpiDirection, kpiToMeta } from '../items/kpi'
import { inferRelationType, RelationMetaKey, type RelationEndKind } from '../items/relations'
import type { PlainRecord } from '../recordCodec'
import { arrowBindingRecord, arrowShapeProps, noteShapeProps, shapeRecordBase } from '../shapeRecords'
import { SiblingIndexAllocator } from './indexKeys'
import { migrateBoardExport, type MigrateOptions } from './migrations'
import { BoardExportSchema, type BoardExport, type ExportFrame, type ExportItem, type ExportTheme } from './schema'

export interface ImportIssue {
	/** Dotted path into the file, e.g. 'items.3.kind'; '' for the whole file. */
	path: string
	message: string
}

export type BoardImportResult =
	| { ok: true; data: BoardExport; fromVersion: number; migrations: string[] }
	| { ok: false; issues: ImportIssue[] }

/** At most this many issues are listed (plus one "…and N more"). */
export const MAX_IMPORT_ISSUES = 50

/** Validates a parsed export file (any supported version). Never throws. */
export function parseBoardImport(json: unknown, options: MigrateOptions = {}): BoardImportResult {
	const migrated = migrateBoardExport(json, options)
	if (!migrated.ok) return { ok: false, issues: [{ path: 'schemaVersion', message: migrated.message }] }
	const parsed = BoardExportSchema.safeParse(migrated.value)
	if (parsed.success) return { ok: true, data: parsed.data, fromVersion: migrated.fromVersion, migrations: migrated.applied }
	const issues: ImportIssue[] = parsed.error.issues.slice(0, MAX_IMPORT_ISSUES).map((issue) => ({
		path: issue.path.map(String).join('.'),
		message: issue.message,
	}))
	if (parsed.error.issues.length > MAX_IMPORT_ISSUES) {
		issues.push({ path: '', message: `…and ${parsed.error.issues.length - MAX_IMPORT_ISSUES} more problems` })
	}
	return { ok: false, issues }
}

/** Parses and validates the text of an export file. Never throws. */
export function parseBoardImportText(text: string, options: MigrateOptions = {}): BoardImportResult {
	let json: unknown
	try {
		json = JSON.parse(text)
	} catch (error) {
		return { ok: false, issues: [{ path: '', message: `Not valid JSON: ${(error as Error).message}` }] }
	}
	return parseBoardImport(json, options)
}

/** Human-readable list of issues, one per line ("items.3.kind: Invalid option…"). */
export function formatImportIssues(issues: readonly ImportIssue[]): string {
	return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('\n')
}

export interface BoardExportToRecordsOptions {
	/** Returns a fresh unique id suffix (e.g. nanoid); prefixed with 'shape:' / 'page:'. */
	newId: () => string
	/**
	 * Put every shape on this existing page (e.g. the new board's default page)
	 * instead of creating one page record per page of the export.
	 */
	pageId?: string
}

interface FrameSpec {
	sourceId: string
	newId: string
	frame: ExportFrame
	theme: ExportTheme | null
	transform: Affine
}

const SYNTHETIC_FRAME_PADDING = 40

/**
 * Parent-relative x, y and rotation of a shape placed at page-space x, y and
 * rotation, under a parent whose page transform is `parentTransform` (none:
 * the shape sits on the page, so the page values are used as they are).
 */
function placementUnder(parentTransform: Affine | undefined, x: number, y: number, rotation: number): { x: number; y: number; rotation: number } {
	if (!parentTransform) return { x, y, rotation }
	const local = multiply(invert(parentTransform), translateRotate(x, y, rotation))
	return { x: local.e, y: local.f, rotation: Math.atan2(local.b, local.a) || 0 }
}

/** Page-space corners of an item's note: its rotated (200 · scale) × ((200 + growY) · scale) box. */
function noteCorners(position: ExportItem['position']): Point[] {
	const transform = translateRotate(position.x, position.y, position.rotation)
	const w = NOTE_BASE_SIZE * position.scale
	const h = (NOTE_BASE_SIZE + position.growY) * position.scale
	return [
		{ x: 0, y: 0 },
		{ x: w, y: 0 },
		{ x: 0, y: h },
		{ x: w, y: h },
	].map((corner) => applyToPoint(transform, corner))
}

/** A frame for a theme the file lists without layout: around its items, or a default box. */
function syntheticThemeFrame(theme: ExportTheme, data: BoardExport, fallbackPageId: string, slot: number): ExportFrame {
	const positions = data.items.filter((item) => item.themeId === theme.id).map((item) => item.position)
	const pageId = positions[0]?.pageId ?? fallbackPageId
	const corners = positions.filter((p) => p.pageId === pageId).flatMap(noteCorners)
	let x = slot * 480
	let y = -400
	let w = 400
	let h = 300
	if (corners.length > 0) {
		const minX = Math.min(...corners.map((p) => p.x))
		const minY = Math.min(...corners.map((p) => p.y))
		const maxX = Math.max(...corners.map((p) => p.x))
		const maxY = Math.max(...corners.map((p) => p.y))
		x = minX - SYNTHETIC_FRAME_PADDING
		y = minY - SYNTHETIC_FRAME_PADDING
		w = maxX - minX + 2 * SYNTHETIC_FRAME_PADDING
		h = maxY - minY + 2 * SYNTHETIC_FRAME_PADDING
	}
	return {
		id: theme.id,
		name: theme.title,
		pageId,
		parentFrameId: null,
		x,
		y,
		w,
		h,
		rotation: 0,
		// The lane cannot come from lane-frame geometry that the file does not have, so the frame carries it.
		lane: theme.lane,
		stage: null,
		defaultKind: null,
		matrix: null,
		visionPrompt: null,
		mvpScope: false,
		comments: [],
	}
}

/**
 * Plain tldraw records (pages, frames, notes, arrows with their bindings) that
 * recreate an export on a new board. Frames keep their page-space layout and nesting; notes keep their
 * page-space position and rotation, their size and colour, and are parented
 * to their theme frame, so exporting the new board gives the same data apart
 * from ids and timestamps; relations become bound arrows (addMvpMarksAndLinks). Records follow tldraw 5.4.2's shapes (the caller
 * validates them with tldraw's schema).
 *
 * Vote results (`votingSessions`, `items[].votes`) are dropped: they record
 * votes held on the source board, counted by its server. The new board's
 * document is writable by every participant, so a copy kept there (e.g. in
 * note meta) could be edited and would then be exported as if the server had
 * counted it. The new board starts without votes; the source export file is
 * the record of those results (docs/items.md, "Import").
 */
export function boardExportToRecords(data: BoardExport, options: BoardExportToRecordsOptions): PlainRecord[] {
	const records: PlainRecord[] = []
	const indices = new SiblingIndexAllocator()

	// Pages.
	const pageMap = new Map<string, string>()
	const sourcePages: string[] = []
	for (const pageId of [...data.frames.map((f) => f.pageId), ...data.items.map((i) => i.position.pageId)]) {
		if (!sourcePages.includes(pageId)) sourcePages.push(pageId)
	}
	if (sourcePages.length === 0) sourcePages.push('page:page')
	const pageIndices = new SiblingIndexAllocator()
	sourcePages.forEach((sourceId, i) => {
		if (options.pageId) {
			pageMap.set(sourceId, options.pageId)
			return
		}
		const id = `page:${options.newId()}`
		pageMap.set(sourceId, id)
		records.push({ id, typeName: 'page', name: `Page ${i + 1}`, index: pageIndices.allocate('document'), meta: {} })
	})
	const pageOf = (sourcePageId: string) => pageMap.get(sourcePageId) ?? pageMap.get(sourcePages[0])!

	// Frames: exported layout plus synthesized frames for themes without layout.
	const themesById = new Map(data.themes.map((theme) => [theme.id, theme]))
	const frameList: ExportFrame[] = [...data.frames]
	const framed = new Set(frameList.map((f) => f.id))
	let slot = 0
	for (const theme of data.themes) {
		if (!framed.has(theme.id)) frameList.push(syntheticThemeFrame(theme, data, sourcePages[0], slot++))
	}
	const sourceFrames = new Map(frameList.map((f) => [f.id, f]))
	// Parents before children; a parent on another page (or a cycle) is ignored.
	const depthOf = (frame: ExportFrame): number => {
		let depth = 0
		const seen = new Set<string>([frame.id])
		let parent = frame.parentFrameId ? sourceFrames.get(frame.parentFrameId) : undefined
		while (parent && !seen.has(parent.id) && parent.pageId === frame.pageId) {
			seen.add(parent.id)
			depth++
			parent = parent.parentFrameId ? sourceFrames.get(parent.parentFrameId) : undefined
		}
		return depth
	}
	const ordered = frameList.map((frame, order) => ({ frame, order, depth: depthOf(frame) }))
	ordered.sort((a, b) => a.depth - b.depth || a.order - b.order)
	const specs = new Map<string, FrameSpec>()
	for (const { frame, depth } of ordered) {
		const pageTransform = translateRotate(frame.x, frame.y, frame.rotation)
		const parentSpec = depth > 0 && frame.parentFrameId ? specs.get(frame.parentFrameId) : undefined
		const parentId = parentSpec ? parentSpec.newId : pageOf(frame.pageId)
		const local = placementUnder(parentSpec?.transform, frame.x, frame.y, frame.rotation)
		const id = `shape:${options.newId()}`
		const theme = themesById.get(frame.id) ?? null
		const meta: Record<string, unknown> = {}
		if (theme) meta.theme = { title: theme.title, description: theme.description, goal: { ...theme.goal } }
		if (frame.lane) meta.lane = frame.lane
		if (frame.stage !== null) meta.stage = frame.stage
		if (frame.defaultKind) meta.defaultKind = frame.defaultKind
		if (frame.matrix) meta.matrix = { ...frame.matrix }
		if (frame.visionPrompt) meta.visionPrompt = frame.visionPrompt
		if (frame.mvpScope) meta.mvpScope = true
		records.push({
			...shapeRecordBase(id, 'frame', parentId, indices.allocate(parentId), local.x, local.y, local.rotation),
			props: { w: frame.w, h: frame.h, name: frame.name, color: 'black' },
			meta,
		})
		specs.set(frame.id, { sourceId: frame.id, newId: id, frame, theme, transform: pageTransform })
	}

	// Notes, parented to their theme frame when it is on the same page.
	const noteIds = new Map<string, string>()
	const noteMetas = new Map<string, Record<string, unknown>>()
	for (const item of data.items) {
		const themeSpec = item.themeId ? specs.get(item.themeId) : undefined
		const parentSpec = themeSpec && themeSpec.frame.pageId === item.position.pageId ? themeSpec : undefined
		const parentId = parentSpec ? parentSpec.newId : pageOf(item.position.pageId)
		const { x, y, rotation, scale, growY } = item.position
		// The file's rotation is page space; relative to the new parent it is composed with the parent's inverse, like x and y.
		const local = placementUnder(parentSpec?.transform, x, y, rotation)
		const meta: Record<string, unknown> = { [ItemMetaKey.kind]: item.kind, [ItemMetaKey.tags]: [...item.tags] }
		if (item.author) meta[ItemMetaKey.author] = { ...item.author }
		if (item.createdAt) meta[ItemMetaKey.createdAt] = Date.parse(item.createdAt)
		if (item.updatedAt) meta[ItemMetaKey.updatedAt] = Date.parse(item.updatedAt)
		const rice: Record<string, number> = {}
		for (const field of ['reach', 'impact', 'confidence', 'effort'] as const) {
			const value = item.rice[field]
			if (value !== null) rice[field] = value
		}
		if (Object.keys(rice).length > 0) meta[ItemMetaKey.rice] = rice
		if (item.jtbd) {
			const parts: Record<string, string> = {}
			for (const part of ['situation', 'motivation', 'outcome', 'persona'] as const) {
				const value = item.jtbd[part]
				if (value !== null) parts[part] = value
			}
			if (Object.keys(parts).length > 0) meta[ItemMetaKey.jtbd] = parts
		}
		if (item.experiment) {
			const fields: Record<string, string> = {}
			for (const field of ['hypothesis', 'metric', 'threshold', 'result'] as const) {
				const value = item.experiment[field]
				if (value !== null) fields[field] = value
			}
			meta[ItemMetaKey.experiment] = fields
		}
		Object.assign(meta, lifecycleMeta(item))
		const noteId = `shape:${options.newId()}`
		noteIds.set(item.id, noteId)
		noteMetas.set(noteId, meta)
		records.push({
			...shapeRecordBase(noteId, 'note', parentId, indices.allocate(parentId), local.x, local.y, local.rotation),
			// growY is kept because tldraw only measures it when a note is created in the editor or its text changes, never on load.
			props: { ...noteShapeProps(item.color ?? ITEM_KIND_INFO[item.kind].color, item.text), scale, growY },
			meta,
		})
	}

	// KPI definitions and series; the direction only when it is not what baseline and target infer.
	for (const kpi of data.kpis) {
		const noteId = noteIds.get(kpi.itemId)
		if (!noteId) continue
		const fields = { metric: kpi.metric, unit: kpi.unit, baseline: kpi.baseline, target: kpi.target, direction: null, measurements: kpi.measurements }
		const stored = kpiToMeta(kpiDirection(fields) === kpi.direction ? fields : { ...fields, direction: kpi.direction })
		if (Object.keys(stored).length > 0) noteMetas.get(noteId)![ItemMetaKey.kpi] = stored
	}

	addMvpMarksAndLinks(data, records, { noteIds, noteMetas, frameIds: new Map([...specs].map(([sourceId, spec]) => [sourceId, spec.newId])), newId: options.newId, indices })
	return records
}

interface LinkContext {
	/** Source item id → new note id, and each new note's meta (still writable). */
	noteIds: ReadonlyMap<string, string>
	noteMetas: ReadonlyMap<string, Record<string, unknown>>
	/** Source frame or theme id → new frame id. */
	frameIds: ReadonlyMap<string, string>
	newId: () => string
	/** The index allocator the other shapes took their keys from (arrows go on top). */
	indices: SiblingIndexAllocator
}

/**
 * The parts of an export that depend on where the new shapes ended up:
 * `meta.mvp` for MVP features that are not inside an MVP scope frame on the
 * new board (so they stay in the MVP, and those inside stay "by frame"), and
 * one arrow with two bindings per relation, drawn from its from end's centre
 * to its to end's centre in the type's direction. `meta.relationType` is
 * written only when the type is not what the ends' kinds infer, `meta.weight`
 * for every `supports`. A relation whose ends are on different pages is
 * dropped (tldraw binds arrows within a page).
 */
function addMvpMarksAndLinks(data: BoardExport, records: PlainRecord[], context: LinkContext): void {
	const containment = computeContainment(records)
	const notes = new Map(containment.notes.map((n) => [n.id, n]))
	for (const item of data.items) {
		if (!item.mvp) continue
		const noteId = context.noteIds.get(item.id)!
		if (!notes.get(noteId)?.inMvpScope) context.noteMetas.get(noteId)![ItemMetaKey.mvp] = true
	}

	const itemKinds = new Map(data.items.map((item) => [item.id, item.kind]))
	const themeIds = new Set(data.themes.map((theme) => theme.id))
	const endKind = (sourceId: string): RelationEndKind => itemKinds.get(sourceId) ?? (themeIds.has(sourceId) ? 'theme' : 'frame')
	const placed = (sourceId: string) => {
		const newId = context.noteIds.get(sourceId) ?? context.frameIds.get(sourceId)
		return newId ? (notes.get(newId) ?? containment.frameById.get(newId)) : undefined
	}
	for (const relation of data.relations) {
		const from = placed(relation.from)
		const to = placed(relation.to)
		if (!from || !to || from.pageId !== to.pageId) continue
		const arrowId = `shape:${context.newId()}`
		const meta: Record<string, unknown> = {}
		const inferred = inferRelationType(endKind(relation.from), endKind(relation.to))
		if (inferred.type !== relation.type || inferred.swap) meta[RelationMetaKey.relationType] = relation.type
		if (relation.weight !== undefined) meta[RelationMetaKey.weight] = relation.weight
		records.push({
			// Allocated after every frame and note of the page, so arrows are drawn on top.
			...shapeRecordBase(arrowId, 'arrow', from.pageId, context.indices.allocate(from.pageId), from.center.x, from.center.y),
			props: arrowShapeProps({ x: to.center.x - from.center.x, y: to.center.y - from.center.y }),
			meta,
		})
		records.push(arrowBindingRecord(`binding:${context.newId()}`, arrowId, from.id, 'start'))
		records.push(arrowBindingRecord(`binding:${context.newId()}`, arrowId, to.id, 'end'))
	}
}
