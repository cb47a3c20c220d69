import react from '@vitejs/plugin-react'
import pg from 'pg'
import { defineConfig } from 'vitest/config'

const serverPort = Number(process.env.PORT ?? 8787)
const integrationTests = ['test/integration/**/*.test.ts']
const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/**
 * Whether the integration suite can run a second time on PostgreSQL: null when the
 * server answers, else why not. Under CI=true the suite runs regardless (and fails
 * without PostgreSQL); elsewhere it is replaced by one skipped test naming the reason.
 */
async function postgresUnavailableReason(): Promise<string | null> {
	if (process.env.VITEST !== 'true' || process.env.CI === 'true') return null
	const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3_000 })
	try {
		await client.connect()
		await client.query('SELECT 1')
		return null
	} catch (error) {
		const reason = `unreachable at ${postgresAdminUrl}: ${error instanceof Error ? error.message : String(error)}`
		console.warn(`integration-postgres skipped: PostgreSQL ${reason}`)
		return reason
	} finally {
		await client.end().catch(() => {})
	}
}

// Vitest only (see postgresUnavailableReason); a build or the dev server skips the probe.
const postgresSkipReason = await postgresUnavailableReason()

export default defineConfig({
	root: 'client',
	publicDir: false,
	plugins: [react()],
	build: {
		outDir: '../dist',
		emptyOutDir: true,
		chunkSizeWarningLimit: 4096,
		sourcemap: false,
	},
	// @tldraw/assets imports files with `?url`, which the dev dependency optimizer cannot bundle.
	optimizeDeps: { exclude: ['@tldraw/assets'] },
	server: {
		// Dev mode: Vite serves the client with HMR and forwards the sync socket and API to `npm run serve`.
		proxy: {
			// Board sockets only (ids have no dots): the client's own modules live under /sync/*.ts too.
			'^/sync/[A-Za-z0-9_-]+(\\?.*)?$': { target: `ws://127.0.0.1:${serverPort}`, ws: true },
			'/api': { target: `http://127.0.0.1:${serverPort}` },
			'/healthz': { target: `http://127.0.0.1:${serverPort}` },
		},
	},
	test: {
		root: '.',
		// The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
		reporters: ['default', 'json'],
		outputFile: { json: 'test-results/vitest.json' },
		projects: [
			{
				extends: true,
				test: { name: 'unit', root: '.', include: ['test/unit/**/*.test.ts'], environment: 'node' },
			},
			{
				extends: true,
				test: {
					name: 'integration',
					root: '.',
					include: integrationTests,
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000,
				},
			},
			{
				// The same integration tests with every server, script and seeded store on its own fresh
				// PostgreSQL database per data dir (test/helpers/testStorage.ts), dropped after each file.
				extends: true,
				test: {
					name: 'integration-postgres',
					root: '.',
					include: postgresSkipReason === null ? integrationTests : ['test/helpers/postgresUnavailable.test.ts'],
					// These pick their backends themselves (the cluster ones always PostgreSQL + Redis); they run in `integration` only.
					// The framing fuzzer never reaches storage (hostile frames are refused before it): once is enough.
					exclude: [
						'test/integration/storage.postgres.test.ts',
						'test/integration/migrateStorage.test.ts',
						'test/integration/cluster*.test.ts',
						'test/integration/reliability.fuzz.test.ts',
					],
					environment: 'node',
					env: { TEST_STORAGE: 'postgres', POSTGRES_SKIP_REASON: postgresSkipReason ?? '' },
					setupFiles: ['test/helpers/postgresIntegrationSetup.ts'],
					testTimeout: 60_000,
					hookTimeout: 60_000,
				},
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					root: '.',
					include: ['test/e2e/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['test/e2e/globalSetup.ts'],
					testTimeout: 120_000,
					hookTimeout: 180_000,
					fileParallelism: false,
				},
			},
		],
	},
})
