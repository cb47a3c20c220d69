/**
 * Board templates: the tldraw records a new board starts with.
 *
 * Records are plain JSON in tldraw 5.4.2's shapes (frames, text), built the
 * same way `boardExportToRecords` builds frames and notes, so the server can
 * seed a board without tldraw's editor. Structure lives in frame `meta` (see
 * docs/items.md): `stage` and `defaultKind` on the discovery stages, `matrix`
 * on the solution-ideas matrix, `lane` on the Now / Next / Later lanes.
 * Prompts are text shapes, not stickies, so a fresh board exports no items.
 */
import { z } from 'zod'
import { SiblingIndexAllocator } from '../export/indexKeys'
import { VISION_PROMPT_KEYS, VISION_PROMPT_LABELS, type FrameMeta, type Lane } from '../items/frameMeta'
import type { ItemKind } from '../items/kinds'
import type { PlainRecord } from '../recordCodec'
import { shapeRecordBase } from '../shapeRecords'
import { plainTextToRichText } from '../text/richText'

export const BOARD_TEMPLATES = ['discovery', 'storymap', 'ost', 'retro', 'blank'] as const
export const BoardTemplateSchema = z.enum(BOARD_TEMPLATES)
export type BoardTemplate = z.infer<typeof BoardTemplateSchema>

/** What the landing page shows for each template. `title` is also the new board's default title. */
export const BOARD_TEMPLATE_INFO: Readonly<Record<BoardTemplate, { title: string; description: string }>> = {
	discovery: {
		title: 'Product discovery workshop',
		description: 'Seven stages from problem and jobs-to-be-done to vision, solution ideas, roadmap, RICE, MVP and KPIs',
	},
	storymap: {
		title: 'Story map',
		description: 'Activities → steps → stories, cut into releases; the first release is the MVP',
	},
	ost: {
		title: 'Opportunity solution tree',
		description: 'Outcome → opportunities → solutions → experiments, linked by arrows (Teresa Torres)',
	},
	retro: { title: 'Retrospective', description: 'What went well, what did not, ideas and actions' },
	blank: { title: 'Untitled board', description: 'An empty canvas' },
}

/** tldraw's own ids for the document record and the first page (client/sync seeds the same ones). */
export const DEFAULT_DOCUMENT_ID = 'document:document'
export const DEFAULT_PAGE_ID = 'page:page'

export interface BuildTemplateOptions {
	/** Returns a fresh unique id suffix; prefixed with 'shape:'. */
	newId: () => string
	/** Page the template's shapes go on. */
	pageId: string
}

export interface BoardTemplateRecords {
	/** Default board title for this template. */
	title: string
	/** Shapes only (no page or document record); parents come before children. */
	records: PlainRecord[]
}

/**
 * The document record and the page every board needs. A board's Y.Doc that
 * already holds records is loaded as-is by the client (which then removes its
 * own defaults), so a seeded board must contain these itself.
 */
export function defaultDocumentRecords(pageId: string = DEFAULT_PAGE_ID): PlainRecord[] {
	return [
		{ id: DEFAULT_DOCUMENT_ID, typeName: 'document', gridSize: 10, name: '', meta: {} },
		{ id: pageId, typeName: 'page', name: 'Page 1', index: 'a1', meta: {} },
	]
}

/** One stage of the product discovery workshop, in reading order. */
export interface DiscoveryStage {
	stage: number
	/** Frame name; carries the stage number. */
	name: string
	defaultKind: ItemKind | null
	prompt: string
}

export const DISCOVERY_STAGES: readonly DiscoveryStage[] = [
	{
		stage: 1,
		name: '1 · Problem & JTBD',
		defaultKind: 'problem',
		prompt:
			'Who has the problem, and what job are they trying to get done?\nWrite user needs and pain points, and jobs as "When <situation>, I want to <motivation>, so I can <outcome>".',
	},
	{
		stage: 2,
		name: '2 · Vision',
		defaultKind: 'question',
		prompt: 'Question the problem and set a vision. Answer each prompt with stickies inside its frame; add risks and open questions.',
	},
	{
		stage: 3,
		name: '3 · Solution ideas',
		defaultKind: 'idea',
		prompt: 'Place each idea by value (up) and feasibility (right).',
	},
	{
		stage: 4,
		name: '4 · Roadmap themes',
		defaultKind: null,
		prompt:
			'North Star metric: the one number that shows we deliver value. Group ideas into theme frames with a measurable goal, mark one goal as the North Star, and place each theme in a lane.',
	},
	{
		stage: 5,
		name: '5 · Prioritize (RICE)',
		defaultKind: 'feature',
		prompt: 'Score ideas and features: Reach × Impact × Confidence ÷ Effort. Missing estimates stay incomplete, never zero.',
	},
	{
		stage: 6,
		name: '6 · MVP scope',
		defaultKind: 'feature',
		prompt: 'The smallest set of features that tests the riskiest assumptions with real users.',
	},
	{
		stage: 7,
		name: '7 · Measure & learn',
		defaultKind: 'kpi',
		prompt: 'KPIs for each goal, how we collect feedback, and when we look at the numbers again.',
	},
]

/**
 * The four prompts of stage 2, laid out as a 2×2 grid of frames (one per
 * prompt, `meta.visionPrompt`), so the stickies inside answer that prompt.
 */
export const VISION_PROMPTS = VISION_PROMPT_KEYS.map((key) => VISION_PROMPT_LABELS[key])

/**
 * Quadrant labels of the value × feasibility matrix. Value grows upwards,
 * feasibility to the right (so the right half is low effort), matching
 * `quadrant` in the export (docs/items.md, Containment).
 */
export const MATRIX_QUADRANT_LABELS = [
	{ quadrant: 'big-bet', label: 'Big bets — high value, hard to build', column: 0, row: 0 },
	{ quadrant: 'quick-win', label: 'Quick wins — high value, feasible', column: 1, row: 0 },
	{ quadrant: 'money-pit', label: 'Money pits — low value, hard to build', column: 0, row: 1 },
	{ quadrant: 'fill-in', label: 'Fill-ins — low value, feasible', column: 1, row: 1 },
] as const

export const RETRO_COLUMNS: readonly { name: string; defaultKind: ItemKind | null }[] = [
	{ name: 'What went well', defaultKind: 'insight' },
	{ name: "What didn't", defaultKind: 'problem' },
	{ name: 'Ideas', defaultKind: 'idea' },
	{ name: 'Actions', defaultKind: null },
]

/**
 * The story map (Jeff Patton): the user's activities left to right, the steps
 * of each below them, and the stories (features) of each step below a release
 * line. Each release is a frame; the first is the MVP scope frame, so the
 * features in it are the MVP (docs/items.md, MVP scope).
 */
export const STORY_MAP_ROWS: readonly { name: string; defaultKind: ItemKind | null; h: number; meta?: FrameMetaInput }[] = [
	{ name: 'Activities — what people do, left to right', defaultKind: null, h: 300 },
	{ name: 'Steps — under each activity', defaultKind: null, h: 300 },
	{ name: 'Release 1 · MVP', defaultKind: 'feature', h: 520, meta: { mvpScope: true } },
	{ name: 'Release 2', defaultKind: 'feature', h: 520 },
	{ name: 'Later', defaultKind: 'feature', h: 520 },
]
const STORY_MAP_W = 2600
const STORY_MAP_PROMPT =
	'Walk the journey left to right: activities on top, the steps of each below, then the stories that make each step work. Drag the stories of the first release above the MVP line: that is the MVP.'

/**
 * The opportunity solution tree (Teresa Torres): one desired outcome on top,
 * the opportunities (needs, pain points, jobs) that would move it, the
 * solutions to each, and the experiments that test a solution. Each level is
 * a frame whose new stickies get the level's kind; the tree itself is the
 * arrows between them (opportunity → outcome, solution `solves` opportunity,
 * experiment `tests` solution), read back by shared/export/opportunityTree.ts.
 */
export const OST_LEVELS: readonly { name: string; defaultKind: ItemKind; guide: string; h: number }[] = [
	{ name: 'Outcome', defaultKind: 'kpi', h: 360, guide: 'One desired outcome: a metric the team can move (e.g. "weekly active teams +20%"). Start here.' },
	{
		name: 'Opportunities',
		defaultKind: 'problem',
		h: 440,
		guide: 'Customer needs, pain points and desires heard in interviews that would move the outcome. Draw an arrow from each to the outcome.',
	},
	{ name: 'Solutions', defaultKind: 'idea', h: 440, guide: 'Several ideas per opportunity, so you compare rather than commit. Draw an arrow from each solution to the opportunity it solves.' },
	{
		name: 'Experiments',
		defaultKind: 'experiment',
		h: 440,
		guide: 'Assumption tests for the most promising solutions: hypothesis, metric, threshold, result. Draw an arrow from each experiment to the solution it tests.',
	},
]
const OST_W = 2600
const OST_PROMPT =
	'Work top-down: outcome, then the opportunities that drive it, then solutions, then experiments. The arrows make the tree; the export and the Markdown summary show it branch by branch.'

const LANE_FRAMES: readonly { lane: Lane; name: string }[] = [
	{ lane: 'now', name: 'Now' },
	{ lane: 'next', name: 'Next' },
	{ lane: 'later', name: 'Later' },
]

/** Discovery layout: four stages per row, rows top to bottom (reading order). */
export const STAGE_FRAME = { w: 1400, h: 1100, gap: 200, perRow: 4 } as const
const RETRO_FRAME = { w: 900, h: 1100, gap: 120 } as const
const PADDING = 40
/**
 * A Now / Next / Later lane holds a theme of two sticky columns (2 × 200 +
 * gap + the theme's padding) with room to spare, so a dropped theme is never
 * clipped; the roadmap stage is as wide as its three lanes need.
 */
export const LANE_WIDTH = 620
const ROADMAP_STAGE_W = LANE_FRAMES.length * LANE_WIDTH + (LANE_FRAMES.length + 1) * PADDING

function stageWidth(stage: number): number {
	return stage === 4 ? ROADMAP_STAGE_W : STAGE_FRAME.w
}

type FrameMetaInput = Partial<FrameMeta>

class TemplateWriter {
	readonly records: PlainRecord[] = []
	private readonly indices = new SiblingIndexAllocator()

	constructor(private readonly newId: () => string) {}

	private shapeBase(type: string, parentId: string, x: number, y: number) {
		return shapeRecordBase(`shape:${this.newId()}`, type, parentId, this.indices.allocate(parentId), x, y)
	}

	/** A frame (props as in tldraw 5.4.2's FrameShapeUtil); returns its id. */
	frame(parentId: string, x: number, y: number, w: number, h: number, name: string, meta: FrameMetaInput = {}): string {
		const cleanMeta: Record<string, unknown> = {}
		for (const [key, value] of Object.entries(meta)) if (value !== null && value !== undefined) cleanMeta[key] = value
		const record = { ...this.shapeBase('frame', parentId, x, y), props: { w, h, name, color: 'black' }, meta: cleanMeta }
		this.records.push(record)
		return record.id
	}

	/** A fixed-width, wrapping text shape (props as in tldraw 5.4.2's TextShapeUtil). */
	text(parentId: string, x: number, y: number, w: number, text: string, style: { size?: 's' | 'm' | 'l' | 'xl'; color?: string } = {}): string {
		const record = {
			...this.shapeBase('text', parentId, x, y),
			props: {
				color: style.color ?? 'grey',
				size: style.size ?? 'm',
				font: 'sans',
				textAlign: 'start',
				w,
				richText: plainTextToRichText(text),
				scale: 1,
				autoSize: false,
			},
			meta: {},
		}
		this.records.push(record)
		return record.id
	}
}

function buildDiscovery(writer: TemplateWriter, pageId: string): void {
	const { h, gap, perRow } = STAGE_FRAME
	for (const [i, stage] of DISCOVERY_STAGES.entries()) {
		const w = stageWidth(stage.stage)
		const innerW = w - 2 * PADDING
		// Stages sit left to right in rows; a row's x advances by the widths before it.
		const rowStart = i - (i % perRow)
		const x = DISCOVERY_STAGES.slice(rowStart, i).reduce((sum, s) => sum + stageWidth(s.stage) + gap, 0)
		const y = Math.floor(i / perRow) * (h + gap)
		const meta: FrameMetaInput = { stage: stage.stage, defaultKind: stage.defaultKind }
		if (stage.stage === 3) meta.matrix = { xAxis: 'feasibility', yAxis: 'value' }
		if (stage.stage === 6) meta.mvpScope = true
		const frameId = writer.frame(pageId, x, y, w, h, stage.name, meta)

		if (stage.stage === 2) {
			writer.text(frameId, PADDING, PADDING, innerW, stage.prompt)
			// Four prompt frames below the intro, PADDING apart; each holds its prompt as a heading.
			const top = 120
			const cellW = (w - 3 * PADDING) / 2
			const cellH = (h - top - 2 * PADDING) / 2
			VISION_PROMPT_KEYS.forEach((visionPrompt, k) => {
				const column = k % 2
				const row = Math.floor(k / 2)
				const prompt = VISION_PROMPT_LABELS[visionPrompt]
				const promptFrame = writer.frame(frameId, PADDING + column * (cellW + PADDING), top + row * (cellH + PADDING), cellW, cellH, prompt, { visionPrompt })
				writer.text(promptFrame, PADDING, PADDING, cellW - 2 * PADDING, prompt, { size: 'l', color: 'black' })
			})
		} else if (stage.stage === 3) {
			// Labels sit in the corners of each quadrant; the frame's midlines split the quadrants.
			for (const { label, column, row } of MATRIX_QUADRANT_LABELS) {
				writer.text(frameId, column * (w / 2) + PADDING, row * (h / 2) + PADDING, w / 2 - 2 * PADDING, label, { size: 'l', color: 'black' })
			}
			writer.text(frameId, PADDING, h - 80, innerW, `↑ Value · Feasibility → · ${stage.prompt}`, { size: 's' })
		} else if (stage.stage === 4) {
			writer.text(frameId, PADDING, PADDING, innerW, stage.prompt)
			const laneTop = 200
			const laneW = LANE_WIDTH
			LANE_FRAMES.forEach(({ lane, name }, k) => {
				writer.frame(frameId, PADDING + k * (laneW + PADDING), laneTop, laneW, h - laneTop - PADDING, name, { lane })
			})
		} else {
			writer.text(frameId, PADDING, PADDING, innerW, stage.prompt)
		}
	}
}

/** A row of a stacked template (story map, opportunity tree): a frame, with an optional guide text inside. */
interface StackedRow {
	name: string
	defaultKind: ItemKind | null
	h: number
	meta?: FrameMetaInput
	guide?: string
}

/** One outer frame with its prompt on top and its rows stacked below it, PADDING apart. */
function buildStacked(writer: TemplateWriter, pageId: string, outer: { name: string; w: number; prompt: string }, rows: readonly StackedRow[]): void {
	const top = 160
	const rowsH = rows.reduce((sum, row) => sum + row.h + PADDING, 0)
	const outerId = writer.frame(pageId, 0, 0, outer.w, top + rowsH, outer.name)
	writer.text(outerId, PADDING, PADDING, outer.w - 2 * PADDING, outer.prompt)
	let y = top
	for (const row of rows) {
		const rowId = writer.frame(outerId, PADDING, y, outer.w - 2 * PADDING, row.h, row.name, { defaultKind: row.defaultKind, ...row.meta })
		if (row.guide) writer.text(rowId, PADDING, PADDING, outer.w - 4 * PADDING, row.guide)
		y += row.h + PADDING
	}
}

function buildRetro(writer: TemplateWriter, pageId: string): void {
	const { w, h, gap } = RETRO_FRAME
	RETRO_COLUMNS.forEach(({ name, defaultKind }, i) => {
		writer.frame(pageId, i * (w + gap), 0, w, h, name, { defaultKind })
	})
}

/**
 * The shapes a new board of `template` starts with, on `options.pageId`, plus
 * the template's default title. Pure: ids come from `options.newId`.
 */
export function buildTemplateRecords(template: BoardTemplate, options: BuildTemplateOptions): BoardTemplateRecords {
	const writer = new TemplateWriter(options.newId)
	switch (template) {
		case 'discovery':
			buildDiscovery(writer, options.pageId)
			break
		case 'storymap':
			buildStacked(writer, options.pageId, { name: 'Story map', w: STORY_MAP_W, prompt: STORY_MAP_PROMPT }, STORY_MAP_ROWS)
			break
		case 'ost':
			buildStacked(writer, options.pageId, { name: 'Opportunity solution tree', w: OST_W, prompt: OST_PROMPT }, OST_LEVELS)
			break
		case 'retro':
			buildRetro(writer, options.pageId)
			break
		case 'blank':
			break
	}
	return { title: BOARD_TEMPLATE_INFO[template].title, records: writer.records }
}
