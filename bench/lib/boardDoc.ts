/**
 * Boards written by our real binding (client/sync + a tldraw store in Node),
 * so the bench loads exactly what the app writes, and a socket that seeds
 * such a board into a running server.
 */
import './nodeAnimationFrame'
import { createTLStore } from '@tldraw/editor'
import type { TLRecord, TLStoreSnapshot } from '@tldraw/tlschema'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { bindStoreToYDoc } from '../../client/sync'
import { integerIndexKey } from '../../shared/export'
import { getRecordsMap } from '../../shared/recordCodec'
import { noteRecord } from './records'
import { SyncType, encodeEmptySyncStep1, encodeSyncFrame, peekFrameType, readSyncPayload } from './wire'

/** A Y.Doc update holding a board of `stickies` notes in a grid, written through bindStoreToYDoc. */
export function makeStickyBoardUpdate(stickies: number): Uint8Array {
	return makeStickyBoard(stickies).update
}

/**
 * The same board twice: as a Y.Doc update (what the server holds) and as
 * tldraw's own store snapshot (what tldraw loads without sync).
 */
export function makeStickyBoard(stickies: number): { update: Uint8Array; snapshot: TLStoreSnapshot } {
	const store = createTLStore({})
	const doc = new Y.Doc()
	const binding = bindStoreToYDoc({ store, doc, log: () => {} })
	const notes: TLRecord[] = []
	const columns = Math.ceil(Math.sqrt(stickies))
	for (let i = 0; i < stickies; i++) {
		const x = (i % columns) * 240
		const y = Math.floor(i / columns) * 240
		notes.push(noteRecord(`shape:sticky-${i}`, x, y, `Sticky ${i}: an idea from the workshop`, integerIndexKey(i + 2)) as unknown as TLRecord)
	}
	store.put(notes)
	binding.flush()
	const update = Y.encodeStateAsUpdate(doc)
	const snapshot = store.getStoreSnapshot('document')
	binding.dispose()
	doc.destroy()
	return { update, snapshot }
}

/**
 * Opens a socket to `${wsUrl}/${boardId}`, sends `update`, and resolves once
 * the server answered a following sync step 1 (so it applied the update).
 * The socket stays open (the board's host) until `close()`.
 */
export async function seedBoard(wsUrl: string, boardId: string, update: Uint8Array): Promise<{ close(): void }> {
	const ws = new WebSocket(`${wsUrl}/${boardId}`, { perMessageDeflate: false })
	const answered = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('seeding timed out')), 60_000)
		ws.on('message', (data: Buffer) => {
			const { syncType } = peekFrameType(new Uint8Array(data))
			if (syncType === SyncType.step2) {
				clearTimeout(timer)
				resolve()
			}
		})
		ws.on('error', reject)
	})
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve())
		ws.once('error', reject)
	})
	ws.send(encodeSyncFrame(SyncType.update, update))
	ws.send(encodeEmptySyncStep1())
	await answered
	return { close: () => ws.terminate() }
}

/**
 * A remote participant dragging one sticky: a Node Y.Doc client that syncs
 * the board, then writes `x`/`y` of `shapeId` at `hz` until stopped.
 */
export async function startRemoteDrag(wsUrl: string, boardId: string, shapeId: string, hz: number): Promise<{ stop(): Promise<number> }> {
	const ws = new WebSocket(`${wsUrl}/${boardId}`, { perMessageDeflate: false })
	const doc = new Y.Doc()
	const synced = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('remote dragger never synced')), 60_000)
		ws.on('message', (data: Buffer) => {
			const frame = new Uint8Array(data)
			const { type, syncType } = peekFrameType(frame)
			if (type !== 0 || syncType === SyncType.step1) return
			Y.applyUpdate(doc, readSyncPayload(frame).data, 'server')
			if (syncType === SyncType.step2) {
				clearTimeout(timer)
				resolve()
			}
		})
		ws.on('error', reject)
	})
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve())
		ws.once('error', reject)
	})
	ws.send(encodeEmptySyncStep1())
	await synced
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'server' && ws.readyState === WebSocket.OPEN) ws.send(encodeSyncFrame(SyncType.update, update))
	})
	const sticky = getRecordsMap(doc).get(shapeId)
	if (!(sticky instanceof Y.Map)) throw new Error(`${shapeId} not on the board`)
	let frame = 0
	const timer = setInterval(() => {
		frame++
		doc.transact(() => {
			sticky.set('x', 200 + (frame % 120) * 4)
			sticky.set('y', 200 + Math.round(Math.sin(frame / 10) * 80))
		})
	}, 1000 / hz)
	return {
		async stop() {
			clearInterval(timer)
			ws.terminate()
			doc.destroy()
			return frame
		},
	}
}
