/** The committed JSON Schema of the board export (docs/board-export.schema.json), compiled once for all tests. */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { expect } from 'vitest'
import { BOARD_EXPORT_SCHEMA_PATH } from '../../shared/export'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const ajv = new Ajv2020({ allErrors: true })
addFormats(ajv)
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(repoRoot, BOARD_EXPORT_SCHEMA_PATH), 'utf8')) as object)

/** Fails the test, listing ajv's errors, when `data` does not validate against the committed schema. */
export function expectValidAgainstExportJsonSchema(data: unknown): void {
	expect(validate(data), JSON.stringify(validate.errors)).toBe(true)
}
