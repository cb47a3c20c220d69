/**
 * Where a page load's time goes, from a Chromium CPU profile written by
 * scenario 4 with --cpu-prof (bench page built with BENCH_BROWSER_MINIFY=0
 * so names are readable): self time by function, and the inclusive time of
 * the load's steps (Yjs, record codec, binding, tldraw store, React).
 *
 *   node --import tsx bench/browser/loadProfile.ts bench/results/profiles/browser-load-5000-second.cpuprofile [top=20]
 */
import fs from 'node:fs'

interface ProfileNode {
	id: number
	callFrame: { functionName: string; url: string; lineNumber: number }
	children?: number[]
}
interface Profile {
	nodes: ProfileNode[]
	samples: number[]
	timeDeltas: number[]
}

/** Steps of the load, each matched by function name anywhere on the stack (inclusive time, counted once per sample). */
const STEPS: Array<[string, RegExp]> = [
	['IndexedDB copy → Y.Doc (y-indexeddb fetchUpdates/applyUpdate)', /^(fetchUpdates|applyUpdate|applyUpdateV2|readUpdateV2)$/],
	['binding: bindStoreToYDoc', /^bindStoreToYDoc$/],
	['binding: read + validate records (readDocRecord)', /^readDocRecord$/],
	['record codec: yMapToRecord', /^yMapToRecord$/],
	['tldraw: schema.validateRecord', /^validateRecord$/],
	['tldraw: store.put', /^put$/],
	['tldraw: createTLStore / loadStoreSnapshot', /^(createTLStore|loadStoreSnapshot|loadSnapshot)$/],
	['JSON.parse (snapshot fetch)', /^(parse|json)$/],
	['React render/commit (performWorkOnRoot)', /^(performWorkOnRoot|performSyncWorkOnRoot|performConcurrentWorkOnRoot|commitRoot)$/],
	['tldraw: shape render (Shape / InnerShape components)', /^(Shape|InnerShape|InnerShapeBackground|ShapeUtil.component|component)$/],
	['tldraw: text measurement (measureHtml/measureText)', /^(measureHtml|measureText|measureTextSpans)$/],
	['tldraw: getRenderingShapes / culling', /^(getRenderingShapes|getCulledShapes|_getShapeCulledCache|getNotVisibleShapes)$/],
	['signals (computed/atom bookkeeping)', /^(haveParentsChanged|attach|detach|traverse|__unsafe__getWithoutCapture|get)$/],
	['garbage collector', /^\(garbage collector\)$/],
]

export function summarizeLoadProfile(file: string, top = 20): string {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
	const byId = new Map(profile.nodes.map((node) => [node.id, node]))
	const parent = new Map<number, number>()
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
	const selfUs = new Map<number, number>()
	profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
	const stepMs = new Map<string, number>()
	const selfByName = new Map<string, number>()
	let busy = 0
	let idle = 0
	for (const [id, us] of selfUs) {
		const ms = us / 1000
		const leaf = byId.get(id)
		if (!leaf) continue
		const name = leaf.callFrame.functionName || '(anonymous)'
		if (name === '(idle)' || name === '(program)') {
			idle += ms
			continue
		}
		busy += ms
		const key = `${name} :${leaf.callFrame.lineNumber}`
		selfByName.set(key, (selfByName.get(key) ?? 0) + ms)
		const onStack = new Set<string>()
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) onStack.add(byId.get(at)?.callFrame.functionName ?? '')
		for (const [label, pattern] of STEPS) if ([...onStack].some((fn) => pattern.test(fn))) stepMs.set(label, (stepMs.get(label) ?? 0) + ms)
	}
	const lines = [`${file}: busy ${busy.toFixed(0)} ms, idle/program ${idle.toFixed(0)} ms`, '', 'steps (inclusive, ms, % of busy):']
	for (const [label] of STEPS) {
		const ms = stepMs.get(label) ?? 0
		lines.push(`  ${ms.toFixed(0).padStart(7)}  ${((ms / busy) * 100).toFixed(1).padStart(5)} %  ${label}`)
	}
	lines.push('', `top ${top} by self time:`)
	for (const [name, ms] of [...selfByName].sort((a, b) => b[1] - a[1]).slice(0, top)) {
		lines.push(`  ${ms.toFixed(0).padStart(7)}  ${((ms / busy) * 100).toFixed(1).padStart(5)} %  ${name}`)
	}
	return lines.join('\n')
}

if (process.argv[1]?.endsWith('loadProfile.ts')) {
	const [file, top] = process.argv.slice(2)
	if (!file) throw new Error('usage: loadProfile.ts <file.cpuprofile> [top]')
	console.log(summarizeLoadProfile(file, top ? Number(top) : 20))
}
