/**
 * A tiny structured logger: one line per event on stderr (stdout is reserved
 * for the "listening" line that scripts and tests parse). Callers pass short
 * scalar fields only — never message bodies or tokens.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export type LogFields = Record<string, string | number | boolean | null | undefined>

export interface Logger {
	debug(event: string, fields?: LogFields): void
	info(event: string, fields?: LogFields): void
	warn(event: string, fields?: LogFields): void
	error(event: string, fields?: LogFields): void
}

const severity: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

/** Longest value we print for a field, so a hostile string cannot flood the log. */
const MAX_FIELD_LENGTH = 200

function formatValue(value: string | number | boolean | null): string {
	const text = String(value)
	const clipped = text.length > MAX_FIELD_LENGTH ? `${text.slice(0, MAX_FIELD_LENGTH)}…` : text
	return /[\s"=]/.test(clipped) ? JSON.stringify(clipped) : clipped
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
	const threshold = severity[level]
	const log = (lineLevel: Exclude<LogLevel, 'silent'>, event: string, fields?: LogFields): void => {
		if (severity[lineLevel] < threshold) return
		let line = `${new Date().toISOString()} ${lineLevel.toUpperCase()} ${event}`
		if (fields) {
			for (const [key, value] of Object.entries(fields)) {
				if (value !== undefined) line += ` ${key}=${formatValue(value)}`
			}
		}
		write(`${line}\n`)
	}
	return {
		debug: (event, fields) => log('debug', event, fields),
		info: (event, fields) => log('info', event, fields),
		warn: (event, fields) => log('warn', event, fields),
		error: (event, fields) => log('error', event, fields),
	}
}

/** Short description of an unknown thrown value, for log fields. */
export function describeError(error: unknown): string {
	if (error instanceof Error) return `${error.name}: ${error.message}`
	return String(error)
}
