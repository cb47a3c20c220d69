import type { ConnectionStatus } from './boardConnection'

const LABELS: Record<ConnectionStatus['state'], string> = {
	connecting: 'Connecting…',
	connected: 'Connected',
	reconnecting: 'Reconnecting…',
	offline: 'Offline',
}

/** The always-visible answer to "are my edits reaching everyone?". */
export function BoardStatus({ status, title, onRename }: { status: ConnectionStatus; title: string; onRename?: (title: string) => void }) {
	const unsynced = status.hasUnsyncedChanges && status.state !== 'connected'
	return (
		<div
			className={`board-status board-status--${status.state}`}
			data-testid="board-status"
			data-state={status.state}
			data-unsynced={unsynced ? 'true' : 'false'}
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
				{unsynced && ' · unsynced changes kept on this device'}
				{status.terminalReason && ` · ${status.terminalReason}`}
			</span>
		</div>
	)
}
