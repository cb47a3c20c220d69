import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useMemo, useRef, useState } from 'react'
import { atom, createTLCurrentUser, Tldraw, type Editor, type TLUserPreferences } from 'tldraw'
import { CloseCode } from '../../shared/protocol'
import { workshopEditorOptions, workshopUiOverrides } from '../items/itemActions'
import { registerItemLifecycle } from '../items/itemLifecycle'
import { registerThemeFrames } from '../items/themeFrames'
import { workshopShapeUtils } from '../items/shapeUtils'
import { loadLabelSizeCache, withCachedNoteLabelSizes } from '../sync/labelSizeCache'
import { SessionContext } from '../session/SessionContext'
import { useSession } from '../session/useSession'
import { useSessionEffects } from '../session/useSessionEffects'
import { boardComponents } from './BoardChrome'
import { BoardChromeContext } from './boardChromeContext'
import { NameDialog } from '../identity/NameDialog'
import { loadLocalUser, saveLocalUser, type LocalUser } from '../identity/localUser'
import { rememberBoard } from '../landing/recentBoards'
import { useOpenBoard } from './useOpenBoard'
import { useConversation } from '../comments/useConversation'
import { useEntryCamera } from './entryCamera'
import { registerChromeAwareZoom } from './freeScreenArea'

// Fonts, icons and translations are bundled from @tldraw/assets: the app never
// asks a CDN for anything.
// For the page-load benchmark (scenario 8): when the canvas code has run, to compare with the socket's start.
performance.mark('canvas-module-evaluated')
const assetUrls = getAssetUrlsByImport()
const licenseKey: string | undefined = import.meta.env.VITE_TLDRAW_LICENSE_KEY || undefined

/**
 * The shape utils, with sticky label sizes remembered from earlier visits
 * (a big board otherwise measures every label before its first paint).
 * Read from IndexedDB while the board connects.
 */
let boardShapeUtilsLoading: Promise<typeof workshopShapeUtils> | null = null
const loadBoardShapeUtils = () => (boardShapeUtilsLoading ??= loadLabelSizeCache().then((cache) => withCachedNoteLabelSizes(workshopShapeUtils, cache)))

export function BoardPage({ boardId }: { boardId: string }) {
	const [user, setUser] = useState<LocalUser>(() => loadLocalUser())
	const needsName = !user.name
	const board = useOpenBoard(boardId, user)
	const [shapeUtils, setShapeUtils] = useState<typeof workshopShapeUtils | null>(null)
	useEffect(() => {
		let live = true
		void loadBoardShapeUtils().then((utils) => live && setShapeUtils(utils))
		return () => {
			live = false
		}
	}, [])
	const [editor, setEditor] = useState<Editor | null>(null)

	useEffect(() => rememberBoard(boardId, board.title), [boardId, board.title])

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
		return board.attachEditor(editor)
	}, [editor, board])

	// Authorship stamped on new stickies follows the current name.
	const authorRef = useRef({ id: user.id, name: user.name })
	authorRef.current = { id: user.id, name: user.name }
	useEffect(() => {
		if (!editor) return
		return registerItemLifecycle(editor, () => authorRef.current)
	}, [editor])
	useEffect(() => (editor ? registerThemeFrames(editor) : undefined), [editor])
	useEffect(() => (editor ? registerChromeAwareZoom(editor) : undefined), [editor])

	const snapshot = useSession(board.sessionClient)
	const privateWriting = board.privateWriting
	useSessionEffects(editor, board.sessionClient, snapshot, {
		setReadonly: board.setSessionReadonly,
		onPrivateMode: (on) => privateWriting?.setPrivateMode(on),
		onReveal: (event) => privateWriting?.reveal({ anonymous: event.anonymous, revealId: event.revealId }),
	})
	useEntryCamera(editor, boardId, snapshot.state)
	useConversation({ doc: board.doc, boardId, user, people: snapshot.state?.people, boardLocked: snapshot.state?.lock.board ?? false, clientTooOld: board.clientTooOld })
	const sessionValue = useMemo(
		() => (board.sessionClient ? { client: board.sessionClient, snapshot } : null),
		[board.sessionClient, snapshot],
	)
	const chrome = useMemo(
		() => ({ boardId, title: board.title, template: board.template, status: board.status, renameBoard: board.renameBoard, rotateLink: board.rotateLink }),
		[boardId, board.title, board.template, board.status, board.renameBoard, board.rotateLink],
	)

	return (
		<div className="board" data-testid="board" data-board-id={boardId}>
			{board.store && shapeUtils ? (
				<BoardChromeContext.Provider value={chrome}>
				<SessionContext.Provider value={sessionValue}>
				<Tldraw
					store={board.store}
					assetUrls={assetUrls}
					licenseKey={licenseKey}
					user={currentUser}
					shapeUtils={shapeUtils}
					overrides={workshopUiOverrides}
					options={workshopEditorOptions}
					components={boardComponents}
					onMount={setEditor}
				/>
				</SessionContext.Provider>
				</BoardChromeContext.Provider>
			) : (
				<div className="board__loading">Loading board…</div>
			)}
			{board.clientTooOld && (
				<div className="banner" role="alert" data-testid="reload-banner">
					This board was saved by a newer version of Workshop Board. Your changes are not being saved.
					<button type="button" className="button button--primary" onClick={() => window.location.reload()}>
						Reload
					</button>
				</div>
			)}
			{board.status.terminalCode === CloseCode.locked && (
				<div className="banner" role="alert" data-testid="locked-banner">
					Your last change touched something the facilitator locked, so it was not saved.
					<button type="button" className="button button--primary" onClick={() => void board.resyncFromServer()}>
						Reload the board
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
