/**
 * Named migrations of the export format, so files exported by older versions
 * of Workshop Board still import. Each format change bumps
 * BOARD_EXPORT_SCHEMA_VERSION and appends one migration from the previous
 * version (ids in BoardExportMigrationIds, tldraw style). Migrations are
 * applied in order from the file's version up to the current one; each gets a
 * copy and must not depend on validation having run (the result is validated
 * afterwards). Files from a newer version are rejected with a message saying
 * so (no down-migrations: update the app).
 *
 * | from | name | change |
 * |---|---|---|
 * | 1 | AddVoteResults | top-level `votingSessions: []`; a missing `items[].votes` becomes null (version 1 reserved it as null) |
 * | 2 | AddNoteRotationSizeAndColor | `items[].position` gets `rotation: 0`, `scale: 1`, `growY: 0` and `items[].color` null where missing (what an import of a version-2 file always made) |
 * | 3 | AddRelationsExperimentsVisionAndMvp | top-level `relations: []` and `vision` with four empty lists; `items[].importance` 0 for ideas and features (nothing supports them yet), null otherwise; `items[].experiment` null; `items[].mvp` false; `frames[].visionPrompt` null and `mvpScope` false |
 * | 4 | AddCommentsAndReactions | `items[].comments: []`, `items[].reactions: []`, `frames[].comments: []` (a version-4 board had neither) |
 * | 5 | AddKpisAndEstimationRounds | top-level `kpis`: one entry per KPI item with no definition and no measurements (version 5 had no KPI fields), `measures` from its `measures` relations, direction increase, status no-data; `estimationRounds: []` (no estimation poker before) |
 * | 6 | AddStatusAndCd3 | `items[].status: 'new'`, `statusReason: null`, `cd3` incomplete with nulls (earlier boards had no lifecycle and no CD3). Version 7 also lets `votingSessions[]` carry `closesAt`, `closedBy` and `turnout` (remote voting over days): optional, absent when the vote had no closing time, so nothing is added |
 */
import { BOARD_EXPORT_SCHEMA_VERSION } from './schema'

export interface BoardExportMigration {
	/** Stable, descriptive name, e.g. 'AddVotes' (reported in `applied`). */
	name: string
	/** Version this migration upgrades from; it produces `from + 1`. */
	from: number
	up: (doc: Record<string, unknown>) => Record<string, unknown>
}

export const BoardExportMigrationIds = {
	/** v1 → v2: closed voting sessions' results (facilitated sessions, #4). */
	AddVoteResults: 'AddVoteResults',
	/** v2 → v3: stickies keep their rotation, size and colour override through export → import. */
	AddNoteRotationSizeAndColor: 'AddNoteRotationSizeAndColor',
	/** v3 → v4: links between items (and importance), experiments, the Vision answers and the MVP (#13). */
	AddRelationsExperimentsVisionAndMvp: 'AddRelationsExperimentsVisionAndMvp',
	/** v4 → v5: comment threads on items and frames, reaction counts of items (#14). */
	AddCommentsAndReactions: 'AddCommentsAndReactions',
	/** v5 → v6: KPIs with dated measurements (#13 item 5) and RICE estimation rounds (#13 item 7). */
	AddKpisAndEstimationRounds: 'AddKpisAndEstimationRounds',
	/** v6 → v7: each item's lifecycle status (with its reason) and its CD3 estimate (#13 item 10). */
	AddStatusAndCd3: 'AddStatusAndCd3',
} as const

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * v1 → v2. A version-1 file has no vote data (`votes` was reserved as null),
 * so it gets an empty `votingSessions`, and an item without `votes` gets null.
 * Anything else (a non-null `votes`, items not an array) is left as it is for
 * validation to report: it was not a valid version-1 file either.
 */
export function addVoteResults(doc: Record<string, unknown>): Record<string, unknown> {
	const items = Array.isArray(doc.items)
		? doc.items.map((item: unknown) => (isObject(item) && !('votes' in item) ? { ...item, votes: null } : item))
		: doc.items
	return { ...doc, items, votingSessions: [] }
}

/** What a version-2 import gave every note: unrotated, default size, its kind's colour. */
const VERSION_2_NOTE_PLACEMENT = { rotation: 0, scale: 1, growY: 0 } as const

/**
 * v2 → v3. A version-2 file has no rotation, size or colour of its notes, so
 * each item gets the values an import of it always produced: rotation 0,
 * scale 1, growY 0 and color null (the kind's colour). Fields already there
 * are kept, and anything malformed (a position that is not an object, items
 * not an array) is left for validation to report.
 */
export function addNoteRotationSizeAndColor(doc: Record<string, unknown>): Record<string, unknown> {
	const items = Array.isArray(doc.items)
		? doc.items.map((item: unknown) => {
				if (!isObject(item)) return item
				const position = isObject(item.position) ? { ...VERSION_2_NOTE_PLACEMENT, ...item.position } : item.position
				return { color: null, ...item, position }
			})
		: doc.items
	return { ...doc, items }
}

/**
 * v3 → v4. A version-3 file has no links, experiments, vision prompts or MVP
 * marks (there was no `experiment` kind, no arrow was exported): no relation,
 * every idea and feature has importance 0, no item is in the MVP, no frame is
 * a prompt or the MVP scope. (A version-3 board's "6 · MVP scope" stage frame
 * keeps `stage: 6`, so its features are in the MVP again once imported.)
 * Fields already there are kept; malformed parts are left for validation.
 */
export function addRelationsExperimentsVisionAndMvp(doc: Record<string, unknown>): Record<string, unknown> {
	const items = Array.isArray(doc.items)
		? doc.items.map((item: unknown) => {
				if (!isObject(item)) return item
				const importance = item.kind === 'idea' || item.kind === 'feature' ? 0 : null
				return { importance, experiment: null, mvp: false, ...item }
			})
		: doc.items
	const frames = Array.isArray(doc.frames) ? doc.frames.map((frame: unknown) => (isObject(frame) ? { visionPrompt: null, mvpScope: false, ...frame } : frame)) : doc.frames
	return {
		relations: [],
		vision: { opportunity: [], willingnessToPay: [], existingSolutions: [], successMeasure: [] },
		...doc,
		items,
		frames,
	}
}

/**
 * v4 → v5. A version-4 board had no comments and no reactions: every item gets
 * `comments: []` and `reactions: []`, every frame `comments: []`. Fields
 * already there are kept; malformed parts are left for validation.
 */
export function addCommentsAndReactions(doc: Record<string, unknown>): Record<string, unknown> {
	const items = Array.isArray(doc.items) ? doc.items.map((item: unknown) => (isObject(item) ? { comments: [], reactions: [], ...item } : item)) : doc.items
	const frames = Array.isArray(doc.frames) ? doc.frames.map((frame: unknown) => (isObject(frame) ? { comments: [], ...frame } : frame)) : doc.frames
	return { ...doc, items, frames }
}

/**
 * v5 → v6. A version-5 file has no KPI fields (there was no `meta.kpi`): each
 * KPI item gets an entry with no metric, unit, baseline, target or
 * measurements, direction increase, status no-data, and `measures` from its
 * `measures` relations (relation order); and no estimation rounds. Only adds
 * `kpis` and `estimationRounds`; fields already there are kept; malformed
 * parts are left for validation.
 */
export function addKpisAndEstimationRounds(doc: Record<string, unknown>): Record<string, unknown> {
	const rounds = 'estimationRounds' in doc ? {} : { estimationRounds: [] }
	if ('kpis' in doc) return { ...doc, ...rounds }
	const relations = Array.isArray(doc.relations) ? doc.relations.filter(isObject) : []
	const kpis = Array.isArray(doc.items)
		? doc.items
				.filter((item: unknown) => isObject(item) && item.kind === 'kpi')
				.map((item) => {
					const itemId = (item as Record<string, unknown>).id
					const measures = relations.filter((r) => r.type === 'measures' && r.from === itemId).map((r) => r.to)
					return { itemId, metric: null, unit: null, baseline: null, target: null, direction: 'increase', measurements: [], latest: null, status: 'no-data', progress: null, measures }
				})
		: []
	return { ...doc, kpis, ...rounds }
}

/**
 * v6 → v7. Boards before version 7 had no item status and no CD3: every item
 * is `new` with no reason and an empty (incomplete) CD3. Only these three
 * fields are added, so it stacks on whatever version 6 added; fields already
 * there are kept, malformed parts are left for validation.
 */
export function addStatusAndCd3(doc: Record<string, unknown>): Record<string, unknown> {
	const empty = () => ({ costOfDelay: null, duration: null, score: null, status: 'incomplete' })
	const items = Array.isArray(doc.items) ? doc.items.map((item: unknown) => (isObject(item) ? { status: 'new', statusReason: null, cd3: empty(), ...item } : item)) : doc.items
	return { ...doc, items }
}

export const BOARD_EXPORT_MIGRATIONS: readonly BoardExportMigration[] = [
	{ name: BoardExportMigrationIds.AddVoteResults, from: 1, up: addVoteResults },
	{ name: BoardExportMigrationIds.AddNoteRotationSizeAndColor, from: 2, up: addNoteRotationSizeAndColor },
	{ name: BoardExportMigrationIds.AddRelationsExperimentsVisionAndMvp, from: 3, up: addRelationsExperimentsVisionAndMvp },
	{ name: BoardExportMigrationIds.AddCommentsAndReactions, from: 4, up: addCommentsAndReactions },
	{ name: BoardExportMigrationIds.AddKpisAndEstimationRounds, from: 5, up: addKpisAndEstimationRounds },
	{ name: BoardExportMigrationIds.AddStatusAndCd3, from: 6, up: addStatusAndCd3 },
]

export type MigrationResult =
	| { ok: true; value: Record<string, unknown>; fromVersion: number; applied: string[] }
	| { ok: false; message: string }

export interface MigrateOptions {
	migrations?: readonly BoardExportMigration[]
	currentVersion?: number
}

/**
 * Checks that a migration list is usable: one migration per version step,
 * ending at `currentVersion`. Throws on a programming error.
 */
export function assertMigrationSequence(migrations: readonly BoardExportMigration[], currentVersion: number): void {
	const names = new Set<string>()
	const froms = new Set<number>()
	for (const m of migrations) {
		if (!m.name || names.has(m.name)) throw new Error(`duplicate or empty migration name ${JSON.stringify(m.name)}`)
		if (!Number.isInteger(m.from) || m.from < 1 || m.from >= currentVersion) {
			throw new Error(`migration ${m.name} upgrades from ${m.from}, outside 1..${currentVersion - 1}`)
		}
		if (froms.has(m.from)) throw new Error(`two migrations upgrade from version ${m.from}`)
		names.add(m.name)
		froms.add(m.from)
	}
}

/** Upgrades a parsed export file to the current version (no validation of the content). */
export function migrateBoardExport(json: unknown, options: MigrateOptions = {}): MigrationResult {
	const migrations = options.migrations ?? BOARD_EXPORT_MIGRATIONS
	const currentVersion = options.currentVersion ?? BOARD_EXPORT_SCHEMA_VERSION
	if (!isObject(json)) return { ok: false, message: 'Not a Workshop Board export: expected a JSON object.' }
	const version = json.schemaVersion
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
		return { ok: false, message: 'Not a Workshop Board export: schemaVersion is missing or not a positive integer.' }
	}
	if (version > currentVersion) {
		return {
			ok: false,
			message: `This file was exported by a newer version of Workshop Board (schemaVersion ${version}); this version reads up to ${currentVersion}. Update Workshop Board to import it.`,
		}
	}
	let doc: Record<string, unknown> = json
	const applied: string[] = []
	for (let v = version; v < currentVersion; v++) {
		const migration = migrations.find((m) => m.from === v)
		if (!migration) return { ok: false, message: `Cannot import schemaVersion ${version}: no migration from version ${v}.` }
		doc = migration.up(structuredClone(doc))
		doc.schemaVersion = v + 1
		applied.push(migration.name)
	}
	return { ok: true, value: doc, fromVersion: version, applied }
}
