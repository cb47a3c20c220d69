/**
 * Builds the bench-only browser page (scenario 4) into the cache directory
 * the harness serves it from: `npx vite build --config bench/browser/vite.config.ts`.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const here = path.dirname(fileURLToPath(import.meta.url))
export const BENCH_BROWSER_DIST = path.resolve(here, '../../node_modules/.cache/workshop-board-bench/browser-dist')

export default defineConfig({
	root: here,
	publicDir: false,
	plugins: [react()],
	logLevel: 'warn',
	// BENCH_BROWSER_MINIFY=0 keeps function names readable in page profiles (--cpu-prof).
	build: { outDir: BENCH_BROWSER_DIST, emptyOutDir: true, chunkSizeWarningLimit: 8192, sourcemap: false, minify: process.env.BENCH_BROWSER_MINIFY !== '0' },
})
