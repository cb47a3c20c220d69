/**
 * Prints the functions with the most self time in a V8 CPU profile
 * (`node --cpu-prof`), and the same grouped by package or repository folder.
 *
 *   node --import tsx bench/tools/profileSummary.ts bench/results/profiles/ours-fanout/CPU….cpuprofile [top=25]
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

function where(url: string): string {
	const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
	if (modules) return modules[1]
	const repo = /\/work\/[^/]+\/([^/]+\/[^/]+)/.exec(url)
	if (repo) return repo[1]
	if (url.startsWith('node:')) return 'node'
	return url === '' ? '(native)' : url
}

export function summarizeProfile(file: string, top = 25): string {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
	const selfUs = new Map<number, number>()
	profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
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
	const lines = [`${file}: ${total.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms busy`, '', 'self time by function (% of busy):']
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
	const [file, top] = process.argv.slice(2)
	if (!file) {
		console.error('usage: node --import tsx bench/tools/profileSummary.ts <file.cpuprofile> [top]')
		process.exit(1)
	}
	console.log(summarizeProfile(file, top ? Number(top) : 25))
}
