/**
 * The JSON Schema of the export format, generated from BoardExportSchema with
 * zod 4's `z.toJSONSchema`. Committed at docs/board-export.schema.json by
 * `npm run schema:export` (scripts/generate-export-schema.ts); a unit test
 * fails when the committed file is stale. Cross-reference checks (unique ids,
 * known theme ids) are zod refinements and do not appear in the JSON Schema.
 */
import { z } from 'zod'
import { BoardExportSchema } from './schema'

export const BOARD_EXPORT_SCHEMA_PATH = 'docs/board-export.schema.json'

export function boardExportJsonSchema(): Record<string, unknown> {
	return z.toJSONSchema(BoardExportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>
}

/** Pretty, stable text of the schema file (2-space indent, trailing newline). */
export function boardExportJsonSchemaText(): string {
	return `${JSON.stringify(boardExportJsonSchema(), null, 2)}\n`
}
