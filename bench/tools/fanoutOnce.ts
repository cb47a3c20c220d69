/**
 * One fan-out run, for iterating on a change without the whole bench:
 *   node --import tsx bench/tools/fanoutOnce.ts [ours|reference] [clients] [seconds] [repeats]
 * Prints the same one-line summary as `npm run bench -- --only=1`. BENCH_WARMUP_MS: load before the
 * measured window; BENCH_PROFILE_DIR: CPU profile of the server; BENCH_ECHO_AWARENESS=1.
 */
import { runFanout } from '../scenarios/fanout'
import type { ServerKind } from '../lib/servers'

const [kind = 'ours', clients = '200', seconds = '10', repeats = '1'] = process.argv.slice(2)
for (let i = 0; i < Number(repeats); i++) {
	const run = await runFanout(kind as ServerKind, { clients: Number(clients), durationMs: Number(seconds) * 1000, docUpdatesPerSecond: 200, cursorHz: 20, cpuProfDir: process.env.BENCH_PROFILE_DIR, echoAwareness: process.env.BENCH_ECHO_AWARENESS === '1', warmupMs: Number(process.env.BENCH_WARMUP_MS ?? 0) })
	console.log(JSON.stringify({ doc: run.doc, cursor: run.cursor, lost: run.docLost + run.docFramesMissing, serverCpuPercent: run.serverCpuPercent, usPerMessage: run.serverCpuUsPerDeliveredMessage, usPerMessageWithEchoes: run.serverCpuUsPerDeliveredMessageWithEchoes, messages: run.deliveredMessages, messagesWithEchoes: run.deliveredMessagesWithEchoes, frames: run.deliveredFrames, breakdown: run.deliveredBreakdown, cpuMs: run.serverCpuMs, generatorCpuMs: run.generatorCpuMs, loop: run.generatorEventLoopDelayMs, MiB: run.deliveredMiB, load: run.loadAverage1m }))
}
process.exit(0)
