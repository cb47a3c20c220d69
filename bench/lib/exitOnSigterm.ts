/**
 * Preloaded (`--import`) into the reference server only when profiling:
 * it has no SIGTERM handler, and a process killed by a signal never writes
 * its `--cpu-prof` profile. Exiting normally on SIGTERM does.
 */
process.on('SIGTERM', () => process.exit(0))
export {}
