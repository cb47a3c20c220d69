/**
 * CPU time and peak memory of another process, read from Linux /proc:
 * utime + stime (fields 14 and 15 of /proc/<pid>/stat, in clock ticks) and
 * VmHWM (peak resident set) from /proc/<pid>/status.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

let ticksPerSecond: number | null = null

function clockTicks(): number {
	if (ticksPerSecond === null) {
		try {
			ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
		} catch {
			ticksPerSecond = 100
		}
	}
	return ticksPerSecond
}

/** user + system CPU of `pid` so far, in ms. */
export function readCpuMs(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
	// The command name (field 2) is parenthesised and may contain spaces: split after it.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
	// fields[0] is field 3 (state), so utime (14) is fields[11] and stime (15) fields[12].
	const ticks = Number(fields[11]) + Number(fields[12])
	return (ticks * 1000) / clockTicks()
}

/** Peak resident set size of `pid` in MiB (VmHWM), or null if unavailable. */
export function readPeakRssMiB(pid: number): number | null {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
		const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)
		return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null
	} catch {
		return null
	}
}

/** Current resident set size of `pid` in MiB (VmRSS). */
export function readRssMiB(pid: number): number | null {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
		const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
		return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null
	} catch {
		return null
	}
}

/** Measures a process's CPU between `start()` and `stop()`. */
export class CpuMeter {
	private startMs = 0
	constructor(private readonly pid: number) {}
	start(): void {
		this.startMs = readCpuMs(this.pid)
	}
	/** CPU ms used since start(). */
	elapsed(): number {
		return readCpuMs(this.pid) - this.startMs
	}
}
