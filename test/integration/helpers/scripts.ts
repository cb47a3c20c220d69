/** Runs the project's npm scripts (scripts/*.ts) as a separate process, as an admin would. */
import { spawn } from 'node:child_process'
import { storageEnvFor } from '../../helpers/testStorage'
import { REPO_ROOT } from './serverProcess'

export interface ScriptResult {
	code: number | null
	stdout: string
	stderr: string
}

/**
 * `node --import tsx scripts/<script> ...args` with DATA_DIR set (and the data dir's DATABASE_URL
 * under TEST_STORAGE=postgres); resolves with its exit code and output.
 */
export async function runScript(script: string, args: string[], dataDir: string, env: Record<string, string> = {}): Promise<ScriptResult> {
	const storageEnv = await storageEnvFor(dataDir)
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], {
			cwd: REPO_ROOT,
			env: { ...process.env, ...storageEnv, ...env, DATA_DIR: dataDir },
			stdio: ['ignore', 'pipe', 'pipe'],
		})
		let stdout = ''
		let stderr = ''
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
		child.once('error', reject)
		child.once('close', (code) => resolve({ code, stdout, stderr }))
	})
}

/** The board export CLI (`npm run export`). */
export function runExportCli(args: string[], dataDir: string): Promise<ScriptResult> {
	return runScript('export-board.ts', args, dataDir)
}
