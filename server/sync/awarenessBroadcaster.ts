/**
 * Merges a room's awareness changes into one message per tick.
 *
 * The reference y-websocket server forwards every incoming awareness update
 * to every other client: with N users moving cursors that is N² frames per
 * round. Here every change within AWARENESS_TICK_MS is collected, encoded
 * ONCE with the latest state of all changed clients, and that single buffer
 * is sent to each client — N frames per tick however many users moved.
 */
import type { Awareness } from 'y-protocols/awareness'
import { encodeAwarenessMessage } from './messages'

export class AwarenessBroadcaster {
	private readonly changed = new Set<number>()
	private timer: NodeJS.Timeout | null = null

	constructor(
		private readonly awareness: Awareness,
		private readonly tickMs: number,
		private readonly broadcast: (message: Uint8Array) => void,
	) {}

	markChanged(clientIds: Iterable<number>): void {
		for (const id of clientIds) this.changed.add(id)
		if (this.changed.size > 0 && this.timer === null) {
			this.timer = setTimeout(() => this.tick(), this.tickMs)
		}
	}

	stop(): void {
		if (this.timer !== null) clearTimeout(this.timer)
		this.timer = null
		this.changed.clear()
	}

	private tick(): void {
		this.timer = null
		if (this.changed.size === 0) return
		// Removed clients are encoded with a null state, which is how peers learn they left.
		const message = encodeAwarenessMessage(this.awareness, [...this.changed])
		this.changed.clear()
		this.broadcast(message)
	}
}
