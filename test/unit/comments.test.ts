import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
	addReply,
	addThread,
	CommentInputError,
	editMessage,
	findMentions,
	getCommentsMap,
	getReactionsMap,
	openThreadCounts,
	readReactions,
	readThreads,
	segmentMentions,
	setThreadResolved,
	toggleReaction,
	unseenMentions,
} from '../../shared/comments'
import { BOARD_META_MAP, BoardMetaKey, DOC_LAYOUT_VERSION } from '../../shared/docLayout'
import { DOC_LAYOUT_MIGRATIONS, DocLayoutMigrationIds, migrateDocLayout, readLayoutVersion } from '../../shared/docMigrations'
import { inspectUpdate } from '../../server/session/updateInspector'
import { findLayoutViolation } from '../../server/sync/documentLayoutGuard'
import { BoardSearchIndex } from '../../shared/search/boardSearch'
import { parseSearchQuery } from '../../shared/search/searchQuery'
import { createPeer } from './helpers/boardPeer'
import { seededRandom } from './helpers/seededRandom'
import { YNetwork } from './helpers/yNetwork'

const ana = { key: 'AAAAAAAAAAAAAAAA', name: 'Ana' }
const bo = { key: 'BBBBBBBBBBBBBBBB', name: 'Bo Kim' }
const cy = { key: 'CCCCCCCCCCCCCCCC', name: 'Cy' }

function peers(seed: number, count: number) {
	const net = new YNetwork()
	const docs = Array.from({ length: count }, (_, i) => {
		const doc = new Y.Doc()
		doc.clientID = 100 + i
		return net.connect(doc)
	})
	return { net, docs, random: seededRandom(seed) }
}

describe('comment threads in the Y.Doc', () => {
	it('keeps every concurrent reply (seeded interleavings)', () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const { net, docs, random } = peers(seed, 3)
			const threadId = addThread(docs[0]!, 'shape:n1', ana, 'Is this for new teams?', { now: 1000 })
			net.flush(random)
			// Three people reply at once, each several times, before anything is delivered.
			const authors = [ana, bo, cy]
			for (let round = 0; round < 4; round++) {
				docs.forEach((doc, i) => addReply(doc, threadId, authors[i]!, `reply ${i}.${round}`, { now: 2000 + round }))
				net.deliverRandom(random, random.int(4))
			}
			net.flush(random)
			const texts = docs.map((doc) => readThreads(doc).threads[0]!.messages.map((m) => m.text))
			expect(texts[0]).toHaveLength(13)
			expect(new Set(texts[0])).toEqual(new Set(['Is this for new teams?', ...[0, 1, 2].flatMap((i) => [0, 1, 2, 3].map((r) => `reply ${i}.${r}`))]))
			// Every peer sees the same order.
			expect(texts[1]).toEqual(texts[0])
			expect(texts[2]).toEqual(texts[0])
		}
	})

	it('merges a concurrent edit, reply and resolve of the same thread', () => {
		const { net, docs, random } = peers(7, 2)
		const threadId = addThread(docs[0]!, 'shape:n1', ana, 'first', { now: 1 })
		net.flush(random)
		const firstId = readThreads(docs[0]!).threads[0]!.messages[0]!.id
		editMessage(docs[0]!, threadId, firstId, ana, 'first (edited)', { now: 5 })
		addReply(docs[1]!, threadId, bo, 'done, resolving', { now: 6 })
		setThreadResolved(docs[1]!, threadId, true, bo, { now: 7 })
		net.flush(random)
		for (const doc of docs) {
			const [thread] = readThreads(doc).threads
			expect(thread!.resolved).toBe(true)
			expect(thread!.resolvedBy).toBe('Bo Kim')
			expect(thread!.messages.map((m) => [m.text, m.editedAt])).toEqual([
				['first (edited)', 5],
				['done, resolving', null],
			])
		}
		expect(openThreadCounts(readThreads(docs[0]!).threads).get('shape:n1')).toBeUndefined()
		setThreadResolved(docs[0]!, threadId, false, ana, { now: 8 })
		expect(openThreadCounts(readThreads(docs[0]!).threads).get('shape:n1')).toBe(1)
	})

	it('lets only the author edit, and refuses empty or oversized text', () => {
		const doc = new Y.Doc()
		const threadId = addThread(doc, 'shape:n1', ana, 'mine', { now: 1 })
		const messageId = readThreads(doc).threads[0]!.messages[0]!.id
		expect(() => editMessage(doc, threadId, messageId, bo, 'not yours', { now: 2 })).toThrow(CommentInputError)
		expect(() => addReply(doc, threadId, bo, '   ', { now: 2 })).toThrow('needs some text')
		expect(() => addThread(doc, 'shape:n1', bo, 'x'.repeat(4001), { now: 2 })).toThrow('at most 4000')
		expect(() => addReply(doc, 'nothing-here', bo, 'hi', { now: 2 })).toThrow('no longer exists')
		expect(readThreads(doc).threads[0]!.messages.map((m) => m.text)).toEqual(['mine'])
	})

	it('skips and reports malformed threads and messages written by another client', () => {
		const doc = new Y.Doc()
		const good = addThread(doc, 'shape:n1', ana, 'good', { now: 1 })
		const map = getCommentsMap(doc)
		doc.transact(() => {
			map.set('not-a-map-1', 'junk' as never)
			const noTarget = new Y.Map<unknown>()
			noTarget.set('createdAt', 1)
			noTarget.set('messages', new Y.Array())
			map.set('no-target-1', noTarget as never)
			const blob = new Y.Map<unknown>()
			blob.set('targetId', 'shape:n2')
			blob.set('createdAt', 2)
			blob.set('messages', [{ id: 'xxxxxxxx', text: 'a JSON blob, not a Y.Array' }])
			map.set('json-blob-1', blob as never)
			// A valid message next to one with a forged, too-long author name and one without text.
			const messages = map.get(good)!.get('messages') as Y.Array<Y.Map<unknown>>
			const bad = new Y.Map<unknown>()
			for (const [k, v] of Object.entries({ id: 'badmessage1', authorKey: bo.key, authorName: 'x'.repeat(500), text: 'hi', createdAt: 3 })) bad.set(k, v)
			const empty = new Y.Map<unknown>()
			for (const [k, v] of Object.entries({ id: 'badmessage2', authorKey: bo.key, authorName: 'Bo', text: '  ', createdAt: 3 })) empty.set(k, v)
			messages.push([bad, empty])
		})
		const { threads, issues } = readThreads(doc)
		expect(threads.map((t) => t.id)).toEqual([good])
		expect(threads[0]!.messages.map((m) => m.text)).toEqual(['good'])
		expect(issues).toHaveLength(5)
		expect(issues.join('\n')).toMatch(/not-a-map-1: not a Y.Map/)
		expect(issues.join('\n')).toMatch(/no-target-1: targetId/)
		expect(issues.join('\n')).toMatch(/json-blob-1: messages is not a Y.Array/)
		expect(issues.join('\n')).toMatch(new RegExp(`${good}.1: authorName`))
		expect(issues.join('\n')).toMatch(new RegExp(`${good}.2: text`))
	})
})

describe('mentions', () => {
	const people = [ana, bo, cy]
	it('resolves @names to people, the longest name first, each once', () => {
		expect(findMentions('@bo kim and @Ana, again @ana; mail x@Cy', people)).toEqual([
			{ key: bo.key, name: 'Bo Kim' },
			{ key: ana.key, name: 'Ana' },
		])
		expect(findMentions('@Anabel is someone else', people)).toEqual([])
	})

	it('splits text into highlighted mentions', () => {
		expect(segmentMentions('ask @Bo Kim now', [bo])).toEqual([
			{ text: 'ask ', mention: null },
			{ text: '@Bo Kim', mention: bo },
			{ text: ' now', mention: null },
		])
	})

	it("finds a person's unseen mentions from the stored comments alone", () => {
		const doc = new Y.Doc()
		const t1 = addThread(doc, 'shape:n1', ana, '@Bo Kim what do you think?', { now: 10, mentions: findMentions('@Bo Kim what do you think?', people) })
		addReply(doc, t1, bo, '@Ana looks fine', { now: 20, mentions: [ana] })
		const t2 = addThread(doc, 'shape:n2', cy, '@Bo Kim old one', { now: 5, mentions: [bo] })
		setThreadResolved(doc, t2, true, cy, { now: 6 })
		const { threads } = readThreads(doc)
		expect(unseenMentions(threads, bo.key, 0).map((m) => m.text)).toEqual(['@Bo Kim what do you think?'])
		expect(unseenMentions(threads, bo.key, 10)).toEqual([])
		expect(unseenMentions(threads, ana.key, 0).map((m) => m.authorName)).toEqual(['Bo Kim'])
	})
})

describe('sticky reactions', () => {
	it('toggles per person; concurrent reactions of different people all survive', () => {
		const { net, docs, random } = peers(11, 3)
		const authors = [ana, bo, cy]
		docs.forEach((doc, i) => toggleReaction(doc, 'shape:n1', '👍', authors[i]!, { now: 100 + i }))
		toggleReaction(docs[0]!, 'shape:n1', '🎉', ana, { now: 104 })
		net.flush(random)
		toggleReaction(docs[1]!, 'shape:n1', '👍', bo, { now: 105 }) // Bo takes theirs back
		net.flush(random)
		for (const doc of docs) {
			const summary = readReactions(doc).byTarget.get('shape:n1')!
			expect(summary.map((s) => [s.emoji, s.count, s.names])).toEqual([
				['👍', 2, ['Ana', 'Cy']],
				['🎉', 1, ['Ana']],
			])
		}
	})

	it('skips entries whose value is malformed or does not match its key', () => {
		const doc = new Y.Doc()
		toggleReaction(doc, 'shape:n1', '❤️', ana, { now: 1 })
		const map = getReactionsMap(doc)
		map.set(`shape:n1|${bo.key}|👍`, { targetId: 'shape:n1', person: ana.key, name: 'forged', emoji: '👍', at: 2 })
		map.set(`shape:n1|${bo.key}|💩`, { targetId: 'shape:n1', person: bo.key, name: 'Bo', emoji: '💩', at: 2 })
		const { byTarget, issues } = readReactions(doc)
		expect(byTarget.get('shape:n1')!.map((s) => s.emoji)).toEqual(['❤️'])
		expect(issues).toHaveLength(2)
	})
})

describe('document layout version 2', () => {
	it('migrates a layout-1 board with the named migration and stamps version 2', () => {
		const doc = new Y.Doc()
		doc.getMap(BOARD_META_MAP).set(BoardMetaKey.layoutVersion, 1)
		expect(DOC_LAYOUT_VERSION).toBe(2)
		expect(migrateDocLayout(doc)).toEqual([DocLayoutMigrationIds.AddCommentsAndReactions])
		expect(readLayoutVersion(doc)).toBe(2)
		expect(migrateDocLayout(doc)).toEqual([])
		// A board without a version (before versions were read) counts as version 1.
		const unversioned = new Y.Doc()
		expect(migrateDocLayout(unversioned)).toEqual(['AddCommentsAndReactions'])
		// A newer board is left alone (the schema gate makes this client read-only).
		const newer = new Y.Doc()
		newer.getMap(BOARD_META_MAP).set(BoardMetaKey.layoutVersion, 3)
		expect(migrateDocLayout(newer)).toEqual([])
		expect(readLayoutVersion(newer)).toBe(3)
		expect(() => migrateDocLayout(new Y.Doc(), [], 2)).toThrow('no document layout migration from version 1')
		expect(DOC_LAYOUT_MIGRATIONS.map((m) => m.from)).toEqual([1])
	})

	it("passes the server's layout guard for comments and reactions, still refuses other top-level types", () => {
		const doc = new Y.Doc()
		const updates: Uint8Array[] = []
		doc.on('update', (u: Uint8Array) => updates.push(u))
		const threadId = addThread(doc, 'shape:n1', ana, 'hello', { now: 1 })
		addReply(doc, threadId, bo, 'hi', { now: 2 })
		toggleReaction(doc, 'shape:n1', '💡', ana, { now: 3 })
		expect(updates.map((u) => findLayoutViolation(u))).toEqual([null, null, null])
		const junk = new Y.Doc()
		let junkUpdate: Uint8Array | null = null
		junk.on('update', (u: Uint8Array) => (junkUpdate = u))
		junk.getArray('threads').push(['x'])
		expect(findLayoutViolation(junkUpdate!)).toMatch(/unknown top-level type "threads"/)
	})
})

describe('search over comment text', () => {
	it('finds a sticky by the text of its comments, combined with its own terms', () => {
		const note = (id: string, text: string) => ({
			id,
			typeName: 'shape',
			type: 'note',
			parentId: 'page:page',
			props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] } },
			meta: {},
		})
		const index = new BoardSearchIndex([note('shape:a', 'Checklist'), note('shape:b', 'Pricing page')])
		const doc = new Y.Doc()
		addThread(doc, 'shape:a', ana, 'Needs a legal review', { now: 1 })
		index.setComments(readThreads(doc).threads)
		expect(index.search(parseSearchQuery('legal')).hits.map((h) => h.entry.id)).toEqual(['shape:a'])
		expect(index.search(parseSearchQuery('checklist legal')).hits.map((h) => h.entry.id)).toEqual(['shape:a'])
		expect(index.search(parseSearchQuery('pricing legal')).total).toBe(0)
		index.setComments([])
		expect(index.search(parseSearchQuery('legal')).total).toBe(0)
	})
})

describe('lock tracing of comments and reactions (server/session/updateInspector.ts)', () => {
	/** What a client's next change looks like to the server, which has everything before it. */
	function effectsOf(change: (doc: Y.Doc) => void, setup: (doc: Y.Doc) => void = () => {}) {
		const server = new Y.Doc()
		const client = new Y.Doc()
		setup(client)
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client))
		const before = Y.encodeStateVector(client)
		change(client)
		return inspectUpdate(server, Y.encodeStateAsUpdate(client, before))
	}

	it('names the shape of a new thread, a reply, a resolve and a reaction, and no record', () => {
		let threadId = ''
		const setup = (doc: Y.Doc) => void (threadId = addThread(doc, 'shape:a', ana, 'hi', { now: 1 }))
		const created = effectsOf((doc) => addThread(doc, 'shape:new', ana, 'hello', { now: 1 }))
		expect([...created.conversationTargets]).toEqual(['shape:new'])
		expect(created.recordIds.size).toBe(0)
		expect(created.untraceable).toBe(false)
		expect([...effectsOf((doc) => addReply(doc, threadId, bo, 'reply', { now: 2 }), setup).conversationTargets]).toEqual(['shape:a'])
		expect([...effectsOf((doc) => setThreadResolved(doc, threadId, true, bo, { now: 2 }), setup).conversationTargets]).toEqual(['shape:a'])
		const reacted = effectsOf((doc) => toggleReaction(doc, 'shape:b', '👍', bo, { now: 2 }))
		expect([...reacted.conversationTargets]).toEqual(['shape:b'])
		const unreacted = effectsOf(
			(doc) => toggleReaction(doc, 'shape:b', '👍', bo, { now: 3 }),
			(doc) => toggleReaction(doc, 'shape:b', '👍', bo, { now: 2 }),
		)
		expect([...unreacted.conversationTargets]).toEqual(['shape:b'])
	})
})

describe('opening a layout-1 board with the store binding', () => {
	it('runs the layout migration and stamps version 2; the comments of the board are kept', () => {
		const net = new YNetwork()
		const old = net.connect(new Y.Doc())
		old.getMap(BOARD_META_MAP).set(BoardMetaKey.layoutVersion, 1)
		// A Yjs client wrote a thread before any layout-2 app stamped the board.
		addThread(old, 'shape:n1', ana, 'written early', { now: 1 })
		net.flush()
		const peer = createPeer(net, 'new app', { clientID: 7 })
		net.flush()
		expect(peer.binding.getStatus()).toBe('active')
		expect(readLayoutVersion(old)).toBe(2)
		expect(readThreads(old).threads.map((t) => t.messages[0]!.text)).toEqual(['written early'])
	})
})
