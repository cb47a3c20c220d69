/**
 * "Share" on the board page (facilitator): shows the participant and viewer
 * links this browser holds (roleLinks.ts) again, with a QR code of the
 * participant link for people joining from a phone in the room.
 */
import qrcode from 'qrcode-generator'
import { useMemo, useState } from 'react'
import { useSessionContext } from '../session/SessionContext'
import { loadRoleLinks } from './roleLinks'

export function qrDataUrl(text: string): string {
	const qr = qrcode(0, 'M')
	qr.addData(text)
	qr.make()
	return qr.createDataURL(4, 8)
}

function LinkRow({ role, label, url }: { role: string; label: string; url: string | undefined }) {
	const [copied, setCopied] = useState(false)
	if (!url)
		return (
			<p className="muted" data-testid={`share-missing-${role}`}>
				{label}: this browser has no copy of the link (the server keeps only a hash). Issue a new one under Facilitate → links; the old one then stops working.
			</p>
		)
	return (
		<div className="wb-share__row">
			<label className="wb-field">
				<span>{label}</span>
				<input readOnly value={url} data-testid={`share-link-${role}`} onFocus={(e) => e.target.select()} />
			</label>
			<button
				type="button"
				className="button"
				onClick={() => {
					void navigator.clipboard.writeText(url).then(
						() => setCopied(true),
						() => window.prompt('Copy this link', url),
					)
				}}
			>
				{copied ? 'Copied' : 'Copy'}
			</button>
		</div>
	)
}

export function ShareLinks({ boardId }: { boardId: string }) {
	const session = useSessionContext()
	const [open, setOpen] = useState(false)
	// Re-read on every open: a rotation in this tab stores the new link.
	const links = useMemo(() => (open ? loadRoleLinks(boardId) : {}), [open, boardId])
	const qr = useMemo(() => (links.participant ? qrDataUrl(links.participant) : null), [links.participant])
	if (session?.snapshot.role !== 'facilitator') return null
	return (
		<div className="wb-share" onPointerDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
			<button type="button" className="wb-toolbar__button" data-testid="share-open" aria-expanded={open} onClick={() => setOpen(!open)}>
				Share
			</button>
			{open && (
				<div className="wb-share__panel" role="dialog" aria-label="Share this board" data-testid="share-panel">
					<LinkRow role="participant" label="Participant link" url={links.participant} />
					{qr && <img className="wb-share__qr" src={qr} alt="QR code of the participant link" data-testid="share-qr" width={180} height={180} />}
					<LinkRow role="viewer" label="Viewer link (read-only)" url={links.viewer} />
				</div>
			)}
		</div>
	)
}
