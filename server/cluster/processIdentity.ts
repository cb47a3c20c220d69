/** Who this process is in a cluster: an id in every log line and in the leases it holds. */
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import type { Logger, LogFields } from '../logger'

/** host-pid-random: readable in logs, unique across restarts (a restarted pid may repeat). */
export function makeProcessId(): string {
	const host = os.hostname().replace(/[^A-Za-z0-9.-]/g, '').slice(0, 40) || 'host'
	return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`
}

/** `logger` with `fields` appended to every line. */
export function withLogFields(logger: Logger, fields: LogFields): Logger {
	return {
		debug: (event, own) => logger.debug(event, { ...own, ...fields }),
		info: (event, own) => logger.info(event, { ...own, ...fields }),
		warn: (event, own) => logger.warn(event, { ...own, ...fields }),
		error: (event, own) => logger.error(event, { ...own, ...fields }),
	}
}
