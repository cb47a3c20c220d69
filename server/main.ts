/**
 * Entry point: `node --import tsx server/main.ts`. Configuration comes from
 * environment variables (see config.ts). Prints exactly one line,
 * "Workshop Board listening on http://HOST:PORT", once it accepts connections.
 */
import { startServer } from './app'
import { makeProcessId, withLogFields } from './cluster/processIdentity'
import { ConfigError, parseConfig, type ServerConfig } from './config'
import { createLogger, describeError } from './logger'

let config: ServerConfig
try {
	config = parseConfig(process.env)
} catch (error) {
	process.stderr.write(`${error instanceof ConfigError ? error.message : describeError(error)}\n`)
	process.exit(1)
}

const processId = makeProcessId()
// In a cluster (REDIS_URL) every log line names its process.
const logger = config.redisUrl ? withLogFields(createLogger(config.logLevel), { process: processId }) : createLogger(config.logLevel)

// Last line of defence only: errors are handled where they occur. Logging
// and staying up beats dropping every room's unflushed updates.
process.on('uncaughtException', (error) => logger.error('process.uncaught_exception', { error: describeError(error) }))
process.on('unhandledRejection', (reason) => logger.error('process.unhandled_rejection', { error: describeError(reason) }))

try {
	const server = await startServer(config, { logger, processId })
	process.stdout.write(`Workshop Board listening on ${server.url}\n`)

	let shuttingDown = false
	const shutdown = (signal: NodeJS.Signals): void => {
		if (shuttingDown) return
		shuttingDown = true
		logger.info('server.signal', { signal })
		server.close().then(
			() => process.exit(0),
			(error: unknown) => {
				logger.error('server.shutdown_failed', { error: describeError(error) })
				process.exit(1)
			},
		)
	}
	process.on('SIGINT', shutdown)
	process.on('SIGTERM', shutdown)
} catch (error) {
	logger.error('server.start_failed', { error: describeError(error) })
	process.exit(1)
}
