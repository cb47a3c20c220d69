/**
 * Scenario 11 — an all-hands review: 500 people in one room on one process, 200 editing
 * (200 document updates/s in total from the senders, every editor's cursor at 20 Hz) and 300
 * watching (a viewer link: they receive everything and send nothing). Ours and the reference,
 * each on a fresh server, under the same load generator in one run (issue #15 item 2).
 *
 * Watchers' cursors: a watcher sends none, so none is drawn; the people list counts them.
 */
import { metric, type ScenarioOptions, type ScenarioResult } from '../lib/report'
import { runFanout, type FanoutRun } from './fanout'

const PEOPLE = 500
const EDITORS = 200
const TARGETS = { docP99Ms: 50, cursorP99Ms: 150, cpuPerMessageRatio: 0.1 }

function describe(run: FanoutRun): string {
	return (
		`${run.server.padEnd(9)} N=${run.clients} (${EDITORS} editing) doc p50/p99/max ${run.doc.p50}/${run.doc.p99}/${run.doc.max} ms ` +
		`lost ${run.docLost} (lean missing ${run.docFramesMissing}), cursor p50/p99 ${run.cursor.p50}/${run.cursor.p99} ms, ` +
		`server CPU ${run.serverCpuMs} ms (${run.serverCpuPercent}%), ${run.deliveredMessages} messages, ${run.serverCpuUsPerDeliveredMessage} µs/message, ` +
		`RSS ${run.serverPeakRssMiB} MiB, generator max ${run.generatorMaxProcessCpuPercent}%, load ${run.loadAverage1m}`
	)
}

export async function allHandsScenario({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
	const options = { clients: PEOPLE, editors: EDITORS, docUpdatesPerSecond: 200, cursorHz: 20, durationMs: quick ? 4_000 : 10_000 }
	const oursRuns: FanoutRun[] = []
	for (let repeat = 0; repeat < (quick ? 1 : 3); repeat++) {
		const run = await runFanout('ours', options)
		log(describe(run))
		oursRuns.push(run)
	}
	const ref = await runFanout('reference', options)
	log(describe(ref))
	// The table shows the run with the median doc p99; every run is in details and notes.
	const ours = [...oursRuns].sort((a, b) => (a.doc.p99 ?? Infinity) - (b.doc.p99 ?? Infinity))[Math.floor((oursRuns.length - 1) / 2)]!
	const lost = ours.docLost + ours.docFramesMissing
	const perMessageRatio = ref.serverCpuUsPerDeliveredMessage ? ours.serverCpuUsPerDeliveredMessage / ref.serverCpuUsPerDeliveredMessage : null
	return {
		id: '11 all-hands',
		title: `All-hands: ${PEOPLE} people in one room, ${EDITORS} editing, ${PEOPLE - EDITORS} watching`,
		referenceLabel: 'y-websocket-server',
		metrics: [
			metric('doc update p50', 'ms', ours.doc.p50, ref.doc.p50),
			metric('doc update p99', 'ms', ours.doc.p99, ref.doc.p99, { text: `≤ ${TARGETS.docP99Ms} ms`, met: ours.doc.p99 !== null && ours.doc.p99 <= TARGETS.docP99Ms }),
			metric('cursor p50', 'ms', ours.cursor.p50, ref.cursor.p50),
			metric('cursor p99', 'ms', ours.cursor.p99, ref.cursor.p99, { text: `≤ ${TARGETS.cursorP99Ms} ms`, met: ours.cursor.p99 !== null && ours.cursor.p99 <= TARGETS.cursorP99Ms }),
			metric('doc updates lost (observers + lean)', '', lost, ref.docLost + ref.docFramesMissing, { text: '0', met: lost === 0 }),
			metric('server CPU per delivered message', 'µs', ours.serverCpuUsPerDeliveredMessage, ref.serverCpuUsPerDeliveredMessage, {
				text: `≤ ${TARGETS.cpuPerMessageRatio}× reference`,
				met: perMessageRatio !== null && perMessageRatio <= TARGETS.cpuPerMessageRatio,
			}),
			metric('server CPU, whole run', '% core', ours.serverCpuPercent, ref.serverCpuPercent),
			metric('messages delivered', '', ours.deliveredMessages, ref.deliveredMessages),
			metric('server peak RSS', 'MiB', ours.serverPeakRssMiB, ref.serverPeakRssMiB),
			metric('load generator, busiest process', '% core', ours.generatorMaxProcessCpuPercent, ref.generatorMaxProcessCpuPercent),
		],
		details: { runs: [...oursRuns, ref] },
		notes: [
			`ours, ${oursRuns.length} run(s): doc p99 ${oursRuns.map((r) => r.doc.p99).join(' / ')} ms, cursor p99 ${oursRuns.map((r) => r.cursor.p99).join(' / ')} ms (table: the run with the median doc p99)`,
			`watchers send nothing (no cursor); the ${EDITORS} editors' cursors reach all ${PEOPLE}`,
		],
	}
}
