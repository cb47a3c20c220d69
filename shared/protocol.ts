/**
 * Wire-level constants shared by the server and the client: URL paths,
 * y-websocket message types and WebSocket close codes.
 */

/** HTTP paths. `/sync/<boardId>` is the y-websocket endpoint. */
export const SYNC_PATH_PREFIX = '/sync/'
export const BOARD_PATH_PREFIX = '/b/'
export const API_PATH_PREFIX = '/api/'
export const HEALTH_PATH = '/healthz'

/** Message types of the y-websocket protocol (first varint of every frame). */
export const MessageType = {
	sync: 0,
	awareness: 1,
	auth: 2,
	queryAwareness: 3,
} as const

/**
 * Close codes. 1000-1015 are the RFC 6455 ones; 4000-4999 are ours.
 * y-websocket reconnects after every close, so codes a client should not
 * retry blindly are paired with a reason string the UI shows.
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
	/** The client did not read fast enough; its send buffer passed the limit. */
	slowConsumer: 4408,
	/** Too many messages per second from this connection. */
	rateLimited: 4429,
	/** Connection or room cap reached. */
	capacity: 4430,
	/** The room's storage failed; the client keeps its changes and retries later. */
	storageUnavailable: 4503,
	/** The server is shutting down. */
	serverShutdown: 4504,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** Interval at which the server merges awareness updates into one message per client. */
export const AWARENESS_TICK_MS = 50
