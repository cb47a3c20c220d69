/**
 * Guarantee 6 (docs/reliability.md): a stock Yjs client with a valid
 * participant token writes invalid records, huge strings, deep nesting and
 * unknown top-level types. Honest canvases in real Chromium keep working and
 * the server's export stays valid against its JSON Schema.
 */
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { getRecordsMap, recordToYMap } from '../../shared/recordCodec'
import { noteShapeRecord } from '../../shared/shapeRecords'
import { connectClient, destroyClients, waitForSynced } from '../integration/helpers'
import { NOTE, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'
import { expectValidAgainstExportJsonSchema } from '../helpers/exportJsonSchema'

function validNote(id: string, text: string, x: number) {
	return noteShapeRecord({ id, text, index: `a${x}`, x: 200 + x * 260, y: 200, meta: { kind: 'idea' } })
}

function deepObject(depth: number): unknown {
	let value: unknown = 'bottom'
	for (let i = 0; i < depth; i++) value = { nested: value }
	return value
}

describe('hostile writer', () => {
	const t = useTestbed('workshop-board-e2e-hostile-')

	it('honest canvases keep working and the export stays valid', { timeout: 60_000 }, async () => {
		const created = await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"Hostile"}' })).json()
		const participantToken = new URL(created.links.participant).searchParams.get('token')!
		const { page, context, consoleErrors } = await newParticipant(t.browser, t.server.url, { name: 'Honest' })
		await page.goto(created.links.participant)
		await waitConnected(page)

		const hostile = connectClient(t.server.wsUrl, created.id, { params: { token: participantToken } })
		await waitForSynced(hostile)
		const records = getRecordsMap(hostile.doc)
		hostile.doc.transact(() => {
			records.set('shape:good-1', recordToYMap(validNote('shape:good-1', 'Valid before the garbage', 1)))
			// Invalid props, unknown shape type, a non-map entry, a mismatched key.
			const badProps = validNote('shape:bad-props', 'bad', 2) as Record<string, unknown>
			badProps.props = { ...(badProps.props as object), color: 'ultraviolet', size: 42 }
			records.set('shape:bad-props', recordToYMap(badProps as never))
			records.set('shape:alien', recordToYMap({ ...validNote('shape:alien', 'alien', 3), type: 'alien-shape' } as never))
			records.set('shape:not-a-map', 'just a string' as never)
			records.set('shape:mismatch', recordToYMap(validNote('shape:other-id', 'mismatch', 4)))
			// A huge string and deep nesting in meta of an otherwise valid note.
			records.set('shape:huge', recordToYMap({ ...validNote('shape:huge', 'x'.repeat(500_000), 5), meta: { kind: 'idea', deep: deepObject(500) } } as never))
			records.set('shape:good-2', recordToYMap(validNote('shape:good-2', 'Valid after the garbage', 6)))
		})

		// The honest canvas shows the valid notes and keeps working.
		await expect.poll(() => page.locator(NOTE).filter({ hasText: 'Valid after the garbage' }).count(), { timeout: 15_000 }).toBe(1)
		expect(await page.locator(NOTE).filter({ hasText: 'Valid before the garbage' }).count()).toBe(1)
		expect(await page.locator('.tl-shape[data-shape-type="alien-shape"]').count()).toBe(0)
		await page.keyboard.press('n')
		await page.mouse.click(640, 560)
		await page.waitForSelector('[contenteditable="true"]', { timeout: 5_000 })
		await page.keyboard.type('Still working')
		await page.keyboard.press('Escape')
		await expect.poll(() => page.locator(NOTE).filter({ hasText: 'Still working' }).count()).toBe(1)
		const hostileSeesIt = () => [...records.values()].some((r) => r instanceof Y.Map && JSON.stringify(r.toJSON()).includes('Still working'))
		await expect.poll(hostileSeesIt, { timeout: 10_000 }).toBe(true)
		expect(consoleErrors.filter((e) => /uncaught|TypeError|RangeError/i.test(e))).toEqual([])

		// Unknown top-level types: the server refuses the update and closes that client (4400).
		const hostileClosed = new Promise<number>((resolve) => hostile.on('connection-close', (event: { code: number } | null) => resolve(event?.code ?? 0)))
		hostile.doc.transact(() => {
			hostile.doc.getMap('evil').set('payload', 'x'.repeat(10_000))
			hostile.doc.getArray('more-evil').push([1, 2, 3])
		})
		expect(await hostileClosed).toBe(4400)
		await page.keyboard.press('Escape')
		await page.keyboard.press('n')
		await page.mouse.click(900, 560)
		await page.waitForSelector('[contenteditable="true"]', { timeout: 5_000 })
		await page.keyboard.type('Still working after the refusal')
		await page.keyboard.press('Escape')
		await expect.poll(() => page.getAttribute('[data-testid=board-status]', 'data-state')).toBe('connected')

		// The server's export stays valid against the committed JSON Schema.
		const exportNow = async () => (await fetch(`${t.server.url}/api/boards/${created.id}/export.json?token=${participantToken}`)).json()
		await expect
			.poll(async () => (await exportNow()).items.some((item: { text: string }) => item.text === 'Still working after the refusal'), { timeout: 10_000 })
			.toBe(true)
		const exported = await exportNow()
		expectValidAgainstExportJsonSchema(exported)
		const texts = exported.items.map((item: { text: string }) => item.text.slice(0, 40))
		expect(texts).toEqual(expect.arrayContaining(['Valid before the garbage', 'Valid after the garbage', 'Still working']))

		// The server is still up for everyone.
		expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200)
		destroyClients(hostile)
		await context.close()
	})
})
