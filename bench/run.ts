/**
 * The benchmark harness: `npm run bench` (everything) or `npm run bench -- --quick`
 * (reduced, under two minutes). Options:
 *   --quick             shorter runs, fewer repetitions
 *   --only=1,3          run only these scenarios (numbers as in docs/performance.md)
 *   --no-docs           do not rewrite the table in docs/performance.md (full runs only rewrite it)
 *   --cpu-prof          write V8 CPU profiles of both servers (fan-out N=200, join storm) and of the
 *                       bench page (big board, cursors) to
 *                       bench/results/profiles/; summarize with bench/tools/profileSummary.ts
 * Results: bench/results/latest.json; the table is printed at the end.
 */
import { bigBoardScenario } from './scenarios/bigBoardBrowser'
import { clusterScenario } from './scenarios/cluster'
import { cursorsBrowserScenario } from './scenarios/cursorsBrowser'
import { exportScenario } from './scenarios/exportBoard'
import { fanoutScenario } from './scenarios/fanout'
import { joinStormScenario } from './scenarios/joinStorm'
import { pageLoadScenario } from './scenarios/pageLoad'
import { searchScenario } from './scenarios/searchBoard'
import { allHandsScenario } from './scenarios/allHands'
import { storageScenario } from './scenarios/storage'
import { wireBytesScenario } from './scenarios/wireBytes'
import os from 'node:os'
import path from 'node:path'
import { machineInfo, RESULTS_DIR, renderTable, updateDocTable, writeResults, type BenchResults, type ScenarioResult } from './lib/report'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const onlyArg = args.find((a) => a.startsWith('--only='))
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',').map(Number)) : null
const writeDocs = !quick && !args.includes('--no-docs') && only === null
const profileDir = args.includes('--cpu-prof') ? path.join(RESULTS_DIR, 'profiles') : undefined

/** Whole-run deadline: nothing the bench starts may run forever. */
const DEADLINE_MS = quick ? 6 * 60_000 : 30 * 60_000
setTimeout(() => {
	console.error(`bench: deadline of ${DEADLINE_MS / 60_000} min passed, exiting`)
	process.exit(2)
}, DEADLINE_MS).unref()

const log = (line: string): void => console.log(`  ${line}`)
const options = { quick, log, profileDir }

const scenarios: Array<{ number: number; name: string; run: () => Promise<ScenarioResult> }> = [
	{ number: 1, name: 'fan-out', run: () => fanoutScenario(options) },
	{ number: 2, name: 'wire bytes', run: () => wireBytesScenario() },
	{ number: 3, name: 'join storm', run: () => joinStormScenario(options) },
	{ number: 4, name: 'big board in the browser', run: () => bigBoardScenario(options) },
	{ number: 5, name: 'storage', run: () => storageScenario(options) },
	{ number: 6, name: 'export', run: () => exportScenario(options) },
	{ number: 7, name: '200 cursors in the browser', run: () => cursorsBrowserScenario(options) },
	{ number: 8, name: 'page load', run: () => pageLoadScenario(options) },
	{ number: 9, name: 'search', run: () => searchScenario(options) },
	{ number: 10, name: 'cluster', run: () => clusterScenario(options) },
	{ number: 11, name: 'all-hands (500 people)', run: () => allHandsScenario(options) },
]

async function main(): Promise<void> {
	const results: BenchResults = {
		startedAt: new Date().toISOString(),
		finishedAt: '',
		quick,
		machine: machineInfo(),
		scenarios: [],
	}
	const started = performance.now()
	let failed = 0
	for (const scenario of scenarios) {
		if (only && !only.has(scenario.number)) continue
		console.log(`▶ ${scenario.number} ${scenario.name}${quick ? ' (quick)' : ''}`)
		const scenarioStarted = performance.now()
		// Other work on this machine skews latencies: every scenario records the 1-minute load average around it.
		const loadBefore = Math.round(os.loadavg()[0] * 100) / 100
		try {
			const result = await scenario.run()
			result.details.loadAverage1m = { before: loadBefore, after: Math.round(os.loadavg()[0] * 100) / 100 }
			results.scenarios.push(result)
		} catch (error) {
			failed++
			const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
			console.error(`  ✖ ${scenario.name} failed: ${message}`)
			results.scenarios.push({ id: `${scenario.number} ${scenario.name}`, title: scenario.name, referenceLabel: '', metrics: [], details: { error: message }, notes: ['failed'] })
		}
		console.log(`  (${((performance.now() - scenarioStarted) / 1000).toFixed(1)} s)`)
	}
	results.finishedAt = new Date().toISOString()
	const file = writeResults(results, 'latest.json')
	console.log(`\n${renderTable(results)}\n`)
	console.log(`results: ${file} (${((performance.now() - started) / 1000).toFixed(0)} s)`)
	if (writeDocs && updateDocTable(results)) console.log('docs/performance.md: table updated')
	process.exit(failed ? 1 : 0)
}

void main()
