/**
 * The facilitator's contributor link (#13 item 6), in Facilitate → Links:
 * open it, copy it, show its QR code (one click), issue a new one (the old
 * one stops at once) or close it. The server keeps the token; this browser
 * asks for it (`contributor.get`, facilitator only) whenever the link is open.
 */
import { useEffect, useState } from 'react'
import { CONTRIBUTOR_PATH_PREFIX } from '../../shared/contributor/contribution'
import { qrDataUrl } from '../board/ShareLinks'
import type { SessionClient, SessionSnapshot } from '../session/sessionClient'

export function contributorUrl(boardId: string, token: string): string {
	return `${window.location.origin}${CONTRIBUTOR_PATH_PREFIX}${encodeURIComponent(boardId)}?token=${encodeURIComponent(token)}`
}

export function ContributorLinkControls({ client, snapshot, boardId }: { client: SessionClient; snapshot: SessionSnapshot; boardId: string }) {
	const open = snapshot.state?.contributorOpen ?? false
	const [token, setToken] = useState<string | null>(null)
	const [showQr, setShowQr] = useState(false)
	const [copied, setCopied] = useState(false)
	const [error, setError] = useState<string | null>(null)
	useEffect(() => {
		if (!open) {
			setToken(null)
			return
		}
		let live = true
		client
			.request<{ token: string | null }>({ type: 'contributor.get' })
			.then((result) => live && setToken(result.token))
			.catch((e: unknown) => live && setError((e as Error).message))
		return () => {
			live = false
		}
	}, [client, open])
	const run = (action: Promise<unknown>) => {
		setError(null)
		action.catch((e: unknown) => setError((e as Error).message))
	}
	const rotate = () => {
		if (open && !window.confirm('Issue a new contributor link? The current one stops working at once.')) return
		run(client.request<{ token: string }>({ type: 'contributor.rotate' }).then((result) => setToken(result.token)))
	}
	const url = open && token ? contributorUrl(boardId, token) : null
	return (
		<div className="wb-contributor" data-testid="contributor-link-controls">
			<h3>Contributor link</h3>
			<p className="muted wb-inspector__small">Customers and stakeholders send insights or ideas from their phone — no board access — into the Inbox frame.</p>
			<div className="fac-row">
				<button type="button" className="button" data-testid="contributor-rotate" onClick={rotate}>
					{open ? 'New contributor link' : 'Open contributor link'}
				</button>
				{open && (
					<button type="button" className="button" data-testid="contributor-close" onClick={() => run(client.request({ type: 'contributor.close' }))}>
						Close link
					</button>
				)}
			</div>
			{url && (
				<>
					<div className="landing__link-row">
						<input readOnly value={url} data-testid="contributor-url" aria-label="Contributor link" onFocus={(e) => e.target.select()} />
						<button
							type="button"
							className="button"
							onClick={() =>
								void navigator.clipboard?.writeText(url).then(
									() => setCopied(true),
									() => window.prompt('Copy this link', url),
								)
							}
						>
							{copied ? 'Copied' : 'Copy'}
						</button>
						<button type="button" className="button" data-testid="contributor-qr-toggle" aria-pressed={showQr} onClick={() => setShowQr(!showQr)}>
							QR
						</button>
					</div>
					{showQr && <img className="wb-contributor__qr" src={qrDataUrl(url)} alt="QR code of the contributor link" data-testid="contributor-qr" width={164} height={164} />}
				</>
			)}
			{!open && <p className="muted wb-inspector__small" data-testid="contributor-closed">The link is closed: nobody can send notes.</p>}
			{error && <p className="wb-missing">{error}</p>}
		</div>
	)
}
