/**
 * The Versions panel (#14 item 5): the facilitator saves a named version;
 * everyone lists the board's versions (named and automatic), opens one
 * read-only, compares two of them or one with the live board. The
 * facilitator restores a version as a new board (a copy; the live board is
 * never overwritten). The comparison is computed here with the same shared
 * code as GET /api/boards/:id/compare; "Live board" is this browser's view
 * of the board, including edits not yet saved.
 */
import { useCallback, useEffect, useState } from 'react'
import { useEditor } from 'tldraw'
import type { BoardExport } from '../../shared/export'
import { compareExports, LIVE, MAX_VERSION_NAME, type BoardComparison, type VersionList } from '../../shared/versions'
import { exportFromEditor } from '../items/boardExport'
import { saveRoleLinks } from '../board/roleLinks'
import { useSessionContext } from '../session/SessionContext'
import { ComparisonList } from './ComparisonList'
import { formatBytes, formatVersionTime, VersionsClient, versionViewUrl, type RestoredBoard } from './versionsClient'
import './versions.css'

export function VersionsPanel({ boardId, title, template }: { boardId: string; title: string; template: string | undefined }) {
	const editor = useEditor()
	const session = useSessionContext()
	const isFacilitator = session?.snapshot.role === 'facilitator'
	const votingSessions = session?.snapshot.state?.votingSessions
	const [client] = useState(() => new VersionsClient(boardId))
	const [list, setList] = useState<VersionList | null>(null)
	const [error, setError] = useState<string | null>(null)
	const [name, setName] = useState('')
	const [busy, setBusy] = useState(false)
	const [from, setFrom] = useState<string>('')
	const [to, setTo] = useState<string>(LIVE)
	const [comparison, setComparison] = useState<{ label: string; result: BoardComparison } | null>(null)
	const [restored, setRestored] = useState<RestoredBoard | null>(null)
	/** The version whose Delete was clicked once: a second click deletes it. */
	const [confirmDelete, setConfirmDelete] = useState<string | null>(null)

	const refresh = useCallback(async () => {
		try {
			const next = await client.list()
			setList(next)
			setFrom((current) => current || next.versions[0]?.id || '')
		} catch (failure) {
			setError(failure instanceof Error ? failure.message : String(failure))
		}
	}, [client])
	useEffect(() => void refresh(), [refresh])

	const run = async (work: () => Promise<void>) => {
		setBusy(true)
		setError(null)
		try {
			await work()
		} catch (failure) {
			setError(failure instanceof Error ? failure.message : String(failure))
		} finally {
			setBusy(false)
		}
	}

	const liveExport = (): BoardExport => {
		const closed = (votingSessions ?? [])
			.filter((s) => s.status === 'closed')
			.map((s) => ({ id: s.id, title: s.title, status: s.status, anonymous: s.config.anonymous, closedAt: s.closedAt, results: s.results }))
		return exportFromEditor(editor, { boardId, title, template }, closed)
	}
	const exportOf = (side: string) => (side === LIVE ? Promise.resolve(liveExport()) : client.exportOf(side))
	const labelOf = (side: string) => (side === LIVE ? 'live board' : `“${list?.versions.find((v) => v.id === side)?.name ?? 'version'}”`)

	const compare = (a: string, b: string) =>
		run(async () => {
			const [before, after] = await Promise.all([exportOf(a), exportOf(b)])
			setComparison({ label: `${labelOf(a)} → ${labelOf(b)}`, result: compareExports(before, after) })
		})

	const save = () =>
		run(async () => {
			const saved = await client.save(name)
			setName('')
			await refresh()
			setFrom(saved.id)
		})

	const restore = (versionId: string) =>
		run(async () => {
			const copy = await client.restore(versionId)
			if (copy.links) saveRoleLinks(copy.id, copy.links)
			setRestored(copy)
		})

	const remove = (versionId: string) =>
		run(async () => {
			setConfirmDelete(null)
			await client.remove(versionId)
			setFrom((current) => (current === versionId ? '' : current))
			setTo((current) => (current === versionId ? LIVE : current))
			await refresh()
		})

	const trimmed = name.trim()
	return (
		<div className="wb-versions" data-testid="versions-panel">
			{isFacilitator && (
				<form
					className="wb-versions__save"
					onSubmit={(event) => {
						event.preventDefault()
						if (trimmed) void save()
					}}
				>
					<label htmlFor="wb-version-name">Save this board as a version</label>
					<div className="wb-versions__row">
						<input
							id="wb-version-name"
							data-testid="version-name"
							value={name}
							maxLength={MAX_VERSION_NAME}
							placeholder="e.g. After workshop 1"
							onChange={(event) => setName(event.target.value)}
						/>
						<button type="submit" className="button button--primary" data-testid="version-save" disabled={busy || !trimmed}>
							Save
						</button>
					</div>
				</form>
			)}
			{error && (
				<p className="wb-versions__error" role="alert" data-testid="versions-error">
					{error}
				</p>
			)}
			{restored && (
				<p className="wb-versions__restored" role="status" data-testid="version-restored">
					Copy created: “{restored.title}”.{' '}
					<a href={restored.links?.facilitator ?? restored.url} target="_blank" rel="noopener noreferrer" data-testid="version-restored-link">
						Open the copy
					</a>
				</p>
			)}
			{list === null ? (
				<p className="muted">Loading versions…</p>
			) : list.versions.length === 0 ? (
				<p className="muted" data-testid="versions-empty">
					No versions yet.{' '}
					{list.limits.autoIntervalMinutes > 0 ? `While people edit, one is kept every ${list.limits.autoIntervalMinutes} min.` : ''}
				</p>
			) : (
				<ul className="wb-versions__list" data-testid="versions-list">
					{list.versions.map((version) => (
						<li key={version.id} className="wb-versions__item" data-testid="version-item" data-version-id={version.id}>
							<div className="wb-versions__name">
								{version.name}
								{version.kind === 'auto' && <span className="wb-versions__badge">auto</span>}
							</div>
							<div className="muted wb-versions__meta">
								{formatVersionTime(version.createdAt)} · {formatBytes(version.sizeBytes)}
							</div>
							<div className="wb-versions__actions">
								<a className="button" href={versionViewUrl(boardId, version.id)} target="_blank" rel="noopener noreferrer" data-testid="version-open">
									Open
								</a>
								<button type="button" className="button" data-testid="version-compare-live" disabled={busy} onClick={() => void compare(version.id, LIVE)}>
									Compare with live
								</button>
								{isFacilitator && (
									<button type="button" className="button" data-testid="version-restore" disabled={busy} onClick={() => void restore(version.id)}>
										Restore as copy
									</button>
								)}
								{isFacilitator &&
									(confirmDelete === version.id ? (
										<button type="button" className="button wb-versions__delete" data-testid="version-delete-confirm" disabled={busy} onClick={() => void remove(version.id)}>
											Delete “{version.name.slice(0, 24)}”?
										</button>
									) : (
										<button type="button" className="button" data-testid="version-delete" disabled={busy} onClick={() => setConfirmDelete(version.id)}>
											Delete
										</button>
									))}
							</div>
						</li>
					))}
				</ul>
			)}
			{list && list.versions.length > 0 && (
				<div className="wb-versions__compare">
					<h3>Compare</h3>
					<div className="wb-versions__row">
						<select aria-label="Compare from" data-testid="compare-from" value={from} onChange={(event) => setFrom(event.target.value)}>
							<CompareOptions list={list} />
						</select>
						<span aria-hidden>→</span>
						<select aria-label="Compare to" data-testid="compare-to" value={to} onChange={(event) => setTo(event.target.value)}>
							<CompareOptions list={list} />
						</select>
					</div>
					<button type="button" className="button" data-testid="compare-run" disabled={busy || !from} onClick={() => void compare(from, to)}>
						Compare
					</button>
				</div>
			)}
			{comparison && (
				<div className="wb-versions__result">
					<h3 data-testid="compare-label">{comparison.label}</h3>
					<ComparisonList comparison={comparison.result} />
				</div>
			)}
			{list && (
				<p className="muted wb-versions__usage" data-testid="versions-usage">
					{list.usage.count} of {list.limits.maxVersions} versions · {formatBytes(list.usage.bytes)} of {formatBytes(list.limits.maxBytes)}. Automatic
					versions are kept {list.limits.autoRetentionDays} days.
				</p>
			)}
		</div>
	)
}

function CompareOptions({ list }: { list: VersionList }) {
	return (
		<>
			<option value={LIVE}>Live board</option>
			{list.versions.map((version) => (
				<option key={version.id} value={version.id}>
					{version.name} · {formatVersionTime(version.createdAt)}
				</option>
			))}
		</>
	)
}
