/**
 * Named migrations of the Y.Doc layout (shared/docLayout.ts), applied by a
 * client that can write when it opens a board stamped with an older
 * `boardMeta.layoutVersion`. Each migration upgrades from `from` to
 * `from + 1` inside the caller's transaction. Once a board is stamped with
 * the new version, older clients see a newer layout and stay read-only (the
 * schema gate, client/sync/schemaGate.ts), so they never write a shape the
 * new layout no longer accepts.
 *
 * | from | name | change |
 * |---|---|---|
 * | 1 | AddCommentsAndReactions | adds the `comments` and `reactions` top-level maps (empty: Yjs top-level types exist by name, so nothing is written but the version) |
 */
import * as Y from 'yjs'
import { BOARD_META_MAP, BoardMetaKey, COMMENTS_MAP, DOC_LAYOUT_VERSION, REACTIONS_MAP } from './docLayout'

export interface DocLayoutMigration {
	name: string
	from: number
	up(doc: Y.Doc): void
}

export const DocLayoutMigrationIds = {
	/** 1 → 2: comment threads and sticky reactions (#14). */
	AddCommentsAndReactions: 'AddCommentsAndReactions',
} as const

export const DOC_LAYOUT_MIGRATIONS: readonly DocLayoutMigration[] = [
	{
		name: DocLayoutMigrationIds.AddCommentsAndReactions,
		from: 1,
		up(doc) {
			// Naming the types is all it takes; they stay empty until someone comments or reacts.
			doc.getMap(COMMENTS_MAP)
			doc.getMap(REACTIONS_MAP)
		},
	},
]

/**
 * The layout version a board is stamped with; a board without one (or with a
 * malformed one) is treated as version 1, the layout before versions were read.
 */
export function readLayoutVersion(doc: Y.Doc): number {
	const stored = doc.getMap<unknown>(BOARD_META_MAP).get(BoardMetaKey.layoutVersion)
	return typeof stored === 'number' && Number.isInteger(stored) && stored >= 1 ? stored : 1
}

/**
 * Migrates the doc up to DOC_LAYOUT_VERSION and stamps it. Returns the names
 * applied (empty when the doc was current). A doc from a newer layout is left
 * alone (the caller must not write it). Call inside a transaction.
 */
export function migrateDocLayout(doc: Y.Doc, migrations: readonly DocLayoutMigration[] = DOC_LAYOUT_MIGRATIONS, target = DOC_LAYOUT_VERSION): string[] {
	const from = readLayoutVersion(doc)
	if (from > target) return []
	const applied: string[] = []
	for (let v = from; v < target; v++) {
		const migration = migrations.find((m) => m.from === v)
		if (!migration) throw new Error(`no document layout migration from version ${v}`)
		migration.up(doc)
		applied.push(migration.name)
	}
	const meta = doc.getMap<unknown>(BOARD_META_MAP)
	if (meta.get(BoardMetaKey.layoutVersion) !== target) meta.set(BoardMetaKey.layoutVersion, target)
	return applied
}
