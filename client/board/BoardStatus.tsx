import type { ConnectionStatus } from './boardConnection'

const LABELS: Record<ConnectionStatus['state'], string> = {
	connecting: 'Connecting…',
	connected: 'Connected',
	reconnecting: 'Reconnecting…',
	offline: 'Offline',
}

/** The always-visible answer to "are my edits reaching everyone?". */
export function BoardStatus({ status, title }: { status: ConnectionStatus; title: string }) {
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
			<span className="board-status__title">{title}</span>
			<span className="board-status__dot" aria-hidden="true" />
			<span>
				{LABELS[status.state]}
				{unsynced && ' · unsynced changes kept on this device'}
				{status.terminalReason && ` · ${status.terminalReason}`}
			</span>
		</div>
	)
}
