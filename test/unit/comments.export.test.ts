import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addReply, addThread, readConversation, setThreadResolved, toggleReaction } from '../../shared/comments'
import {
	BOARD_EXPORT_SCHEMA_VERSION,
	BoardExportMigrationIds,
	BoardExportSchema,
	boardExportToCsv,
	boardExportToMarkdown,
	buildBoardExport,
	CSV_COLUMNS,
	migrateBoardExport,
	parseBoardImport,
} from '../../shared/export'
import { BOARD_EXPORT_SCHEMA_PATH } from '../../shared/export/jsonSchema'
import { frame, note, page } from './exportFixtures'

/** One RFC 4180 line (no line breaks inside cells here) split into its cells. */
function parseCsvLine(line: string): string[] {
	const cells: string[] = []
	let cell = ''
	let quoted = false
	for (let i = 0; i < line.length; i++) {
		const char = line[i]!
		if (quoted) {
			if (char === '"' && line[i + 1] === '"') {
				cell += '"'
				i++
			} else if (char === '"') quoted = false
			else cell += char
		} else if (char === '"') quoted = true
		else if (char === ',') {
			cells.push(cell)
			cell = ''
		} else cell += char
	}
	cells.push(cell)
	return cells
}

const ana = { key: 'AAAAAAAAAAAAAAAA', name: 'Ana' }
const bo = { key: 'BBBBBBBBBBBBBBBB', name: 'Bo' }
const T = Date.UTC(2026, 0, 5, 10, 0, 0)

function boardWithConversation() {
	const doc = new Y.Doc()
	const open = addThread(doc, 'shape:n1', ana, 'Who owns onboarding? @Bo', { now: T, mentions: [bo] })
	addReply(doc, open, bo, 'I do, since March', { now: T + 60_000 })
	const done = addThread(doc, 'shape:n1', bo, 'Typo in the title', { now: T + 1000 })
	setThreadResolved(doc, done, true, ana, { now: T + 2000 })
	addThread(doc, 'shape:stage', ana, 'Is this stage done?', { now: T + 3000 })
	toggleReaction(doc, 'shape:n1', '💡', ana, { now: T })
	toggleReaction(doc, 'shape:n1', '👍', ana, { now: T })
	toggleReaction(doc, 'shape:n1', '👍', bo, { now: T })
	const records = [
		page('page:main', 'a1'),
		frame('shape:stage', 0, 0, 1000, 800, { stage: 1 }),
		note('shape:n1', 100, 100, 'Onboarding checklist', { kind: 'feature' }, 'shape:stage'),
		note('shape:n2', 400, 100, 'Quiet sticky', { kind: 'idea' }, 'shape:stage'),
	]
	return { doc, records, openThreadId: open, resolvedThreadId: done }
}

describe('export of comments and reactions (version 5)', () => {
	const { doc, records, openThreadId, resolvedThreadId } = boardWithConversation()
	const data = buildBoardExport({ boardId: 'board-c', title: 'Comments', records, now: T + 10_000, conversation: readConversation(doc) })
	const item = (id: string) => data.items.find((i) => i.id === id)!

	it('writes items[].comments thread by thread, and reaction counts', () => {
		expect(BoardExportSchema.safeParse(data).success).toBe(true)
		expect(item('shape:n1').comments).toEqual([
			{ threadId: openThreadId, text: 'Who owns onboarding? @Bo', author: 'Ana', createdAt: '2026-01-05T10:00:00.000Z', editedAt: null, resolved: false, reply: false },
			{ threadId: openThreadId, text: 'I do, since March', author: 'Bo', createdAt: '2026-01-05T10:01:00.000Z', editedAt: null, resolved: false, reply: true },
			{ threadId: resolvedThreadId, text: 'Typo in the title', author: 'Bo', createdAt: '2026-01-05T10:00:01.000Z', editedAt: null, resolved: true, reply: false },
		])
		expect(item('shape:n1').reactions).toEqual([
			{ emoji: '👍', count: 2 },
			{ emoji: '💡', count: 1 },
		])
		expect(item('shape:n2')).toMatchObject({ comments: [], reactions: [] })
		expect(data.frames.find((f) => f.id === 'shape:stage')!.comments.map((c) => c.text)).toEqual(['Is this stage done?'])
	})

	it('is valid against the committed JSON Schema', () => {
		const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, '../..', BOARD_EXPORT_SCHEMA_PATH), 'utf8')) as object
		const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema)
		expect(validate(JSON.parse(JSON.stringify(data))), JSON.stringify(validate.errors)).toBe(true)
	})

	it('appends open_threads, comments and reactions columns to the CSV', () => {
		// Appended after version 4's last column (a later version may append more after them).
		const at = CSV_COLUMNS.indexOf('open_threads')
		expect(CSV_COLUMNS.slice(at - 1, at + 3)).toEqual(['links', 'open_threads', 'comments', 'reactions'])
		const rows = boardExportToCsv(data).trimEnd().split('\r\n').map(parseCsvLine)
		const cells = (id: string) => rows.find((r) => r[0] === id)!.slice(at, at + 3)
		expect(rows[0]).toEqual([...CSV_COLUMNS])
		expect(cells('shape:n1')).toEqual(['1', 'Ana: Who owns onboarding? @Bo; ↳ Bo: I do, since March; Bo: Typo in the title [resolved]', '👍 2; 💡 1'])
		expect(cells('shape:n2')).toEqual(['0', '', ''])
	})

	it('lists open threads under "Open questions" in the Markdown summary', () => {
		const md = boardExportToMarkdown(data)
		const section = md.slice(md.indexOf('## Open questions'))
		expect(section.split('\n').slice(0, 7)).toEqual([
			'## Open questions',
			'',
			'- **Onboarding checklist**',
			'  - Who owns onboarding? @Bo — Ana, 2026-01-05',
			'    - ↳ I do, since March — Bo, 2026-01-05',
			'- **Frame frame shape:stage**',
			'  - Is this stage done? — Ana, 2026-01-05',
		])
		expect(md).not.toContain('Typo in the title')
		const quiet = buildBoardExport({ boardId: 'board-c', title: 'Quiet', records, now: T })
		expect(boardExportToMarkdown(quiet)).not.toContain('Open questions')
	})

	it('rejects an import with a malformed comment or a reaction listed twice', () => {
		const badComment = structuredClone(data)
		badComment.items[0]!.comments[0]!.text = ''
		expect(parseBoardImport(badComment)).toMatchObject({ ok: false, issues: [{ path: 'items.0.comments.0.text' }] })
		const twice = structuredClone(data)
		twice.items[0]!.reactions = [
			{ emoji: '👍', count: 1 },
			{ emoji: '👍', count: 2 },
		]
		expect(parseBoardImport(twice)).toMatchObject({ ok: false, issues: [{ path: 'items.0.reactions', message: 'an emoji is listed twice' }] })
		const unknown = structuredClone(data) as unknown as { items: { reactions: unknown[] }[] }
		unknown.items[0]!.reactions = [{ emoji: '💩', count: 1 }]
		expect(parseBoardImport(unknown).ok).toBe(false)
	})
})

describe(`migration ${BoardExportMigrationIds.AddCommentsAndReactions} (v4 → v5)`, () => {
	it('gives version-4 items and frames no comments and no reactions', () => {
		const { records } = boardWithConversation()
		const current = buildBoardExport({ boardId: 'board-c', title: 'Old', records, now: T })
		// A version-4 file: the same document without the version-5 fields.
		const v4 = {
			...structuredClone(current),
			schemaVersion: 4,
			items: current.items.map(({ comments: _c, reactions: _r, ...rest }) => rest),
			frames: current.frames.map(({ comments: _c, ...rest }) => rest),
		}
		const migrated = migrateBoardExport(v4)
		expect(migrated).toMatchObject({ ok: true, fromVersion: 4 })
		if (!migrated.ok) return
		expect(migrated.applied[0]).toBe('AddCommentsAndReactions')
		const result = parseBoardImport(v4)
		expect(result.ok).toBe(true)
		if (!result.ok) return
		expect(result.data.schemaVersion).toBe(BOARD_EXPORT_SCHEMA_VERSION)
		expect(result.data.items.every((i) => i.comments.length === 0 && i.reactions.length === 0)).toBe(true)
		expect(result.data.frames.every((f) => f.comments.length === 0)).toBe(true)
	})
})
