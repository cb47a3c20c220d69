/**
 * Coalesces a turn's writes per socket: the first frame written to a socket
 * in an event-loop turn corks it, and one setImmediate uncorks every socket
 * corked in that turn, so all its frames leave in ONE writev.
 *
 * Why: a room relays every update to every client. In a 200-person room
 * that is 200 syscalls per update; while the loop is busy (many updates and
 * a cursor tick read in one poll phase) a client would get dozens of tiny
 * writes per turn. Corking costs no latency when the room is quiet (the
 * flush runs right after the current poll phase) and turns a busy turn's
 * writes into one per client. Measured in docs/performance.md (fan-out).
 */
import type { Duplex } from 'node:stream'

const corkedThisTurn = new Set<Duplex>()
let flushScheduled = false

/** Work that must send before this turn's writes leave (a room's merged broadcast). */
const endOfTurnTasks: Array<() => void> = []

function uncorkAll(): void {
	// Tasks first, while the flush is still pending: what they send joins this turn's writev
	// instead of waiting for the next loop iteration.
	for (let index = 0; index < endOfTurnTasks.length; index++) {
		try {
			endOfTurnTasks[index]!()
		} catch {
			// A failing task must not keep every socket corked; its owner handles its own errors.
		}
	}
	endOfTurnTasks.length = 0
	flushScheduled = false
	for (const socket of corkedThisTurn) {
		// A socket destroyed in the meantime has nothing left to flush.
		if (socket.writableCorked > 0) socket.uncork()
	}
	corkedThisTurn.clear()
}

/** Corks `socket` until the end of the current event-loop turn (idempotent within a turn). */
export function corkUntilEndOfTurn(socket: Duplex): void {
	if (corkedThisTurn.has(socket) || socket.destroyed) return
	socket.cork()
	corkedThisTurn.add(socket)
	scheduleFlush()
}

/** Runs `task` at the end of this turn, just before the corked sockets are flushed. */
export function runAtEndOfTurn(task: () => void): void {
	endOfTurnTasks.push(task)
	scheduleFlush()
}

function scheduleFlush(): void {
	if (!flushScheduled) {
		flushScheduled = true
		setImmediate(uncorkAll)
	}
}
