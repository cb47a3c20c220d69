/**
 * A board version opened read-only (/b/<id>?version=<versionId>): the
 * version's Yjs state from the server, on a local doc that syncs with
 * nobody, bound to a tldraw store the editor cannot change. A banner says
 * which version it is and leads back to the live board.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useState } from 'react'
import { atom, createTLStore, defaultBindingUtils, defaultShapeUtils, Tldraw, type TLStore } from 'tldraw'
import * as Y from 'yjs'
import { BOARD_META_MAP, BoardMetaKey } from '../../shared/docLayout'
import type { VersionSummary } from '../../shared/versions'
import { workshopShapeUtils } from '../items/shapeUtils'
import { bindStoreToYDoc, type BoardBinding } from '../sync'
import { formatVersionTime, VersionsClient } from './versionsClient'
import './versions.css'

const assetUrls = getAssetUrlsByImport()
const licenseKey: string | undefined = import.meta.env.VITE_TLDRAW_LICENSE_KEY || undefined

type Loaded = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; store: TLStore; version: VersionSummary; title: string }

export function VersionPage({ boardId, versionId }: { boardId: string; versionId: string }) {
	const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })

	useEffect(() => {
		const client = new VersionsClient(boardId)
		const doc = new Y.Doc()
		let binding: BoardBinding | null = null
		let cancelled = false
		void (async () => {
			try {
				const [version, bytes] = await Promise.all([client.get(versionId), client.document(versionId)])
				if (cancelled) return
				Y.applyUpdate(doc, bytes)
				const store = createTLStore({
					shapeUtils: defaultShapeUtils,
					bindingUtils: defaultBindingUtils,
					// Read-only for tldraw: no tool changes anything, whatever the role.
					collaboration: { status: atom('version status', 'online' as const), mode: atom('version mode', 'readonly' as const) },
				})
				binding = bindStoreToYDoc({ store, doc })
				const title = doc.getMap<unknown>(BOARD_META_MAP).get(BoardMetaKey.title)
				setLoaded({ state: 'ready', store, version, title: typeof title === 'string' ? title : '' })
			} catch (failure) {
				if (!cancelled) setLoaded({ state: 'failed', message: failure instanceof Error ? failure.message : String(failure) })
			}
		})()
		return () => {
			cancelled = true
			binding?.dispose()
			doc.destroy()
		}
	}, [boardId, versionId])

	const liveUrl = `/b/${encodeURIComponent(boardId)}`
	return (
		<div className="wb-version-view board" data-testid="version-view">
			{loaded.state === 'ready' ? (
				<>
					<Tldraw
						store={loaded.store}
						assetUrls={assetUrls}
						licenseKey={licenseKey}
						shapeUtils={workshopShapeUtils}
						onMount={(editor) => {
							editor.updateInstanceState({ isReadonly: true })
							// The whole version in view, never blown up past 100 %.
							editor.zoomToFit({ animation: { duration: 0 } })
							if (editor.getZoomLevel() > 1) editor.resetZoom(editor.getViewportScreenCenter())
						}}
					/>
					<div className="wb-version-banner" role="status" data-testid="version-banner">
						<span>
							Version <strong>“{loaded.version.name}”</strong> of {loaded.title ? `“${loaded.title}”` : 'this board'} · {formatVersionTime(loaded.version.createdAt)} (read-only)
						</span>
						<a href={liveUrl} data-testid="version-back-to-live">
							Back to the live board
						</a>
					</div>
				</>
			) : (
				<div className="wb-version-view__message" role={loaded.state === 'failed' ? 'alert' : 'status'} data-testid="version-view-message">
					{loaded.state === 'failed' ? (
						<span>
							This version could not be opened: {loaded.message}. <a href={liveUrl}>Back to the live board</a>
						</span>
					) : (
						'Opening the version…'
					)}
				</div>
			)}
		</div>
	)
}
