/** Messages between the bench coordinator and its load-generator child processes (IPC). */

export type ClientRole = 'lean' | 'sender' | 'observer'

export interface FanoutClientSpec {
	/** Global client index (0..N-1); also picks the awareness client id. */
	index: number
	role: ClientRole
	/** Doc updates per second (senders only). */
	sendHz: number
	/** Cursor moves per second; absent = the run's `cursorHz`, 0 = a watcher who never moves one. */
	cursorHz?: number
}

export interface FanoutConfig {
	kind: 'fanout'
	wsUrl: string
	boardId: string
	clients: FanoutClientSpec[]
	cursorHz: number
	/**
	 * Page area (page coordinates) to spread the cursors over, each circling its own spot, so a
	 * browser watching that area draws all of them (scenario 7). Without it every cursor follows
	 * the same sawtooth.
	 */
	cursorArea?: { x: number; y: number; w: number; h: number }
	/**
	 * Clients send every awareness frame they receive back, as stock y-websocket providers do
	 * (yjs/yjs#732); the app's own client sends only its own state (client/sync/ownAwarenessOnly.ts).
	 */
	echoAwareness?: boolean
}

export interface JoinConfig {
	kind: 'join'
	wsUrl: string
	boardId: string
	/** Global indices of the clients this process opens. */
	indices: number[]
	/** Clients opened at startAt + index × spacingMs. */
	spacingMs: number
	/** Indices that decode the board into a Y.Doc and check the record count. */
	verifyIndices: number[]
	expectedRecords: number
	timeoutMs: number
}

export type CoordinatorMessage =
	| { type: 'connect'; config: FanoutConfig | JoinConfig }
	| { type: 'prepare' }
	/**
	 * Load from startAt for warmupMs + durationMs; counted (stats, latencies, CPU) only after
	 * startAt + warmupMs (default 0): the warm-up lets a fresh server's JIT reach its steady state.
	 */
	| { type: 'run'; startAt: number; durationMs: number; warmupMs?: number }
	| { type: 'collect' }

export interface FanoutStats {
	kind: 'fanout'
	/** Per sender index: number of doc updates sent (warm-up included: the seqs start at 0). */
	sentBySender: Record<number, number>
	/** Per sender index: the seq of its first update sent after the warm-up (0 without one). */
	firstMeasuredSeqBySender: Record<number, number>
	cursorsSent: number
	/** Frames received by all clients of this process since `run`, by kind. */
	docFrames: number
	awarenessFrames: number
	otherFrames: number
	/** Client states carried by those awareness frames (a merged frame carries many). */
	awarenessStates: number
	/** Of those, the states of other clients (a server that echoes a client's own state sends it nothing new). */
	awarenessStatesFromOthers: number
	bytesReceived: number
	/** Senders' doc updates carried by those frames (a server may merge several into one frame). */
	docUpdates: number
	/** Of those, the updates of other clients (an echo of the receiver's own update is not counted). */
	docUpdatesFromOthers: number
	/** Senders' doc updates received per lean/sender client (to detect loss without a Y.Doc). */
	docFramesByClient: Record<number, number>
	/** Observer measurements. */
	docLatencies: number[]
	cursorLatencies: number[]
	/** Per observer: keys "sender:seq" seen. */
	seenByObserver: Record<number, string[]>
	cpuUserMs: number
	cpuSystemMs: number
	closedEarly: number
	/** This process's event-loop delay during the run (perf_hooks.monitorEventLoopDelay), ms. */
	eventLoopDelay: { p50: number; p99: number; max: number }
}

export interface JoinStats {
	kind: 'join'
	/** Per client: ms from opening the socket to receiving sync step 2, or null if never. */
	syncMs: Array<number | null>
	bytesReceived: number
	framesReceived: number
	verified: Array<{ index: number; records: number }>
	cpuUserMs: number
	cpuSystemMs: number
}

export type WorkerMessage =
	| { type: 'connected' }
	| { type: 'prepared' }
	| { type: 'ran' }
	| { type: 'stats'; stats: FanoutStats | JoinStats }
	| { type: 'error'; message: string }
