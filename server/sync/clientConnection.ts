/**
 * One WebSocket client of a room: sending with backpressure, closing with a
 * reason, and the awareness client ids this socket speaks for.
 */
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import type { BoardId } from '../../shared/boardId'
import { CloseCode } from '../../shared/protocol'
import type { AuthResult, BoardRole } from '../auth'
import type { Logger } from '../logger'
import { corkUntilEndOfTurn } from './socketCorking'

let nextConnectionId = 1

/** After asking a peer to close, give it this long before dropping the TCP connection. */
const CLOSE_GRACE_MS = 5_000

export class ClientConnection {
	readonly id = nextConnectionId++
	/** Awareness client ids whose states arrived over this socket; removed when it closes. */
	readonly awarenessClientIds = new Set<number>()
	/** Messages that arrived before the room finished loading, processed in order later. */
	readonly pendingMessages: Uint8Array[] = []
	private closed = false

	constructor(
		private readonly ws: WebSocket,
		readonly boardId: BoardId,
		readonly role: BoardRole,
		private readonly maxBufferedBytes: number,
		private readonly logger: Logger,
		/** What this connection authenticated with (AuthResult.credentialId); rotation closes its holders. */
		readonly credentialId: AuthResult['credentialId'] = undefined,
	) {}

	get isOpen(): boolean {
		return !this.closed && this.ws.readyState === this.ws.OPEN
	}

	/**
	 * Queues a frame. A client whose unsent backlog passes the limit is
	 * closed instead of letting its buffer grow without bound; the others in
	 * the room are unaffected because ws.send never blocks.
	 */
	send(message: Uint8Array): void {
		if (!this.isOpen) return
		if (this.ws.bufferedAmount > this.maxBufferedBytes) {
			this.close(CloseCode.slowConsumer, 'slow consumer')
			return
		}
		// ws keeps its TCP socket private; without it (never in practice) frames go out one by one.
		const socket = (this.ws as unknown as { _socket?: Duplex })._socket
		if (socket) corkUntilEndOfTurn(socket)
		this.ws.send(message, (error) => {
			if (error) this.logger.debug('ws.send_failed', { conn: this.id, error: error.message })
		})
	}

	/** Closes with a code and short reason (max 123 bytes per RFC 6455). Idempotent. */
	close(code: number, reason: string): void {
		if (this.closed) return
		this.closed = true
		this.logger.info('conn.close', { conn: this.id, board: this.boardId, code, reason })
		try {
			this.ws.close(code, reason.slice(0, 120))
		} catch {
			this.ws.terminate()
			return
		}
		// A peer that never answers the close handshake must not hold the socket forever.
		const terminate = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS)
		terminate.unref()
		// A normal close handshake ends the wait (and frees the socket now, not in 5 s).
		this.ws.once('close', () => clearTimeout(terminate))
	}

	/** Marks the connection closed after the socket closed by itself. */
	markClosed(): void {
		this.closed = true
	}
}
