/**
 * The Y.Doc layout of a board. This module is the single source of truth for
 * the names a third-party Yjs client needs (see docs/protocol.md).
 */

/** Top-level Y.Map holding one Y.Map per document-scoped tldraw record, keyed by record id. */
export const RECORDS_MAP = 'records'

/** Top-level Y.Map with board-wide metadata (schema, layout version, title…). */
export const BOARD_META_MAP = 'boardMeta'

/**
 * Top-level Y.Map of comment threads (layout version 2), keyed by thread id; each value is a
 * Y.Map of ThreadKey fields whose `messages` is a Y.Array of Y.Maps (MessageKey fields), so
 * concurrent replies are array inserts that all survive. See shared/comments/commentsDoc.ts.
 */
export const COMMENTS_MAP = 'comments'

/**
 * Top-level Y.Map of sticky reactions (layout version 2): one plain JSON entry per person, sticky
 * and emoji, keyed `<shapeId>|<personKey>|<emoji>` — each person only adds or deletes their own
 * keys, so toggles never conflict. See shared/comments/reactions.ts.
 */
export const REACTIONS_MAP = 'reactions'

/** Every top-level type of the layout; nothing else is read (the server refuses others). */
export const TOP_LEVEL_TYPES = [RECORDS_MAP, BOARD_META_MAP, COMMENTS_MAP, REACTIONS_MAP] as const

/** Keys inside BOARD_META_MAP. */
export const BoardMetaKey = {
	/** Serialized tldraw schema (`store.schema.serialize()`) the records are written in. */
	tldrawSchema: 'tldrawSchema',
	/** Version of this Y.Doc layout (DOC_LAYOUT_VERSION) the board was written with. */
	layoutVersion: 'layoutVersion',
	/** Human-readable board title. */
	title: 'title',
	/** Board template the board was created from ('discovery' | 'retro' | 'blank'). */
	template: 'template',
	/** ms since epoch when the board was created. */
	createdAt: 'createdAt',
} as const

/**
 * The board-wide fields an export carries (title, template), read from the
 * boardMeta map the same way wherever an export is built (the client's export
 * panel, the server's export API): a title is cut at 500 characters, a
 * template must be 1–64 characters.
 */
export function readExportMeta(meta: { get(key: string): unknown }): { title: string; template: string | undefined } {
	const title = meta.get(BoardMetaKey.title)
	const template = meta.get(BoardMetaKey.template)
	return {
		title: typeof title === 'string' ? title.slice(0, 500) : '',
		template: typeof template === 'string' && template.length > 0 && template.length <= 64 ? template : undefined,
	}
}

/**
 * Version of the layout described here. Bump it (and add a named migration in
 * shared/docMigrations.ts) whenever the shape of the Y.Doc changes.
 * 2: the `comments` and `reactions` top-level maps (DocLayoutMigrationIds.AddCommentsAndReactions).
 */
export const DOC_LAYOUT_VERSION = 2

/**
 * Fields of a record stored as nested Y.Maps (one level deep), so concurrent
 * edits of different keys of the same record merge instead of overwriting
 * each other. Every other field, and every value inside these maps, is a
 * plain JSON value replaced as a whole.
 */
export const NESTED_RECORD_FIELDS = ['props', 'meta'] as const

/**
 * tldraw record types that live in the shared document (tldraw's 'document' scope;
 * 'user' records are tldraw 5's attribution records). Everything else
 * (camera, instance, instance_page_state, pointer, instance_presence) is
 * per-session state and never enters the Y.Doc.
 */
export const DOCUMENT_RECORD_TYPES = ['document', 'page', 'shape', 'binding', 'asset', 'user'] as const
export type DocumentRecordType = (typeof DOCUMENT_RECORD_TYPES)[number]

export function isDocumentRecordId(id: string): boolean {
	const colon = id.indexOf(':')
	if (colon <= 0) return false
	return (DOCUMENT_RECORD_TYPES as readonly string[]).includes(id.slice(0, colon))
}
