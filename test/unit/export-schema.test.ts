import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BOARD_EXPORT_SCHEMA_PATH, boardExportJsonSchema, boardExportJsonSchemaText } from '../../shared/export/jsonSchema'
import { BOARD_EXPORT_SCHEMA_VERSION } from '../../shared/export/schema'

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

	it('describes the current document', () => {
		const schema = boardExportJsonSchema() as { properties: Record<string, { const?: unknown }>; required: string[]; title: string }
		expect(schema.title).toBe('Workshop Board export')
		expect(schema.properties.schemaVersion.const).toBe(BOARD_EXPORT_SCHEMA_VERSION)
		expect(schema.required).toEqual(['schemaVersion', 'board', 'items', 'themes', 'lanes', 'frames', 'votingSessions', 'relations', 'vision'])
	})

	it('requires relations, importance, experiment fields, vision answers and the MVP flag (version 4)', () => {
		type ObjectSchema = { properties: Record<string, ObjectSchema>; required: string[]; items: ObjectSchema; enum?: unknown[]; anyOf?: ObjectSchema[] }
		const schema = boardExportJsonSchema() as unknown as ObjectSchema
		const relation = schema.properties.relations.items
		expect(relation.required).toEqual(['id', 'from', 'to', 'type'])
		expect(relation.properties.type.enum).toEqual(['solves', 'supports', 'tests', 'measures', 'relates'])
		expect(schema.properties.vision.required).toEqual(['opportunity', 'willingnessToPay', 'existingSolutions', 'successMeasure'])
		const item = schema.properties.items.items
		expect(item.required).toEqual(expect.arrayContaining(['importance', 'experiment', 'mvp']))
		expect(schema.properties.frames.items.required).toEqual(expect.arrayContaining(['visionPrompt', 'mvpScope']))
	})

	it("requires each item's rotation, size and colour (version 3)", () => {
		type ObjectSchema = { properties: Record<string, ObjectSchema>; required: string[]; items: ObjectSchema; exclusiveMinimum?: number; minimum?: number }
		const item = (boardExportJsonSchema() as unknown as ObjectSchema).properties.items.items
		expect(item.required).toContain('color')
		const position = item.properties.position
		expect(position.required).toEqual(['x', 'y', 'pageId', 'rotation', 'scale', 'growY'])
		expect(position.properties.scale.exclusiveMinimum).toBe(0)
		expect(position.properties.growY.minimum).toBe(0)
	})
})
