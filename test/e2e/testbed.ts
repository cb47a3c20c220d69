/**
 * The fixture of every browser test file: a real server process on a temp
 * DATA_DIR and one headless Chromium, started before the file's tests and
 * torn down after them. `server` may be replaced (e.g. after a SIGKILL).
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { makeTempDir, removeDir, startServerProcess, type ServerProcess } from '../integration/helpers'
import { launchBrowser } from './browser'

export interface Testbed {
	browser: Browser
	server: ServerProcess
	dataDir: string
}

export function useTestbed(tempDirPrefix: string, env: Record<string, string> = {}): Testbed {
	const testbed = {} as Testbed
	beforeAll(async () => {
		testbed.dataDir = await makeTempDir(tempDirPrefix)
		testbed.server = await startServerProcess({ dataDir: testbed.dataDir, env })
		testbed.browser = await launchBrowser()
	})
	afterAll(async () => {
		await testbed.browser?.close()
		await testbed.server?.stop()
		if (testbed.dataDir) await removeDir(testbed.dataDir)
	})
	return testbed
}
