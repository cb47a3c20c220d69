/**
 * Wire-level constants shared by the server and the client: URL paths,
 * y-websocket message types and WebSocket close codes.
 */

/** HTTP paths. `/sync/<boardId>` is the y-websocket endpoint. */
export const SYNC_PATH_PREFIX = '/sync/'
export const BOARD_PATH_PREFIX = '/b/'
export const API_PATH_PREFIX = '/api/'
export const HEALTH_PATH = '/healthz'

/** Readiness: 200 once storage is usable, 503 while it is (still) unreachable. HEALTH_PATH stays liveness. */
export const READY_PATH = '/readyz'

/** Message types of the y-websocket protocol (first varint of every frame). */
export const MessageType = {
	sync: 0,
	awareness: 1,
	auth: 2,
	queryAwareness: 3,
	/**
	 * Facilitated-session channel (docs/sessions.md): payload = one JSON string
	 * (lib0 writeVarString) validated by shared/session. Stock y-websocket
	 * clients log "Unable to compute message" for it, so the server only sends
	 * it to connections that opted in with a `join` request.
	 */
	session: 100,
} as const

/**
 * Close codes. 1000-1015 are the RFC 6455 ones; 4000-4999 are ours, split so
 * that stock y-websocket clients do the right thing: y-websocket 3 treats
 * 4400-4499 as terminal (no reconnect) and retries everything else with
 * backoff. So 44xx = "retrying cannot help", 45xx = "try again later".
 */
export const CloseCode = {
	normal: 1000,
	goingAway: 1001,
	/** Frame larger than the server's maxPayload (RFC 6455 "message too big"). */
	messageTooBig: 1009,
	internalError: 1011,
	/** A message could not be decoded or applied; only this connection is closed. */
	badMessage: 4400,
	unauthorized: 4401,
	forbidden: 4403,
	/** Unknown board id or malformed path. */
	notFound: 4404,
	/** The board was written by a newer schema than this client understands: reload. */
	clientTooOld: 4426,
	/**
	 * The client sent an update touching a shape the facilitator locked (or any
	 * update during a whole-board lock). The update was not applied; the client
	 * must drop its unacknowledged local state and resync (docs/sessions.md).
	 */
	locked: 4423,
	/** The client did not read fast enough; its send buffer passed the limit. Retryable. */
	slowConsumer: 4508,
	/** Too many messages per second from this connection. Retryable after backoff. */
	rateLimited: 4529,
	/** Connection or room cap reached. Retryable later. */
	capacity: 4530,
	/** The room's storage failed; the client keeps its changes and retries later. */
	storageUnavailable: 4503,
	/** The server is shutting down; reconnect to its successor. */
	serverShutdown: 4504,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** Interval at which the server merges awareness updates into one message per client. */
export const AWARENESS_TICK_MS = 50
