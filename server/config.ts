/**
 * Server configuration, parsed from environment variables with zod so a bad
 * value fails fast with a message naming the variable instead of surfacing
 * later as NaN timers or a server bound to the wrong port.
 *
 * | Variable                     | Default                 | Meaning |
 * |------------------------------|-------------------------|---------|
 * | PORT                         | 8787                    | HTTP/WebSocket port; 0 picks a free one |
 * | HOST                         | 127.0.0.1               | Interface to bind |
 * | DATA_DIR                     | ./data                  | Directory of workshop-board.sqlite (created if missing); unused with DATABASE_URL |
 * | DATABASE_URL                 | (unset: SQLite)         | postgres://user[:password]@host[:port]/database selects PostgreSQL (docs/deployment.md) |
 * | BOARD_CREATION               | open                    | `open`: anyone who reaches the server may create boards; `admin`: creating needs ADMIN_TOKEN |
 * | ADMIN_TOKEN                  | (unset)                 | Bearer token for creating/importing boards when BOARD_CREATION=admin (≥ 32 characters) |
 * | CLIENT_DIST_DIR              | ./dist                  | Built client served over HTTP |
 * | MAX_PAYLOAD_BYTES            | 8388608 (8 MiB)         | Largest WebSocket frame; bigger ones close the socket with 1009 |
 * | MAX_BUFFERED_BYTES           | 16777216 (16 MiB)       | Send buffer of one client before it is closed as a slow consumer |
 * | PING_INTERVAL_MS             | 30000                   | Heartbeat; peers that miss one pong are terminated |
 * | ROOM_UNLOAD_DELAY_MS         | 10000                   | How long an empty room stays in memory |
 * | PERSIST_FLUSH_INTERVAL_MS    | 100                     | Max delay between accepting an update and committing it |
 * | COMPACT_AFTER_UPDATES        | 1000                    | Pending appended updates of a board that trigger compaction |
 * | COMPACT_AFTER_BYTES          | 1048576 (1 MiB)         | Pending appended bytes of a board that trigger compaction |
 * | LOG_LEVEL                    | info                    | debug, info, warn, error or silent |
 * | ALLOWED_ORIGINS              | (same origin)           | Extra browser origins allowed to open the WebSocket, comma-separated; `*` allows any |
 * | MAX_CONNECTIONS              | 5000                    | Open WebSockets in the whole server; more are closed with 4530 |
 * | MAX_ROOMS                    | 1000                    | Boards in memory at once; opening another closes with 4530 |
 * | MAX_CONNECTIONS_PER_ROOM     | 500                     | Sockets on one board; more are closed with 4530 |
 * | MESSAGE_RATE_PER_SECOND      | 300                     | Sustained messages per second per connection (token bucket); beyond, 4529 |
 * | MESSAGE_RATE_BURST           | 1500                    | Bucket size: short bursts (a reconnect, a paste) above the rate |
 * | CREDENTIAL_RECHECK_MS        | 2000                    | How often open connections' links are re-checked against the store (rotation by another tool) |
 * | REDIS_URL                    | (unset: one process)    | redis://host[:port][/db]: run as one of several processes sharing boards (needs DATABASE_URL; docs/deployment.md) |
 * | BOARD_LEASE_MS               | 5000                    | Lease of a board's owner process in Redis; renewed every third of it. A dead owner's boards move after this long |
 * | REDIS_KEY_PREFIX             | wb:                     | Prefix of every Redis key (several deployments or tests on one Redis) |
 * | CLUSTER_ADVERTISE_URL        | http://HOST:PORT        | How the other processes reach this one (relay of non-owner clients); set it when HOST is 0.0.0.0 |
 */
import path from 'node:path'
import { z } from 'zod'
import { LOG_LEVELS, type LogLevel } from './logger'

export interface ServerConfig {
	port: number
	host: string
	dataDir: string
	/** PostgreSQL connection string; null selects SQLite in dataDir. */
	databaseUrl: string | null
	/** Who may create (and import) boards: anyone (`open`) or holders of adminToken (`admin`). */
	boardCreation: 'open' | 'admin'
	adminToken: string | null
	clientDistDir: string
	maxPayloadBytes: number
	maxBufferedBytes: number
	pingIntervalMs: number
	roomUnloadDelayMs: number
	persistFlushIntervalMs: number
	compactAfterUpdates: number
	compactAfterBytes: number
	logLevel: LogLevel
	/** Origins (scheme://host[:port]) besides the server's own; ['*'] allows any. */
	allowedOrigins: string[]
	maxConnections: number
	maxRooms: number
	maxConnectionsPerRoom: number
	messageRatePerSecond: number
	messageRateBurst: number
	credentialRecheckMs: number
	/** Redis of the cluster; null runs this process alone (exactly as without a cluster). */
	redisUrl: string | null
	boardLeaseMs: number
	redisKeyPrefix: string
	/** URL the other processes use to reach this one; null derives http://HOST:PORT once listening. */
	clusterAdvertiseUrl: string | null
}

const MiB = 1024 * 1024

/** An integer env var: digits only, so "8MB" or "1e3" are rejected rather than half-parsed. */
function integerVar(defaultValue: number, min: number, max: number) {
	return z
		.string()
		.trim()
		.regex(/^\d+$/, 'must be a non-negative integer')
		.transform(Number)
		.pipe(z.number().int().min(min).max(max))
		.default(defaultValue)
}

const EnvSchema = z.object({
	PORT: integerVar(8787, 0, 65535),
	HOST: z.string().trim().min(1).default('127.0.0.1'),
	DATA_DIR: z.string().trim().min(1).default('./data'),
	// The value itself is never echoed in errors: it may carry a password.
	DATABASE_URL: z
		.string()
		.trim()
		.refine(isPostgresUrl, 'must be a postgres://user[:password]@host[:port]/database URL')
		.optional(),
	BOARD_CREATION: z.enum(['open', 'admin']).default('open'),
	ADMIN_TOKEN: z.string().trim().min(32, 'must be at least 32 characters').optional(),
	CLIENT_DIST_DIR: z.string().trim().min(1).default('./dist'),
	MAX_PAYLOAD_BYTES: integerVar(8 * MiB, 1024, 1024 * MiB),
	MAX_BUFFERED_BYTES: integerVar(16 * MiB, 64 * 1024, 4096 * MiB),
	PING_INTERVAL_MS: integerVar(30_000, 100, 3_600_000),
	ROOM_UNLOAD_DELAY_MS: integerVar(10_000, 0, 86_400_000),
	PERSIST_FLUSH_INTERVAL_MS: integerVar(100, 0, 900),
	COMPACT_AFTER_UPDATES: integerVar(1000, 1, 10_000_000),
	COMPACT_AFTER_BYTES: integerVar(MiB, 1024, 1024 * MiB),
	LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
	ALLOWED_ORIGINS: z
		.string()
		.default('')
		.transform((value) => value.split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean))
		.pipe(z.array(z.union([z.literal('*'), z.string().regex(/^https?:\/\/[^/\s]+$/, 'origins look like https://host[:port]')]))),
	// Per-IP limits are deliberately absent: a 200-person workshop can sit behind one office NAT.
	MAX_CONNECTIONS: integerVar(5000, 1, 1_000_000),
	MAX_ROOMS: integerVar(1000, 1, 1_000_000),
	MAX_CONNECTIONS_PER_ROOM: integerVar(500, 1, 100_000),
	MESSAGE_RATE_PER_SECOND: integerVar(300, 1, 1_000_000),
	MESSAGE_RATE_BURST: integerVar(1500, 1, 10_000_000),
	CREDENTIAL_RECHECK_MS: integerVar(2000, 100, 3_600_000),
	REDIS_URL: z.string().trim().refine(isRedisUrl, 'must be a redis://[user:password@]host[:port][/db] URL').optional(),
	BOARD_LEASE_MS: integerVar(5000, 500, 60_000),
	REDIS_KEY_PREFIX: z.string().trim().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, ":", "_" or "-" (at most 64)').default('wb:'),
	CLUSTER_ADVERTISE_URL: z.string().trim().regex(/^https?:\/\/[^/\s]+$/, 'looks like http://host:port').optional(),
}).refine((env) => env.BOARD_CREATION !== 'admin' || env.ADMIN_TOKEN !== undefined, {
	path: ['ADMIN_TOKEN'],
	message: 'is required when BOARD_CREATION=admin',
}).refine((env) => env.REDIS_URL === undefined || env.DATABASE_URL !== undefined, {
	// Several processes on one SQLite file would each hold their own copy of a board.
	path: ['REDIS_URL'],
	message: 'needs DATABASE_URL: a cluster of processes shares its boards through PostgreSQL, not SQLite (unset REDIS_URL to run one process on SQLite)',
})

function isRedisUrl(value: string): boolean {
	try {
		const url = new URL(value)
		return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== ''
	} catch {
		return false
	}
}

function isPostgresUrl(value: string): boolean {
	try {
		const url = new URL(value)
		return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1
	} catch {
		return false
	}
}

export class ConfigError extends Error {
	override name = 'ConfigError'
}

/** Parses `env` (usually process.env). Throws ConfigError listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): ServerConfig {
	// Empty strings count as unset so `PORT= npm run serve` uses the default.
	const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
	const result = EnvSchema.safeParse(present)
	if (!result.success) {
		const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
		throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`)
	}
	const e = result.data
	return {
		port: e.PORT,
		host: e.HOST,
		dataDir: path.resolve(e.DATA_DIR),
		databaseUrl: e.DATABASE_URL ?? null,
		boardCreation: e.BOARD_CREATION,
		adminToken: e.ADMIN_TOKEN ?? null,
		clientDistDir: path.resolve(e.CLIENT_DIST_DIR),
		maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
		maxBufferedBytes: e.MAX_BUFFERED_BYTES,
		pingIntervalMs: e.PING_INTERVAL_MS,
		roomUnloadDelayMs: e.ROOM_UNLOAD_DELAY_MS,
		persistFlushIntervalMs: e.PERSIST_FLUSH_INTERVAL_MS,
		compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
		compactAfterBytes: e.COMPACT_AFTER_BYTES,
		logLevel: e.LOG_LEVEL,
		allowedOrigins: e.ALLOWED_ORIGINS,
		maxConnections: e.MAX_CONNECTIONS,
		maxRooms: e.MAX_ROOMS,
		maxConnectionsPerRoom: e.MAX_CONNECTIONS_PER_ROOM,
		messageRatePerSecond: e.MESSAGE_RATE_PER_SECOND,
		messageRateBurst: e.MESSAGE_RATE_BURST,
		credentialRecheckMs: e.CREDENTIAL_RECHECK_MS,
		redisUrl: e.REDIS_URL ?? null,
		boardLeaseMs: e.BOARD_LEASE_MS,
		redisKeyPrefix: e.REDIS_KEY_PREFIX,
		clusterAdvertiseUrl: e.CLUSTER_ADVERTISE_URL ?? null,
	}
}
