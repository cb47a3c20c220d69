/**
 * Everything a board needs while it is open: the connection, the tldraw store
 * bound to the Y.Doc once the board's content is known, presence over
 * awareness, and undo of one's own changes. Torn down when the board closes.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { atom, createTLStore, react, defaultBindingUtils, defaultShapeUtils, type Editor, type TLStore } from 'tldraw'
import type * as Y from 'yjs'
import { BOARD_META_MAP, BoardMetaKey, readExportMeta } from '../../shared/docLayout'
import type { LocalUser } from '../identity/localUser'
import { privateWritingPlugin, type PrivateWritingPlugin } from '../session/privateWriting'
import { attachUndoToEditor, bindStoreToYDoc, createPrivateNotesStore, publishLocalPresence, syncRemotePresence, type AwarenessUser, type BoardBinding } from '../sync'
import { TOKEN_QUERY_PARAM } from '../../shared/session/roles'
import { createSessionClient, type SessionClient } from '../session/sessionClient'
import type { BoardRole } from '../../shared/session/roles'
import { storeToken } from './boardAccess'
import { saveRoleLinks } from './roleLinks'
import type { BoardConnection, ConnectionStatus } from './boardConnection'
import { boardConnectionClosed, takeBoardConnection } from './preopenedConnection'

/**
 * The open board (named apart from the facilitated session, server/session/, and the socket, boardConnection.ts).
 */
export interface OpenBoard {
	store: TLStore | null
	status: ConnectionStatus
	title: string
	/** Template the board was created from (boardMeta.template), for exports. */
	template: string | undefined
	clientTooOld: boolean
	/** The facilitated-session channel on the same socket (null until the board is open). */
	sessionClient: SessionClient | null
	/** Read-only because of the role or a lock (the server enforces it; this keeps the UI honest). */
	setSessionReadonly(readonly: boolean): void
	/** The store ↔ doc binding (undo); null until the board is open. */
	binding: BoardBinding | null
	/** The board's Y.Doc once it is open (comments and reactions are written to it directly). */
	doc: Y.Doc | null
	/** Private writing, a plugin of the binding; null until the board is open. */
	privateWriting: PrivateWritingPlugin | null
	/**
	 * Issues a new link for `role` (facilitator only); the old one stops working
	 * at once. When it is this browser's own role, it switches to the new token.
	 */
	rotateLink(role: BoardRole, isOwnRole: boolean): Promise<string>
	/** Drops this device's copy of the board and reloads from the server. */
	resyncFromServer(): Promise<void>
	/** Renames the board for everyone. */
	renameBoard(title: string): void
	/** Wires the mounted editor (undo of own changes). Returns the cleanup. */
	attachEditor(editor: Editor): () => void
}

export function useOpenBoard(boardId: string, user: LocalUser): OpenBoard {
	const [status, setStatus] = useState<ConnectionStatus>({ state: 'connecting', hasUnsyncedChanges: false, unsavedChanges: 0, terminalReason: null, terminalCode: null })
	const [bound, setBound] = useState<{ store: TLStore; binding: BoardBinding; privateWriting: PrivateWritingPlugin; doc: Y.Doc } | null>(null)
	const [title, setTitle] = useState('')
	const [template, setTemplate] = useState<string | undefined>(undefined)
	const [clientTooOld, setClientTooOld] = useState(false)
	const [sessionClient, setSessionClient] = useState<SessionClient | null>(null)
	const [sessionReadonly, setSessionReadonly] = useState(false)
	const tokenRef = useRef<string | null>(null)
	const providerRef = useRef<BoardConnection['provider'] | null>(null)
	const connRef = useRef<BoardConnection | null>(null)
	const modeRef = useRef<ReturnType<typeof atom<'readonly' | 'readwrite'>> | null>(null)
	useEffect(() => {
		modeRef.current?.set(clientTooOld || sessionReadonly ? 'readonly' : 'readwrite')
	}, [clientTooOld, sessionReadonly, bound])
	// A signal so presence follows name/colour changes without re-binding.
	const $user = useMemo(() => atom<AwarenessUser>('awareness user', { id: user.id, name: user.name, color: user.color }), [user.id])
	useEffect(() => {
		$user.set({ id: user.id, name: user.name || 'Anonymous', color: user.color })
	}, [$user, user.id, user.name, user.color])

	useEffect(() => {
		const { connection: conn, token } = takeBoardConnection(boardId)
		tokenRef.current = token
		providerRef.current = conn.provider
		connRef.current = conn
		setStatus(conn.getStatus())
		const offStatus = conn.onStatus(setStatus)
		const status$ = atom<'online' | 'offline'>('collaboration status', 'offline')
		// Read-only while this client is too old to write the board's schema.
		const mode$ = atom<'readonly' | 'readwrite'>('collaboration mode', 'readwrite')
		modeRef.current = mode$
		const facilitation = createSessionClient(conn.provider, () => ({ participantId: $user.get().id, name: $user.get().name }))
		const stopRenames = react('facilitation follows renames', () => {
			$user.get()
			facilitation.identityChanged()
		})
		setSessionClient(facilitation)
		const offOnline = conn.onStatus((s) => status$.set(s.state === 'connected' ? 'online' : 'offline'))
		const meta = conn.doc.getMap(BOARD_META_MAP)
		const readTitle = () => {
			setTitle(typeof meta.get(BoardMetaKey.title) === 'string' ? (meta.get(BoardMetaKey.title) as string) : '')
			setTemplate(readExportMeta(meta).template)
		}
		meta.observe(readTitle)
		readTitle()

		let binding: BoardBinding | null = null
		let stopPresence: (() => void) | null = null
		let stopRemotePresence: (() => void) | null = null
		let cancelled = false
		void conn.ready.then(() => {
			if (cancelled) return
			const store = createTLStore({
				shapeUtils: defaultShapeUtils,
				bindingUtils: defaultBindingUtils,
				collaboration: { status: status$, mode: mode$ },
			})
			// Private writing: notes held back from the doc are kept per board and participant on this device.
			const privateWriting = privateWritingPlugin(createPrivateNotesStore(`${boardId}/${$user.get().id}`))
			binding = bindStoreToYDoc({ store, doc: conn.doc, plugins: [privateWriting] })
			const syncTooOld = () => {
				setClientTooOld(binding?.getStatus() === 'client-too-old')
			}
			binding.onStatusChange(syncTooOld)
			syncTooOld()
			stopRemotePresence = syncRemotePresence(store, conn.provider.awareness, { cursorLayer: true })
			stopPresence = publishLocalPresence(store, conn.provider.awareness, $user)
			setBound({ store, binding, privateWriting, doc: conn.doc })
		})
		return () => {
			cancelled = true
			offStatus()
			offOnline()
			meta.unobserve(readTitle)
			stopPresence?.()
			stopRemotePresence?.()
			binding?.dispose()
			stopRenames()
			facilitation.destroy()
			setSessionClient(null)
			conn.destroy()
			boardConnectionClosed(boardId)
			setBound(null)
		}
	}, [boardId, $user])

	return useMemo<OpenBoard>(
		() => ({
			store: bound?.store ?? null,
			status,
			title,
			template,
			clientTooOld,
			sessionClient,
			setSessionReadonly,
			binding: bound?.binding ?? null,
			doc: bound?.doc ?? null,
			privateWriting: bound?.privateWriting ?? null,
			async resyncFromServer() {
				await connRef.current?.discardLocalCopy()
				window.location.reload()
			},
			async rotateLink(role, isOwnRole) {
				const response = await fetch(`/api/boards/${encodeURIComponent(boardId)}/links/rotate`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...(tokenRef.current ? { authorization: `Bearer ${tokenRef.current}` } : {}) },
					body: JSON.stringify({ role }),
				})
				const body = (await response.json().catch(() => ({}))) as { url?: string; token?: string; error?: string }
				if (!response.ok || !body.url || !body.token) throw new Error(body.error ?? `could not issue a new link (${response.status})`)
				saveRoleLinks(boardId, { [role]: body.url })
				if (isOwnRole) {
					// Our old token was just revoked (and our socket closed): continue with the new one.
					tokenRef.current = body.token
					storeToken(boardId, body.token)
					const provider = providerRef.current
					if (provider) {
						provider.params = { ...provider.params, [TOKEN_QUERY_PARAM]: body.token }
						provider.connect()
					}
				}
				return body.url
			},
			renameBoard(next) {
				const cleaned = next.replace(/\s+/g, ' ').trim().slice(0, 200)
				if (!bound || !cleaned || clientTooOld) return
				bound.doc.getMap(BOARD_META_MAP).set(BoardMetaKey.title, cleaned)
			},
			attachEditor(editor) {
				if (!bound) return () => {}
				return attachUndoToEditor(editor, bound.binding.undo)
			},
		}),
		[bound, status, title, template, clientTooOld, sessionClient, boardId],
	)
}
