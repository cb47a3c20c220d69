import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

const serverPort = Number(process.env.PORT ?? 8787)

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
					include: ['test/integration/**/*.test.ts'],
					environment: 'node',
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
