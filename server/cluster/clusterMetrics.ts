/**
 * Prometheus metrics of one process (`GET /metrics`, prom-client), on a
 * registry of its own so tests starting several servers in one process do
 * not collide on the global one.
 */
import client from 'prom-client'
import type { RoomExtensionFactory } from '../sync/roomExtension'

export interface MetricSources {
	connections(): number
	rooms(): number
	/** Boards whose lease this process holds (0 without a cluster). */
	boardsOwned(): number
	relayedConnections(): number
}

export class ClusterMetrics {
	readonly registry = new client.Registry()
	readonly relayedFrames = new client.Counter({
		name: 'wb_relayed_frames_total',
		help: 'WebSocket frames relayed between a client and the board owner process',
		labelNames: ['direction'] as const,
		registers: [this.registry],
	})
	readonly leasesAcquired = new client.Counter({ name: 'wb_lease_acquisitions_total', help: 'Board leases taken', registers: [this.registry] })
	readonly leaseRenewals = new client.Counter({ name: 'wb_lease_renewals_total', help: 'Board lease renewals confirmed by Redis', registers: [this.registry] })
	readonly leaseRenewalErrors = new client.Counter({
		name: 'wb_lease_renewal_errors_total',
		help: 'Board lease renewals that Redis did not answer',
		registers: [this.registry],
	})
	readonly leasesLost = new client.Counter({
		name: 'wb_lease_losses_total',
		help: 'Board leases lost (taken by another process or not renewed in time)',
		registers: [this.registry],
	})
	readonly storageCommitSeconds = new client.Histogram({
		name: 'wb_storage_commit_seconds',
		help: 'Duration of a board write (update batch or compaction) in the store',
		labelNames: ['kind'] as const,
		buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
		registers: [this.registry],
	})
	readonly updateApplySeconds = new client.Histogram({
		name: 'wb_update_apply_seconds',
		help: 'Duration of applying one client document update to a board',
		buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
		registers: [this.registry],
	})

	constructor(sources: MetricSources) {
		const gauge = (name: string, help: string, read: () => number) =>
			new client.Gauge({
				name,
				help,
				registers: [this.registry],
				collect() {
					this.set(read())
				},
			})
		gauge('wb_connections', 'Open client WebSockets (local and relayed)', () => sources.connections() + sources.relayedConnections())
		gauge('wb_relayed_connections', 'Client WebSockets relayed to another process that owns their board', sources.relayedConnections)
		gauge('wb_rooms', 'Boards loaded in this process', sources.rooms)
		gauge('wb_boards_owned', 'Boards whose lease this process holds', sources.boardsOwned)
		client.collectDefaultMetrics({ register: this.registry })
	}

	/**
	 * `factory` plus timing of every client update applied to the room's doc
	 * (one Yjs transaction whose origin is a connection), for wb_update_apply_seconds.
	 */
	observingUpdates(factory: RoomExtensionFactory): RoomExtensionFactory {
		return (room) => {
			let started = 0
			room.doc.on('beforeTransaction', (transaction) => {
				if (room.connections.has(transaction.origin as never)) started = performance.now()
			})
			room.doc.on('afterTransaction', (transaction) => {
				if (started !== 0 && room.connections.has(transaction.origin as never)) this.updateApplySeconds.observe((performance.now() - started) / 1000)
				started = 0
			})
			return factory(room)
		}
	}

	/** Times `work` into the storage commit histogram. */
	async timeCommit<T>(kind: 'append' | 'compact' | 'session', work: () => Promise<T>): Promise<T> {
		const end = this.storageCommitSeconds.startTimer({ kind })
		try {
			return await work()
		} finally {
			end()
		}
	}
}
