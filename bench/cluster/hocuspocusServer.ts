/**
 * One Hocuspocus 3.4 process of the comparison cluster (child process entry,
 * `node --import tsx bench/cluster/hocuspocusServer.ts`): @hocuspocus/server
 * with @hocuspocus/extension-redis as its docs configure it, nothing else
 * (no database extension: documents live in memory, which spares it the
 * storage work our cluster does on PostgreSQL).
 *
 * Env: PORT, REDIS_URL (redis://host:port), HOCUSPOCUS_PREFIX (its Redis key
 * and channel namespace). Prints "hocuspocus listening on <port>" when ready.
 */
import { Redis } from '@hocuspocus/extension-redis'
import { Server } from '@hocuspocus/server'

const port = Number(process.env.PORT)
const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
const prefix = process.env.HOCUSPOCUS_PREFIX ?? 'hocuspocus'

const server = new Server({
	port,
	address: '127.0.0.1',
	quiet: true,
	extensions: [new Redis({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379), prefix })],
})

await server.listen()
console.log(`hocuspocus listening on ${port}`)

const stop = (): void => {
	void server.destroy().finally(() => process.exit(0))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
