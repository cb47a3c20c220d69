/** Result model of every scenario, the printed table, latest.json and the table in docs/performance.md. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from './servers'

export interface Metric {
	name: string
	unit: string
	ours: number | null
	/** The reference y-websocket server's figure, or the baseline's where the scenario has one. */
	reference: number | null
	/** ours / reference. */
	ratio: number | null
	/** Human-readable target, e.g. "≤ 25 ms". */
	target: string | null
	met: boolean | null
}

/** What the harness (bench/run.ts) hands every scenario. */
export interface ScenarioOptions {
	quick: boolean
	log: (line: string) => void
	/** With --cpu-prof: where CPU profiles go. */
	profileDir?: string
}

export interface ScenarioResult {
	id: string
	title: string
	/** What "reference" means in this scenario (the reference server, or a baseline). */
	referenceLabel: string
	metrics: Metric[]
	details: Record<string, unknown>
	notes: string[]
}

export interface BenchResults {
	startedAt: string
	finishedAt: string
	quick: boolean
	machine: { cpus: number; model: string; loadAverageAtStart: number[]; node: string; platform: string }
	scenarios: ScenarioResult[]
}

export function metric(
	name: string,
	unit: string,
	ours: number | null,
	reference: number | null,
	target: { text: string; met: boolean | null } | null = null,
): Metric {
	const ratio = ours !== null && reference !== null && reference !== 0 ? Math.round((ours / reference) * 1000) / 1000 : null
	return { name, unit, ours, reference, ratio, target: target?.text ?? null, met: target?.met ?? null }
}

function fmt(value: number | null): string {
	if (value === null || Number.isNaN(value)) return '–'
	if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US')
	if (Math.abs(value) >= 100) return value.toFixed(0)
	if (Math.abs(value) >= 10) return value.toFixed(1)
	return String(Math.round(value * 100) / 100)
}

/** Markdown table of all scenarios' metrics. */
export function renderTable(results: BenchResults): string {
	const lines = [
		'| scenario | metric | ours | reference / baseline | ratio | target | met |',
		'|---|---|---:|---:|---:|---|:-:|',
	]
	for (const scenario of results.scenarios) {
		for (const m of scenario.metrics) {
			const met = m.met === null ? '' : m.met ? '✅' : '❌'
			const ref = m.reference === null ? '–' : `${fmt(m.reference)}${scenario.referenceLabel ? ` (${scenario.referenceLabel})` : ''}`
			lines.push(`| ${scenario.id} | ${m.name} | ${fmt(m.ours)} ${m.unit} | ${ref} | ${m.ratio === null ? '–' : `${fmt(m.ratio)}×`} | ${m.target ?? ''} | ${met} |`)
		}
	}
	const notes = results.scenarios.flatMap((scenario) => scenario.notes.map((note) => `- ${scenario.id}: ${note}`))
	return notes.length ? `${lines.join('\n')}\n\n${notes.join('\n')}` : lines.join('\n')
}

export const RESULTS_DIR = path.join(REPO_ROOT, 'bench/results')
const DOC_PATH = path.join(REPO_ROOT, 'docs/performance.md')
const TABLE_START = '<!-- bench-table:start -->'
const TABLE_END = '<!-- bench-table:end -->'

export function writeResults(results: BenchResults, fileName: string): string {
	fs.mkdirSync(RESULTS_DIR, { recursive: true })
	const file = path.join(RESULTS_DIR, fileName)
	fs.writeFileSync(file, `${JSON.stringify(results, null, '\t')}\n`)
	return file
}

/** Replaces the generated table in docs/performance.md (between the markers), if the markers exist. */
export function updateDocTable(results: BenchResults): boolean {
	if (!fs.existsSync(DOC_PATH)) return false
	const doc = fs.readFileSync(DOC_PATH, 'utf8')
	const start = doc.indexOf(TABLE_START)
	const end = doc.indexOf(TABLE_END)
	if (start < 0 || end < start) return false
	const header =
		`Run of ${results.finishedAt.slice(0, 16).replace('T', ' ')} UTC${results.quick ? ' (--quick)' : ''} on ` +
		`${results.machine.cpus} × ${results.machine.model}, load average at start ${results.machine.loadAverageAtStart.map((l) => l.toFixed(1)).join(' / ')}, Node ${results.machine.node}.`
	const body = `${TABLE_START}\n${header}\n\n${renderTable(results)}\n${TABLE_END}`
	fs.writeFileSync(DOC_PATH, doc.slice(0, start) + body + doc.slice(end + TABLE_END.length))
	return true
}

export function machineInfo(): BenchResults['machine'] {
	const cpus = os.cpus()
	return {
		cpus: cpus.length,
		model: cpus[0]?.model.trim() ?? 'unknown',
		loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
	}
}
