/**
 * One Hocuspocus 3.4 process of the comparison cluster (child process entry,
 * `node --import tsx bench/cluster/hocuspocusServer.ts`): @hocuspocus/server
 * with @hocuspocus/extension-redis as its docs configure it, plus, when
 * DATABASE_URL is set, a minimal PostgreSQL store (load the document's state
 * on first use, store the whole state on Hocuspocus's debounced
 * onStoreDocument: 2 s, at most 10 s, its defaults), so it persists as ours does.
 *
 * Env: PORT, REDIS_URL (redis://host:port), HOCUSPOCUS_PREFIX (its Redis key
 * and channel namespace), DATABASE_URL (optional; table hocuspocus_documents
 * must exist). Prints "hocuspocus listening on <port>" when ready.
 */
import { Redis } from '@hocuspocus/extension-redis'
import { Server, type Extension } from '@hocuspocus/server'
import pg from 'pg'
import * as Y from 'yjs'

const port = Number(process.env.PORT)
const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
const prefix = process.env.HOCUSPOCUS_PREFIX ?? 'hocuspocus'
const databaseUrl = process.env.DATABASE_URL

function postgresStore(url: string): Extension & { close(): Promise<void> } {
	const pool = new pg.Pool({ connectionString: url, max: 4 })
	return {
		async onLoadDocument({ documentName, document }) {
			const { rows } = await pool.query<{ data: Buffer }>('SELECT data FROM hocuspocus_documents WHERE name = $1', [documentName])
			if (rows[0]) Y.applyUpdate(document, rows[0].data)
		},
		async onStoreDocument({ documentName, document }) {
			await pool.query(
				'INSERT INTO hocuspocus_documents (name, data) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data',
				[documentName, Buffer.from(Y.encodeStateAsUpdate(document))],
			)
		},
		close: () => pool.end(),
	}
}

const store = databaseUrl ? postgresStore(databaseUrl) : null
const server = new Server({
	port,
	address: '127.0.0.1',
	quiet: true,
	// The Redis extension's priority (1000) runs it first: its lock decides which instance stores.
	extensions: [new Redis({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379), prefix }), ...(store ? [store] : [])],
})

await server.listen()
console.log(`hocuspocus listening on ${port}`)

const stop = (): void => {
	void server
		.destroy()
		.then(() => store?.close())
		.finally(() => process.exit(0))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
