import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useMemo, useRef, useState } from 'react'
import { atom, createTLCurrentUser, Tldraw, type Editor, type TLComponents, type TLUserPreferences } from 'tldraw'
import { ItemInspector } from '../items/ItemInspector'
import { workshopUiOverrides } from '../items/itemActions'
import { registerItemLifecycle } from '../items/itemLifecycle'
import { WorkshopPanel, WorkshopToolbar } from '../items/WorkshopPanel'
import { workshopShapeUtils } from '../items/shapeUtils'
import { NameDialog } from '../identity/NameDialog'
import { loadLocalUser, saveLocalUser, type LocalUser } from '../identity/localUser'
import { rememberBoard } from '../landing/recentBoards'
import { BoardStatus } from './BoardStatus'
import { useBoardSession } from './useBoardSession'

// Fonts, icons and translations are bundled from @tldraw/assets: the app never
// asks a CDN for anything.
const assetUrls = getAssetUrlsByImport()
const licenseKey: string | undefined = import.meta.env.VITE_TLDRAW_LICENSE_KEY || undefined

export function BoardPage({ boardId }: { boardId: string }) {
	const [user, setUser] = useState<LocalUser>(() => loadLocalUser())
	const needsName = !user.name
	const session = useBoardSession(boardId, user)
	const [editor, setEditor] = useState<Editor | null>(null)

	useEffect(() => rememberBoard(boardId, session.title), [boardId, session.title])

	// tldraw's people menu edits the same name and colour we keep in localStorage.
	const currentUser = useMemo(() => {
		const preferences = atom<TLUserPreferences>('user preferences', { id: user.id, name: user.name, color: user.color })
		return createTLCurrentUser({
			userPreferences: preferences,
			setUserPreferences: (next) => {
				preferences.set(next)
				setUser((prev) => {
					const updated = { ...prev, name: next.name?.trim() || prev.name, color: next.color || prev.color }
					saveLocalUser(updated)
					return updated
				})
			},
		})
		// Recreated only when the identity itself changes; name/colour edits flow through the atom.
	}, [user.id])

	useEffect(() => {
		const prefs = currentUser.userPreferences.get()
		if (prefs.name !== user.name || prefs.color !== user.color) {
			currentUser.setUserPreferences({ ...prefs, name: user.name, color: user.color })
		}
	}, [currentUser, user.name, user.color])

	useEffect(() => {
		if (!editor) return
		return session.attachEditor(editor)
	}, [editor, session])

	// Authorship stamped on new stickies follows the current name.
	const authorRef = useRef({ id: user.id, name: user.name })
	authorRef.current = { id: user.id, name: user.name }
	useEffect(() => {
		if (!editor) return
		return registerItemLifecycle(editor, () => authorRef.current)
	}, [editor])

	const components = useMemo<TLComponents>(
		() => ({
			TopPanel: () => (
				<div className="board-top">
					<BoardStatus status={session.status} title={session.title || 'Untitled board'} onRename={session.renameBoard} />
					<WorkshopToolbar />
				</div>
			),
			InFrontOfTheCanvas: () => (
				<>
					<ItemInspector />
					<WorkshopPanel boardId={boardId} title={session.title} />
				</>
			),
		}),
		[session.status, session.title, session.renameBoard, boardId],
	)

	return (
		<div className="board" data-testid="board" data-board-id={boardId}>
			{session.store ? (
				<Tldraw
					store={session.store}
					assetUrls={assetUrls}
					licenseKey={licenseKey}
					user={currentUser}
					shapeUtils={workshopShapeUtils}
					overrides={workshopUiOverrides}
					components={components}
					onMount={setEditor}
				/>
			) : (
				<div className="board__loading">Loading board…</div>
			)}
			{session.clientTooOld && (
				<div className="banner" role="alert" data-testid="reload-banner">
					This board was saved by a newer version of Workshop Board. Your changes are not being saved.
					<button type="button" className="button button--primary" onClick={() => window.location.reload()}>
						Reload
					</button>
				</div>
			)}
			{needsName && (
				<NameDialog
					user={user}
					onDone={(named) => {
						saveLocalUser(named)
						setUser(named)
					}}
				/>
			)}
		</div>
	)
}
