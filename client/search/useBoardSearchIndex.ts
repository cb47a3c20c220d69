/**
 * A search index that follows the board while the search panel is open:
 * built once from the store, then updated from the store's document changes
 * (a remote edit shows up in the results as it lands).
 */
import { useEffect, useState } from 'react'
import { react, type Editor } from 'tldraw'
import { conversationSignal } from '../comments/conversationStore'
import { BoardSearchIndex } from '../../shared/search/boardSearch'

export function useBoardSearchIndex(editor: Editor): { index: BoardSearchIndex; version: number } {
	const [index] = useState(() => new BoardSearchIndex(editor.store.allRecords() as unknown as Record<string, unknown>[]))
	const [version, setVersion] = useState(0)
	useEffect(() => {
		let queued = false
		const stop = editor.store.listen(
			({ changes }) => {
				for (const record of Object.values(changes.added)) index.put(record as unknown as Record<string, unknown>)
				for (const [, record] of Object.values(changes.updated)) index.put(record as unknown as Record<string, unknown>)
				for (const record of Object.values(changes.removed)) index.remove(record.id)
				// One re-search per frame however many records a remote transaction touched.
				if (!queued) {
					queued = true
					requestAnimationFrame(() => {
						queued = false
						setVersion((v) => v + 1)
					})
				}
			},
			{ scope: 'document' },
		)
		return stop
	}, [editor, index])
	// Comment text is searched too: re-indexed whenever a thread changes.
	useEffect(
		() =>
			react('search comments', () => {
				index.setComments(conversationSignal.get().threads)
				setVersion((v) => v + 1)
			}),
		[index],
	)
	return { index, version }
}
