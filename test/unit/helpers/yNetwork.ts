/**
 * An in-memory "network" between Y.Docs: every local update is queued for
 * every other peer and delivered when the test says so, picked with a seeded
 * random, so delays and interleavings are replayable. By default each
 * receiver gets updates in the order they were sent (what a relay server
 * gives: causal order) but at random times; `ordered: false` delivers in any
 * order.
 */
import * as Y from 'yjs'
import type { Random } from './seededRandom'

interface Message {
	from: Y.Doc
	to: Y.Doc
	update: Uint8Array
}

export class YNetwork {
	private readonly peers: Y.Doc[] = []
	private queue: Message[] = []
	/** Origin of updates applied by the network (so they are not re-broadcast). */
	readonly origin = { network: true }

	/** Adds a doc; it first receives everything the others already have. */
	connect(doc: Y.Doc): Y.Doc {
		for (const other of this.peers) {
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), this.origin)
			Y.applyUpdate(other, Y.encodeStateAsUpdate(doc), this.origin)
		}
		this.peers.push(doc)
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === this.origin) return
			for (const peer of this.peers) if (peer !== doc) this.queue.push({ from: doc, to: peer, update })
		})
		return doc
	}

	get pending(): number {
		return this.queue.length
	}

	private deliverAt(index: number): void {
		const [message] = this.queue.splice(index, 1)
		Y.applyUpdate(message!.to, message!.update, this.origin)
	}

	/** Delivers up to `count` queued updates picked at random. */
	deliverRandom(random: Random, count: number, { ordered = true }: { ordered?: boolean } = {}): void {
		for (let i = 0; i < count && this.queue.length > 0; i++) {
			let index = random.int(this.queue.length)
			if (ordered) {
				const { to } = this.queue[index]!
				index = this.queue.findIndex((m) => m.to === to)
			}
			this.deliverAt(index)
		}
	}

	/** Delivers everything, including updates caused by deliveries. */
	flush(random?: Random, options: { ordered?: boolean } = {}): void {
		while (this.queue.length > 0) {
			if (random) this.deliverRandom(random, this.queue.length, options)
			else this.deliverAt(0)
		}
	}
}
