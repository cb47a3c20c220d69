/**
 * Builds the client once before the browser tests, so they exercise the same
 * bundle `npm start` serves. Fails loudly when Chromium is missing: in CI the
 * browser tests must run, never silently skip.
 */
import { existsSync } from 'node:fs'
import { build } from 'vite'
import { CHROMIUM_PATH } from './browser'

export default async function setup() {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get install chromium (the e2e tests need a real browser).`,
		)
	}
	if (process.env.E2E_SKIP_BUILD === '1' && existsSync('dist/index.html')) return
	await build({ configFile: 'vite.config.ts', logLevel: 'warn' })
}
