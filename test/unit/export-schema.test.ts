import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BOARD_EXPORT_SCHEMA_PATH, boardExportJsonSchema, boardExportJsonSchemaText } from '../../shared/export/jsonSchema'

describe('docs/board-export.schema.json', () => {
	it('is up to date with BoardExportSchema', () => {
		const committed = readFileSync(resolve(import.meta.dirname, '../..', BOARD_EXPORT_SCHEMA_PATH), 'utf8')
		const generated = boardExportJsonSchemaText()
		if (committed !== generated) {
			expect.fail(`${BOARD_EXPORT_SCHEMA_PATH} is stale: run \`npm run schema:export\` and commit the result.`)
		}
	})

	it('is generated deterministically', () => {
		expect(boardExportJsonSchemaText()).toBe(boardExportJsonSchemaText())
	})

	it('describes the version-2 document', () => {
		const schema = boardExportJsonSchema() as { properties: Record<string, { const?: unknown }>; required: string[]; title: string }
		expect(schema.title).toBe('Workshop Board export')
		expect(schema.properties.schemaVersion.const).toBe(2)
		expect(schema.required).toEqual(['schemaVersion', 'board', 'items', 'themes', 'lanes', 'frames', 'votingSessions'])
	})
})
