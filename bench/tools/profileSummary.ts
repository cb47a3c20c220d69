/**
 * Prints the functions with the most self time in a V8 CPU profile
 * (`node --cpu-prof`), and the same grouped by package or repository folder.
 *
 *   node --import tsx bench/tools/profileSummary.ts bench/results/profiles/ours-fanout/CPU….cpuprofile [top=25] [fromMs-toMs]
 *
 * `fromMs-toMs` (offsets from the profile's start) keeps only the samples of that window, e.g. the
 * measured run without the server's start-up; the busy ms of each second are printed to find it.
 */
import fs from 'node:fs'

interface ProfileNode {
	id: number
	callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile {
	nodes: ProfileNode[]
	samples: number[]
	timeDeltas: number[]
}

export interface ProfileWindow {
	fromMs: number
	toMs: number
}

function where(url: string): string {
	const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
	if (modules) return modules[1]
	const repo = /\/work\/[^/]+\/([^/]+\/[^/]+)/.exec(url)
	if (repo) return repo[1]
	if (url.startsWith('node:')) return 'node'
	return url === '' ? '(native)' : url
}

export function summarizeProfile(file: string, top = 25, window?: ProfileWindow): string {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
	const idleIds = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id))
	const selfUs = new Map<number, number>()
	const busyPerSecond: number[] = []
	let atUs = 0
	profile.samples.forEach((id, i) => {
		const delta = profile.timeDeltas[i] ?? 0
		atUs += delta
		const second = Math.floor(atUs / 1e6)
		if (!idleIds.has(id)) busyPerSecond[second] = (busyPerSecond[second] ?? 0) + delta / 1000
		if (window && (atUs < window.fromMs * 1000 || atUs >= window.toMs * 1000)) return
		selfUs.set(id, (selfUs.get(id) ?? 0) + delta)
	})
	const byFunction = new Map<string, number>()
	const byPlace = new Map<string, number>()
	let total = 0
	let idle = 0
	for (const node of profile.nodes) {
		const ms = (selfUs.get(node.id) ?? 0) / 1000
		const { functionName, url, lineNumber } = node.callFrame
		if (functionName === '(idle)') idle += ms
		total += ms
		const key = `${functionName || '(anonymous)'}  ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`
		byFunction.set(key, (byFunction.get(key) ?? 0) + ms)
		byPlace.set(where(url), (byPlace.get(where(url)) ?? 0) + ms)
	}
	const busy = total - idle
	const timeline = Array.from(busyPerSecond, (ms) => Math.round(ms ?? 0)).join(' ')
	const lines = [
		`${file}${window ? ` [${window.fromMs}-${window.toMs} ms]` : ''}: ${total.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms busy`,
		`busy ms per second of the whole profile: ${timeline}`,
		'',
		'self time by function (% of busy):',
	]
	for (const [key, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
		if (key.startsWith('(idle)')) continue
		lines.push(`${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${key}`)
	}
	lines.push('', 'self time by package / folder:')
	for (const [place, ms] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
		lines.push(`${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${place}`)
	}
	return lines.join('\n')
}

if (process.argv[1]?.endsWith('profileSummary.ts')) {
	const [file, top, range] = process.argv.slice(2)
	const bounds = range ? /^(\d+)-(\d+)$/.exec(range) : null
	if (!file || (range && !bounds)) {
		console.error('usage: node --import tsx bench/tools/profileSummary.ts <file.cpuprofile> [top] [fromMs-toMs]')
		process.exit(1)
	}
	const window = bounds ? { fromMs: Number(bounds[1]), toMs: Number(bounds[2]) } : undefined
	console.log(summarizeProfile(file, top ? Number(top) : 25, window))
}
