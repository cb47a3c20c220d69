/**
 * Export format version 2: closed voting sessions' results in the export
 * (merge into items[].votes, no open-session leakage, no voter identities),
 * the named v1 → v2 migration, the Markdown and CSV renderings, and what an
 * import does with votes (drops them).
 */
import { describe, expect, it } from 'vitest'
import {
	BOARD_EXPORT_SCHEMA_VERSION,
	BoardExportMigrationIds,
	BoardExportSchema,
	boardExportToCsv,
	boardExportToMarkdown,
	boardExportToRecords,
	buildBoardExport,
	CSV_COLUMNS,
	exportVotingSessions,
	migrateBoardExport,
	parseBoardImport,
	type BoardExport,
	type ClosedVotingInput,
} from '../../shared/export'
import type { RecordLike } from '../../shared/items/containment'
import type { VoteResults } from '../../shared/session/messages'
import { plainTextToRichText } from '../../shared/text/richText'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'
import { NO_LIFECYCLE } from './exportFixtures'

const NOW = Date.UTC(2025, 2, 1, 12, 0, 0)
const CLOSED_EARLY = Date.UTC(2025, 2, 1, 10, 0, 0)
const CLOSED_LATE = Date.UTC(2025, 2, 1, 11, 30, 0)

function note(id: string, x: number, y: number, text: string, kind: string): RecordLike {
	return {
		id,
		typeName: 'shape',
		type: 'note',
		x,
		y,
		rotation: 0,
		parentId: 'page:main',
		index: 'a1',
		isLocked: false,
		opacity: 1,
		props: { color: 'yellow', richText: plainTextToRichText(text), scale: 1, growY: 0 },
		meta: { kind },
	}
}

const RECORDS: RecordLike[] = [
	{ id: 'page:main', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} },
	note('shape:n1', 0, 0, 'Onboarding checklist', 'feature'),
	note('shape:n2', 300, 0, 'Annual | discount', 'idea'),
	note('shape:n3', 600, 0, 'Live-voted idea', 'idea'),
	note('shape:n4', 900, 0, 'Nobody voted', 'question'),
]

/** A named session, as the server's session store has it (VoteResults with voters): names must not reach the export. */
const LATE_RESULTS: VoteResults = {
	items: [{ itemId: 'shape:n1', count: 4, rank: 1, voters: [{ participantId: 'secret-voter-1', name: 'Grace Hopper', count: 4 }] }],
	totalDots: 4,
	voterCount: 1,
}
const LATE: ClosedVotingInput = { id: 'vote-late', title: 'Second round', anonymous: false, closedAt: CLOSED_LATE, results: LATE_RESULTS }

const EARLY: ClosedVotingInput = {
	id: 'vote-early',
	title: 'Which problems first?',
	status: 'closed',
	anonymous: true,
	closedAt: CLOSED_EARLY,
	results: {
		// Listed out of order; 'shape:gone' was voted on and deleted since.
		items: [
			{ itemId: 'shape:n1', count: 2, rank: 2 },
			{ itemId: 'shape:n2', count: 3, rank: 1 },
			{ itemId: 'shape:gone', count: 2, rank: 2 },
		],
		totalDots: 7,
		voterCount: 3,
	},
}

/** Open sessions, as the client's session state has them: never exported, even with visible results. */
const OPEN_VISIBLE: ClosedVotingInput = {
	id: 'vote-open-visible',
	title: 'LIVE-VOTE-TITLE',
	status: 'open',
	anonymous: false,
	closedAt: null,
	results: { items: [{ itemId: 'shape:n3', count: 5, rank: 1 }], totalDots: 5, voterCount: 2 },
}
const OPEN_STRANGE: ClosedVotingInput = { ...OPEN_VISIBLE, id: 'vote-open-strange', title: 'OPEN-WITH-CLOSED-AT', closedAt: CLOSED_LATE }
const OPEN_HIDDEN: ClosedVotingInput = { ...OPEN_VISIBLE, id: 'vote-open-hidden', title: 'HIDDEN-TITLE', results: null }

function exportWithVotes(sessions: readonly ClosedVotingInput[] = [LATE, OPEN_VISIBLE, EARLY, OPEN_STRANGE, OPEN_HIDDEN]): BoardExport {
	return buildBoardExport({ boardId: 'board-votes', title: 'Votes', records: RECORDS, now: NOW, votingSessions: sessions })
}

describe('buildBoardExport with voting sessions', () => {
	const data = exportWithVotes()
	const item = (id: string) => data.items.find((i) => i.id === id)!

	it('lists closed sessions oldest first, results best first, valid against the zod schema and the JSON Schema', () => {
		expect(data.votingSessions).toEqual([
			{
				id: 'vote-early',
				title: 'Which problems first?',
				status: 'closed',
				anonymous: true,
				closedAt: '2025-03-01T10:00:00.000Z',
				totalDots: 7,
				voterCount: 3,
				results: [
					{ itemId: 'shape:n2', count: 3, rank: 1 },
					{ itemId: 'shape:gone', count: 2, rank: 2 },
					{ itemId: 'shape:n1', count: 2, rank: 2 },
				],
			},
			{
				id: 'vote-late',
				title: 'Second round',
				status: 'closed',
				anonymous: false,
				closedAt: '2025-03-01T11:30:00.000Z',
				totalDots: 4,
				voterCount: 1,
				results: [{ itemId: 'shape:n1', count: 4, rank: 1 }],
			},
		])
		const parsed = BoardExportSchema.safeParse(data)
		expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
		expectValidAgainstExportJsonSchema(JSON.parse(JSON.stringify(data)))
	})

	it('merges the results into items[].votes: total over sessions, per-session count and rank, null without dots', () => {
		expect(item('shape:n1').votes).toEqual({
			total: 6,
			bySession: [
				{ sessionId: 'vote-early', count: 2, rank: 2 },
				{ sessionId: 'vote-late', count: 4, rank: 1 },
			],
		})
		expect(item('shape:n2').votes).toEqual({ total: 3, bySession: [{ sessionId: 'vote-early', count: 3, rank: 1 }] })
		expect(item('shape:n4').votes).toBeNull()
		// A result for a deleted item stays in its session (ranks keep their meaning) but makes no item.
		expect(data.items.map((i) => i.id)).not.toContain('shape:gone')
	})

	it('never exports an open session, whatever it carries (visible results, a closedAt, hidden results)', () => {
		expect(data.votingSessions.map((s) => s.id)).toEqual(['vote-early', 'vote-late'])
		expect(item('shape:n3').votes).toBeNull()
		const text = [JSON.stringify(data), boardExportToMarkdown(data), boardExportToCsv(data)].join('\n')
		for (const secret of ['vote-open', 'LIVE-VOTE-TITLE', 'OPEN-WITH-CLOSED-AT', 'HIDDEN-TITLE']) expect(text).not.toContain(secret)
		// Only open sessions: same as none.
		const onlyOpen = exportWithVotes([OPEN_VISIBLE, OPEN_STRANGE, OPEN_HIDDEN])
		expect(onlyOpen.votingSessions).toEqual([])
		expect(onlyOpen.items.every((i) => i.votes === null)).toBe(true)
	})

	it('never copies voter identities of named sessions', () => {
		const text = JSON.stringify(data)
		expect(text).not.toContain('secret-voter-1')
		expect(text).not.toContain('Grace Hopper')
		expect(text).not.toContain('voters')
		expect(boardExportToMarkdown(data)).not.toContain('Grace')
	})

	it('is deterministic whatever the input order', () => {
		expect(exportWithVotes([EARLY, LATE])).toEqual(exportWithVotes([LATE, OPEN_HIDDEN, EARLY]))
	})

	it('skips malformed entries instead of producing an invalid export', () => {
		const { sessions, byItem } = exportVotingSessions([
			{ ...EARLY, id: 'dup' },
			{ ...LATE, id: 'dup' },
			{ ...EARLY, id: 'bad-time', closedAt: Number.NaN },
			{ ...EARLY, id: '' },
			{
				id: 'messy',
				title: 'x'.repeat(500),
				anonymous: true,
				closedAt: CLOSED_LATE,
				results: {
					items: [
						{ itemId: 'shape:n1', count: 0, rank: 1 },
						{ itemId: 'shape:n2', count: 2, rank: 1.5 },
						{ itemId: '', count: 1, rank: 1 },
						{ itemId: 'shape:n4', count: 1, rank: 1 },
						{ itemId: 'shape:n4', count: 9, rank: 1 },
					],
					totalDots: -1,
					voterCount: Number.NaN,
				},
			},
		])
		expect(sessions.map((s) => s.id)).toEqual(['dup', 'messy'])
		expect(sessions[0].title).toBe('Which problems first?') // the first of two with one id wins
		expect(sessions[1]).toMatchObject({ results: [{ itemId: 'shape:n4', count: 1, rank: 1 }], totalDots: 1, voterCount: 0 })
		expect(sessions[1].title).toHaveLength(200)
		expect(byItem.get('shape:n4')).toEqual({ total: 1, bySession: [{ sessionId: 'messy', count: 1, rank: 1 }] })
	})
})

describe('vote cross-references', () => {
	const issuesOf = (doc: unknown) => {
		const result = parseBoardImport(doc)
		return result.ok ? [] : result.issues
	}

	it('rejects votes that disagree with the sessions', () => {
		const data = exportWithVotes()
		const n1 = data.items.findIndex((i) => i.id === 'shape:n1')
		const unknownSession = structuredClone(data)
		unknownSession.items[n1].votes!.bySession[0].sessionId = 'nope'
		expect(issuesOf(unknownSession)).toContainEqual({ path: `items.${n1}.votes.bySession.0.sessionId`, message: 'unknown voting session "nope"' })

		const wrongCount = structuredClone(data)
		wrongCount.items[n1].votes!.bySession[1].count = 5
		expect(issuesOf(wrongCount).map((i) => i.path)).toEqual(expect.arrayContaining([`items.${n1}.votes.bySession.1`, `items.${n1}.votes.total`]))

		const duplicate = structuredClone(data)
		duplicate.votingSessions[1].id = 'vote-early'
		expect(issuesOf(duplicate)).toContainEqual({ path: 'votingSessions.1.id', message: 'duplicate id "vote-early"' })

		const openSession = structuredClone(data) as unknown as { votingSessions: { status: string }[] }
		openSession.votingSessions[0].status = 'open'
		expect(issuesOf(openSession).map((i) => i.path)).toContain('votingSessions.0.status')
	})

	it('requires votingSessions (version 2 and later)', () => {
		const { votingSessions: _dropped, ...rest } = exportWithVotes([])
		expect(issuesOf(rest).map((i) => i.path)).toContain('votingSessions')
	})
})

/** A version-1 file as Workshop Board 1 wrote it (kept literal: the migration must read old files, not today's builder output). */
const V1_FILE = {
	schemaVersion: 1,
	board: { id: 'old-board', title: 'Old board', exportedAt: '2025-01-15T12:00:00.000Z', template: 'discovery' },
	items: [
		{
			id: 'shape:a',
			kind: 'idea',
			text: 'An idea from version 1',
			tags: ['legacy'],
			author: { id: 'u-ada', name: 'Ada' },
			createdAt: '2025-01-10T09:00:00.000Z',
			updatedAt: null,
			themeId: null,
			lane: null,
			rice: { reach: 10, impact: 1, confidence: 50, effort: 1, score: 5, status: 'complete' },
			votes: null,
			jtbd: null,
			quadrant: null,
			position: { x: 10, y: 20, pageId: 'page:page' },
		},
	],
	themes: [],
	lanes: [
		{ id: 'now', themeIds: [] },
		{ id: 'next', themeIds: [] },
		{ id: 'later', themeIds: [] },
	],
	frames: [],
}

describe(`migration ${BoardExportMigrationIds.AddVoteResults} (v1 → v2)`, () => {
	it('is applied by name and gives v1 files no vote results', () => {
		const input = structuredClone(V1_FILE)
		const migrated = migrateBoardExport(input)
		// The chain goes on to the current version; AddVoteResults is the v1 → v2 step of it.
		expect(migrated).toMatchObject({ ok: true, fromVersion: 1, applied: ['AddVoteResults', 'AddNoteRotationSizeAndColor', 'AddRelationsExperimentsVisionAndMvp', 'AddCommentsAndReactions', 'AddKpisAndEstimationRounds', 'AddStatusAndCd3'] })
		expect(input).toEqual(V1_FILE) // not mutated
		const result = parseBoardImport(structuredClone(V1_FILE))
		expect(result.ok).toBe(true)
		if (!result.ok) return
		expect(result.migrations).toEqual(['AddVoteResults', 'AddNoteRotationSizeAndColor', 'AddRelationsExperimentsVisionAndMvp', 'AddCommentsAndReactions', 'AddKpisAndEstimationRounds', 'AddStatusAndCd3'])
		expect(result.data.schemaVersion).toBe(BOARD_EXPORT_SCHEMA_VERSION)
		expect(result.data.votingSessions).toEqual([])
		expect(result.data.items[0]).toEqual({
			...V1_FILE.items[0],
			votes: null,
			position: { ...V1_FILE.items[0].position, rotation: 0, scale: 1, growY: 0 },
			color: null,
			importance: V1_FILE.items[0].kind === 'idea' || V1_FILE.items[0].kind === 'feature' ? 0 : null,
			experiment: null,
			mvp: false,
			comments: [],
			reactions: [],
			...NO_LIFECYCLE,
		})
	})

	it('fills a missing votes field but leaves an invalid one for validation to report', () => {
		const { votes: _dropped, ...withoutVotes } = V1_FILE.items[0]
		const missing = parseBoardImport({ ...V1_FILE, items: [withoutVotes] })
		expect(missing.ok && missing.data.items[0].votes).toBeNull()
		const invalid = parseBoardImport({ ...V1_FILE, items: [{ ...V1_FILE.items[0], votes: 3 }] })
		expect(invalid.ok).toBe(false)
		if (!invalid.ok) expect(invalid.issues.map((i) => i.path)).toContain('items.0.votes')
	})

	it('imports a current-version file as it is', () => {
		const result = parseBoardImport(JSON.parse(JSON.stringify(exportWithVotes())))
		expect(result).toMatchObject({ ok: true, fromVersion: BOARD_EXPORT_SCHEMA_VERSION, migrations: [] })
		if (result.ok) expect(result.data).toEqual(exportWithVotes())
	})
})

describe('renderers', () => {
	it('Markdown: a "Vote results" section with each closed session ranked', () => {
		const md = boardExportToMarkdown(exportWithVotes())
		const section = md.slice(md.indexOf('## Vote results'))
		expect(md.indexOf('## Vote results')).toBeGreaterThan(md.indexOf('## Jobs to be done'))
		expect(section).toContain(
			[
				'### Which problems first?',
				'',
				'Closed 2025-03-01 10:00 UTC · 7 dots from 3 voters · anonymous',
				'',
				'| Rank | Item | Kind | Dots |',
				'|---|---|---|---|',
				'| 1 | Annual \\| discount | Idea | 3 |',
				'| 2 | _(no longer on the board)_ | — | 2 |',
				'| 2 | Onboarding checklist | Feature | 2 |',
				'',
				'### Second round',
				'',
				'Closed 2025-03-01 11:30 UTC · 4 dots from 1 voter · named',
				'',
				'| Rank | Item | Kind | Dots |',
				'|---|---|---|---|',
				'| 1 | Onboarding checklist | Feature | 4 |',
			].join('\n'),
		)
		const empty = boardExportToMarkdown(exportWithVotes([{ ...EARLY, results: { items: [], totalDots: 0, voterCount: 0 } }]))
		expect(empty).toContain('_No dots were placed._')
		expect(boardExportToMarkdown(exportWithVotes([]))).not.toContain('Vote results')
	})

	it('CSV: existing columns keep their place; votes lists the sessions, votes_total is added at the end', () => {
		expect(CSV_COLUMNS.slice(23, 28)).toEqual(['votes', 'page_id', 'x', 'y', 'votes_total'])
		expect(CSV_COLUMNS.indexOf('votes')).toBe(23)
		// Version 4's eight columns follow votes_total (no commas in them for these items): cut them off.
		const upToVotesTotal = (row: string) => row.split(',').slice(0, -(CSV_COLUMNS.length - 28)).join(',')
		const rows = boardExportToCsv(exportWithVotes()).trimEnd().split('\r\n').map(upToVotesTotal)
		const rowOf = (id: string) => rows.find((r) => r.startsWith(`${id},`))!
		expect(rowOf('shape:n1')).toMatch(/,Which problems first\?: 2 \(#2\); Second round: 4 \(#1\),page:main,0,0,6$/u)
		expect(rowOf('shape:n4')).toMatch(/,,page:main,900,0,0$/u) // sessions exist, no dot: 0
		const noSessions = boardExportToCsv(exportWithVotes([])).trimEnd().split('\r\n').map(upToVotesTotal)
		expect(noSessions[1]).toMatch(/,page:main,0,0,$/u) // no closed session at all: empty
		const hostile = boardExportToCsv(exportWithVotes([{ ...EARLY, title: '=HYPERLINK("x")' }]))
		expect(hostile).toContain(`"'=HYPERLINK(""x""): 2 (#2)"`)
	})
})

describe('import of an export with votes', () => {
	/**
	 * What is compared: everything (items with all typed fields, positions,
	 * themes, lanes, frames, board title and template) except the ids (replaced
	 * by order of first appearance), board id, exportedAt and the vote data that
	 * import drops (items[].votes, votingSessions).
	 */
	const comparable = (data: BoardExport) => {
		const ids = new Map<string, string>()
		const alias = (id: string) => ids.get(id) ?? (ids.set(id, `#${ids.size}`), ids.get(id)!)
		return {
			...data,
			board: { ...data.board, id: '<id>', exportedAt: '<time>' },
			items: data.items.map((i) => ({ ...i, id: alias(i.id), votes: null, position: { ...i.position, pageId: alias(i.position.pageId) } })),
			votingSessions: [],
		}
	}

	it('drops vote results: export → import → export is equal apart from ids, timestamps and votes', () => {
		const first = exportWithVotes()
		let n = 0
		const records = boardExportToRecords(first, { newId: () => `imp${++n}` })
		for (const record of records) expect(Object.keys((record.meta ?? {}) as object)).not.toContain('votes')
		// The new board has no closed sessions of its own yet.
		const second = buildBoardExport({ boardId: 'imported', title: 'Votes', records, now: NOW + 1000 })
		expect(second.votingSessions).toEqual([])
		expect(second.items.every((i) => i.votes === null)).toBe(true)
		expect(comparable(second)).toEqual(comparable(first))
	})
})
