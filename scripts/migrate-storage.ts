/**
 * Copies every board, role token and session (with ballots) from one store
 * to another (server/storage/storeTransfer.ts):
 *
 *   npm run migrate-storage -- --from sqlite:./data --to postgres://user@host/db [--force]
 *   npm run migrate-storage -- --from postgres://user@host/db --to sqlite:./data-copy
 *
 * `sqlite:DIR` is a server's DATA_DIR (DIR/workshop-board.sqlite); `sqlite:FILE.sqlite`
 * a database file (e.g. a backup). The target is created and migrated if needed;
 * one that already holds data is refused unless --force, which replaces its
 * contents (in the copy's transaction: a failed copy leaves it as it was).
 * Stop the server first: the copy is one consistent snapshot of the source,
 * and updates the server accepts after it are not in it.
 *
 * Exit codes: 0 copied, 1 refused or failed, 2 bad arguments.
 */
import { parseArgs } from 'node:util'
import { describeCounts, describeLocation, parseStoreLocation, StoreLocationError, TargetNotEmptyError, transferStore } from '../server/storage/storeTransfer'
import { CliError, ExitCode, isMainModule, runCli } from './restore'

const USAGE = `usage: npm run migrate-storage -- --from SOURCE --to TARGET [--force]
SOURCE, TARGET: sqlite:DIR (a DATA_DIR), sqlite:FILE.sqlite, or postgres://user[:password]@host[:port]/database
Copies every board, role token and session. Refuses a TARGET that holds data unless --force (replaces it).`

export async function migrateStorage(argv: string[]): Promise<string> {
	let parsed
	try {
		parsed = parseArgs({
			args: argv,
			options: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean', default: false } },
			allowPositionals: false,
		})
	} catch (error) {
		throw new CliError(`${(error as Error).message}\n${USAGE}`, ExitCode.usage)
	}
	let from, to
	try {
		from = parseStoreLocation(parsed.values.from, '--from')
		to = parseStoreLocation(parsed.values.to, '--to')
	} catch (error) {
		throw new CliError(`${(error as Error).message}\n${USAGE}`, ExitCode.usage)
	}
	const started = Date.now()
	try {
		const result = await transferStore(from, to, { replace: parsed.values.force })
		const replaced = result.replaced ? ` (replaced what it held: ${describeCounts(result.replaced)})` : ''
		return `copied ${describeCounts(result.counts)} from ${describeLocation(from)} to ${describeLocation(to)} in ${Date.now() - started} ms${replaced}`
	} catch (error) {
		if (error instanceof TargetNotEmptyError) {
			throw new CliError(`${error.message}; pass --force to replace its contents, or choose an empty target`, ExitCode.failed)
		}
		if (error instanceof StoreLocationError) throw new CliError(error.message, ExitCode.failed)
		throw new CliError(`migrate-storage failed, nothing was written to ${describeLocation(to)}: ${(error as Error).message}`, ExitCode.failed)
	}
}

if (isMainModule(import.meta.url)) await runCli(() => migrateStorage(process.argv.slice(2)))
