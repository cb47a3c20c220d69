/**
 * Forks load-generator child processes (lib/loadProcess.ts) and drives them
 * in lockstep. Child processes rather than worker threads so that each one's
 * process.cpuUsage() is its own CPU — the generator's cost is reported next
 * to the servers' so a saturated generator is visible.
 */
import { fork, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CoordinatorMessage, FanoutClientSpec, FanoutConfig, FanoutStats, JoinConfig, JoinStats, WorkerMessage } from './loadProtocol'

const LOAD_PROCESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'loadProcess.ts')

export class LoadPool {
	private readonly children: ChildProcess[]
	private readonly inbox: WorkerMessage[][]
	private readonly waiters: Array<(() => void) | null>

	constructor(count: number) {
		this.children = []
		this.inbox = []
		this.waiters = []
		for (let i = 0; i < count; i++) {
			const child = fork(LOAD_PROCESS, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
			this.inbox.push([])
			this.waiters.push(null)
			child.on('message', (message: WorkerMessage) => {
				this.inbox[i].push(message)
				this.waiters[i]?.()
			})
			child.on('exit', () => {
				this.inbox[i].push({ type: 'error', message: 'load process exited' })
				this.waiters[i]?.()
			})
			this.children.push(child)
		}
	}

	/** Lowers the CPU priority of child `index` (os.setPriority; 0 = normal, 19 = lowest). */
	setNice(index: number, nice: number): void {
		const pid = this.children[index].pid
		if (pid !== undefined) os.setPriority(pid, nice)
	}

	get size(): number {
		return this.children.length
	}

	sendTo(index: number, message: CoordinatorMessage): void {
		this.children[index].send(message)
	}

	broadcast(message: CoordinatorMessage): void {
		for (const child of this.children) if (child.connected) child.send(message)
	}

	/** Waits until every child sent a message of `type`; returns them in child order. */
	async expectAll<T extends WorkerMessage['type']>(type: T, timeoutMs: number): Promise<Array<Extract<WorkerMessage, { type: T }>>> {
		return Promise.all(this.children.map((_, i) => this.expect(i, type, timeoutMs)))
	}

	private expect<T extends WorkerMessage['type']>(i: number, type: T, timeoutMs: number): Promise<Extract<WorkerMessage, { type: T }>> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiters[i] = null
				reject(new Error(`load process ${i} sent no '${type}' within ${timeoutMs} ms`))
			}, timeoutMs)
			const check = (): void => {
				const at = this.inbox[i].findIndex((m) => m.type === type || m.type === 'error')
				if (at < 0) return
				const [message] = this.inbox[i].splice(at, 1)
				this.waiters[i] = null
				clearTimeout(timer)
				if (message.type === 'error' && type !== 'error') reject(new Error(`load process ${i}: ${message.message}`))
				else resolve(message as Extract<WorkerMessage, { type: T }>)
			}
			this.waiters[i] = check
			check()
		})
	}

	async collect<S extends FanoutStats | JoinStats>(timeoutMs = 30_000): Promise<S[]> {
		this.broadcast({ type: 'collect' })
		const replies = await this.expectAll('stats', timeoutMs)
		return replies.map((r) => r.stats as S)
	}

	/** Kills every child that is still running (safe to call twice). */
	dispose(): void {
		for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
	}

	static connectAll(pool: LoadPool, configs: Array<FanoutConfig | JoinConfig>): void {
		configs.forEach((config, i) => pool.sendTo(i, { type: 'connect', config }))
	}

	/** Starts a fan-out: each process gets the clients `processOf` assigns to it, with the same settings. */
	static connectFanout(pool: LoadPool, settings: Omit<FanoutConfig, 'kind' | 'clients'>, specs: FanoutClientSpec[], processOf: (spec: FanoutClientSpec) => number): void {
		LoadPool.connectAll(
			pool,
			Array.from({ length: pool.size }, (_, p): FanoutConfig => ({ kind: 'fanout', ...settings, clients: specs.filter((spec) => processOf(spec) === p) })),
		)
	}
}
