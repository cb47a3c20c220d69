// `npm run dev`: the sync server (restarting on change) plus Vite with HMR,
// which proxies /sync, /api and /healthz to the server (see vite.config.ts).
import { spawn } from 'node:child_process'

const port = process.env.PORT ?? '8787'
const children = [
	spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/main.ts'], {
		stdio: 'inherit',
		env: { ...process.env, PORT: port },
	}),
	spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--port', process.env.DEV_PORT ?? '5173'], {
		stdio: 'inherit',
		env: { ...process.env, PORT: port },
	}),
]
const stop = () => {
	for (const child of children) child.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children) {
	child.on('exit', (code) => {
		stop()
		process.exitCode = code ?? 0
	})
}
