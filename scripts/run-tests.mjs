#!/usr/bin/env node
/**
 * `npm test`: every suite — unit, integration on SQLite and on PostgreSQL, and the
 * browser end-to-end tests — in two vitest processes running side by side.
 *
 * Why two processes: vitest runs a project without file parallelism (e2e: one
 * Chromium at a time) as a group after all the others, so in one process the
 * browser tests could only start once the integration suites were done, and the
 * whole run took their sum. Side by side it takes about the longer of the two.
 * The non-browser process gets one worker so the two together fit two cores.
 *
 * Each line is prefixed with its process ([e2e] / [node]); both JSON reports are
 * merged into test-results/vitest.json, which .ci/run summarises.
 * With arguments (`npm test -- test/unit/x.test.ts`) it is plain `vitest run <args>`.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const vitest = path.join(root, 'node_modules', '.bin', 'vitest')
const resultsDir = path.join(root, 'test-results')
const extraArgs = process.argv.slice(2)

if (extraArgs.length > 0) {
	const child = spawn(vitest, ['run', ...extraArgs], { cwd: root, stdio: 'inherit' })
	child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
} else {
	mkdirSync(resultsDir, { recursive: true })
	const runs = [
		{ label: 'e2e', projects: ['e2e'], env: {} },
		{ label: 'node', projects: ['unit', 'integration', 'integration-postgres'], env: { VITEST_MAX_WORKERS: '1' } },
	]
	const exits = await Promise.all(runs.map(runVitest))
	const reports = runs.map((run) => readReport(run.label))
	writeFileSync(path.join(resultsDir, 'vitest.json'), JSON.stringify(mergeReports(reports)))
	for (const [index, run] of runs.entries()) {
		const report = reports[index]
		const summary = report
			? `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`
			: 'no report (vitest did not finish)'
		console.log(`[${run.label}] exit ${exits[index]}: ${summary}`)
	}
	process.exit(exits.every((code) => code === 0) ? 0 : 1)
}

/** Runs one vitest process, prefixing each output line with its label; resolves to its exit code. */
function runVitest({ label, projects, env }) {
	const args = ['run', ...projects.flatMap((name) => ['--project', name]), `--outputFile.json=test-results/vitest-${label}.json`]
	const child = spawn(vitest, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
	prefixLines(child.stdout, process.stdout, `[${label}] `)
	prefixLines(child.stderr, process.stderr, `[${label}] `)
	return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))))
}

function prefixLines(input, output, prefix) {
	let pending = ''
	input.setEncoding('utf8')
	input.on('data', (chunk) => {
		const lines = (pending + chunk).split('\n')
		pending = lines.pop() ?? ''
		for (const line of lines) output.write(prefix + line + '\n')
	})
	input.on('end', () => {
		if (pending) output.write(prefix + pending + '\n')
	})
}

function readReport(label) {
	try {
		return JSON.parse(readFileSync(path.join(resultsDir, `vitest-${label}.json`), 'utf8'))
	} catch {
		return null
	}
}

/** One report in vitest's JSON shape: counts summed, test files concatenated. */
function mergeReports(reports) {
	const present = reports.filter((report) => report !== null)
	const sum = (key) => present.reduce((total, report) => total + (report[key] ?? 0), 0)
	return {
		numTotalTestSuites: sum('numTotalTestSuites'),
		numPassedTestSuites: sum('numPassedTestSuites'),
		numFailedTestSuites: sum('numFailedTestSuites') + (reports.length - present.length),
		numPendingTestSuites: sum('numPendingTestSuites'),
		numTotalTests: sum('numTotalTests'),
		numPassedTests: sum('numPassedTests'),
		numFailedTests: sum('numFailedTests'),
		numPendingTests: sum('numPendingTests'),
		numTodoTests: sum('numTodoTests'),
		startTime: Math.min(...present.map((report) => report.startTime ?? Date.now())),
		success: present.length === reports.length && present.every((report) => report.success),
		testResults: present.flatMap((report) => report.testResults ?? []),
	}
}
