/**
 * Writes docs/board-export.schema.json from the zod export schema.
 * Run with `npm run schema:export` after changing shared/export/schema.ts.
 */
import { writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BOARD_EXPORT_SCHEMA_PATH, boardExportJsonSchemaText } from '../shared/export/jsonSchema'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const target = resolve(root, BOARD_EXPORT_SCHEMA_PATH)
writeFileSync(target, boardExportJsonSchemaText())
console.log(`wrote ${BOARD_EXPORT_SCHEMA_PATH}`)
