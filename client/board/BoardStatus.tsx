import { useEffect, useState } from 'react'
import type { ConnectionStatus } from './boardConnection'

/** While connected, changes normally wait ~10 ms for their acknowledgement: only say so when it takes longer. */
const SHOW_PENDING_AFTER_MS = 1500

function useShownUnsaved(status: ConnectionStatus): number {
	const pending = status.unsavedChanges
	const connected = status.state === 'connected'
	const [shown, setShown] = useState(0)
	useEffect(() => {
		if (pending === 0) return setShown(0)
		if (!connected) return setShown(pending)
		const timer = setTimeout(() => setShown(pending), SHOW_PENDING_AFTER_MS)
		return () => clearTimeout(timer)
	}, [pending, connected])
	return pending === 0 ? 0 : shown
}

const unsavedLabel = (n: number) => `${n} ${n === 1 ? 'change' : 'changes'} not yet saved`

const LABELS: Record<ConnectionStatus['state'], string> = {
	connecting: 'Connecting…',
	connected: 'Connected',
	reconnecting: 'Reconnecting…',
	offline: 'Offline',
}

/** The always-visible answer to "are my edits reaching everyone?". */
export function BoardStatus({ status, title, onRename }: { status: ConnectionStatus; title: string; onRename?: (title: string) => void }) {
	const unsaved = useShownUnsaved(status)
	const unsynced = unsaved > 0
	return (
		<div
			className={`board-status board-status--${status.state}`}
			data-testid="board-status"
			data-state={status.state}
			data-unsynced={unsynced ? 'true' : 'false'}
			data-unsaved={unsaved}
			role="status"
			aria-live="polite"
		>
			<button
				type="button"
				className="board-status__title"
				data-testid="board-title-button"
				title="Rename board"
				disabled={!onRename}
				onClick={() => {
					const next = window.prompt('Board title', title)
					if (next !== null) onRename?.(next)
				}}
			>
				{title}
			</button>
			<span className="board-status__dot" aria-hidden="true" />
			<span>
				{LABELS[status.state]}
				{unsynced && <span data-testid="unsaved-changes"> · {unsavedLabel(unsaved)}{status.state === 'connected' ? '' : ' (kept on this device)'}</span>}
				{status.terminalReason && ` · ${status.terminalReason}`}
			</span>
		</div>
	)
}
