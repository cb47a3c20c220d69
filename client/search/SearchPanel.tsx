/**
 * Board search (Ctrl/⌘+F): words, "phrases" and filters (kind:, tag:,
 * author:, in:) over stickies and frames; the kind and tag pickers add the
 * same filters. Every hit is outlined on the canvas (tldraw's hinting), the
 * current one is brought into view; ↑/↓ or Enter/Shift+Enter walk the hits,
 * Esc closes. Hits are outlined, not selected, so nothing else opens over the
 * board; "Select" selects the current one.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { atom, useEditor, useValue, type TLShapeId } from 'tldraw'
import { ITEM_KINDS, ITEM_KIND_INFO } from '../../shared/items/kinds'
import type { SearchHit } from '../../shared/search/boardSearch'
import { isEmptyQuery, parseSearchQuery } from '../../shared/search/searchQuery'
import { openPanel } from '../items/boardUi'
import { searchFocusRequests } from './searchShortcut'
import { useBoardSearchIndex } from './useBoardSearchIndex'

/** Results rendered at once; the count says how many there are in all. */
const SHOWN_RESULTS = 100
const SNIPPET_LENGTH = 90

function snippet(hit: SearchHit): string {
	const text = hit.entry.text.replace(/\s+/g, ' ').trim() || (hit.entry.type === 'frame' ? 'Untitled frame' : 'Empty sticky')
	if (text.length <= SNIPPET_LENGTH) return text
	const start = hit.matchAt > 40 ? Math.min(hit.matchAt - 30, text.length - SNIPPET_LENGTH) : 0
	return `${start > 0 ? '…' : ''}${text.slice(start, start + SNIPPET_LENGTH)}…`
}

/** The last search, so closing and reopening the panel (or Ctrl+F again) picks up where it was. */
const lastSearch = atom('last board search', { text: '', kind: '', tag: '' })

export function SearchPanel() {
	const editor = useEditor()
	const { index, version } = useBoardSearchIndex(editor)
	const [text, setText] = useState(() => lastSearch.get().text)
	const [kind, setKind] = useState(() => lastSearch.get().kind)
	const [tag, setTag] = useState(() => lastSearch.get().tag)
	useEffect(() => {
		lastSearch.set({ text, kind, tag })
	}, [text, kind, tag])
	/** The hit brought into view last (−1: none yet; typing never moves the camera). */
	const [active, setActive] = useState(-1)
	const inputRef = useRef<HTMLInputElement | null>(null)

	const focusRequests = useValue(searchFocusRequests)
	useEffect(() => {
		inputRef.current?.focus()
		inputRef.current?.select()
	}, [focusRequests])

	const query = useMemo(() => {
		const parsed = parseSearchQuery(text)
		if (kind && !parsed.kinds.includes(kind as (typeof ITEM_KINDS)[number])) parsed.kinds.push(kind as (typeof ITEM_KINDS)[number])
		if (tag) parsed.tags.push(tag)
		return parsed
	}, [text, kind, tag])
	// `version` changes when the board does: search again.
	const result = useMemo(() => index.search(query, SHOWN_RESULTS), [index, query, version])
	const tagsOnBoard = useMemo(() => index.allTags(), [index, version])
	const hits = result.hits
	const current = active >= 0 ? hits[active] : undefined

	// Outline every hit while searching; nothing stays outlined after the panel closes.
	useEffect(() => {
		editor.setHintingShapes(hits.map((hit) => hit.entry.id as TLShapeId))
	}, [editor, hits])
	useEffect(
		() => () => {
			editor.setHintingShapes([])
		},
		[editor],
	)
	useEffect(() => setActive(-1), [query])

	const jumpTo = (position: number) => {
		const hit = hits[position]
		if (!hit) return
		setActive(position)
		const id = hit.entry.id as TLShapeId
		const bounds = editor.getShapePageBounds(id)
		if (!bounds) return
		// Close enough to read a sticky, never closer than 100 %.
		const targetZoom = Math.min(1, Math.max(editor.getZoomLevel(), 0.75))
		editor.zoomToBounds(bounds, { targetZoom, animation: { duration: 250 } })
	}

	const onKeyDown = (event: React.KeyboardEvent) => {
		if (event.key === 'Escape') {
			event.preventDefault()
			openPanel.set(null)
			editor.getContainer().focus()
		} else if (event.key === 'ArrowDown' || (event.key === 'Enter' && !event.shiftKey)) {
			if (event.target instanceof HTMLButtonElement && event.key === 'Enter') return // a focused result's own click
			event.preventDefault()
			if (hits.length) jumpTo(active < 0 ? 0 : (active + 1) % hits.length)
		} else if (event.key === 'ArrowUp' || (event.key === 'Enter' && event.shiftKey)) {
			event.preventDefault()
			if (hits.length) jumpTo(active <= 0 ? hits.length - 1 : active - 1)
		}
	}

	const status = isEmptyQuery(query)
		? 'Type to search text, tags, kinds and authors.'
		: query.unknownKinds.length
			? `No kind called “${query.unknownKinds[0]}”.`
			: query.unknownStatuses.length
				? `No status called “${query.unknownStatuses[0]}” (new, evaluating, accepted, parked, discarded).`
			: result.total === 0
				? 'No results.'
				: `${result.total} result${result.total === 1 ? '' : 's'}${result.total > hits.length ? ` (first ${hits.length} shown)` : ''}`

	return (
		<div className="wb-search" onKeyDown={onKeyDown} data-testid="search-panel">
			<input
				ref={inputRef}
				type="search"
				className="wb-search__input"
				aria-label="Search the board"
				placeholder="Search… e.g. onboarding tag:pricing"
				value={text}
				maxLength={500}
				onChange={(event) => setText(event.target.value)}
				data-testid="search-input"
			/>
			<div className="wb-search__filters">
				<select aria-label="Kind" value={kind} onChange={(event) => setKind(event.target.value)} data-testid="search-kind">
					<option value="">All kinds</option>
					{ITEM_KINDS.map((k) => (
						<option key={k} value={k}>
							{ITEM_KIND_INFO[k].label}
						</option>
					))}
				</select>
				<select aria-label="Tag" value={tag} onChange={(event) => setTag(event.target.value)} data-testid="search-tag">
					<option value="">All tags</option>
					{tagsOnBoard.map((t) => (
						<option key={t} value={t}>
							#{t}
						</option>
					))}
				</select>
			</div>
			<p className="wb-search__status muted" role="status" data-testid="search-status">
				{status}
			</p>
			<ol className="wb-search__results" aria-label="Search results">
				{hits.map((hit, position) => (
					<li key={hit.entry.id}>
						<button
							type="button"
							className={`wb-search__hit${current === hit ? ' wb-search__hit--active' : ''}`}
							aria-current={current === hit ? 'true' : undefined}
							onClick={() => jumpTo(position)}
							data-testid="search-hit"
						>
							<span className="wb-search__kind">{hit.entry.type === 'frame' ? 'Frame' : hit.entry.kind ? ITEM_KIND_INFO[hit.entry.kind].label : ''}</span>
							<span className="wb-search__text">{snippet(hit)}</span>
							{(hit.frameNames.length > 0 || hit.entry.tags.length > 0 || hit.entry.authorName) && (
								<span className="wb-search__where">
									{[hit.frameNames.join(' › '), hit.entry.tags.map((t) => `#${t}`).join(' '), hit.entry.authorName && `by ${hit.entry.authorName}`].filter(Boolean).join(' · ')}
								</span>
							)}
						</button>
					</li>
				))}
			</ol>
			{current && (
				<div className="wb-search__actions">
					<button type="button" className="button" onClick={() => jumpTo(active <= 0 ? hits.length - 1 : active - 1)} aria-label="Previous result">
						↑
					</button>
					<button type="button" className="button" onClick={() => jumpTo((active + 1) % hits.length)} aria-label="Next result">
						↓
					</button>
					<button
						type="button"
						className="button"
						onClick={() => {
							editor.select(current.entry.id as TLShapeId)
							openPanel.set(null)
						}}
					>
						Select
					</button>
				</div>
			)}
			<p className="wb-search__help muted">
				Filters: <code>kind:feature</code> <code>tag:onboarding</code> <code>author:ana</code> <code>in:&quot;Now&quot;</code> — all must match. ↑/↓ or Enter walk the results, Esc closes.
			</p>
		</div>
	)
}
