/**
 * Who is idle, seen from this browser. tldraw stamps each cursor's presence
 * with `lastActivityTimestamp` from the *sender's* clock; comparing it with
 * ours would call everyone with a slow laptop clock idle. So we note, on our
 * own clock, when each person's stamp last changed, and call them idle after
 * IDLE_AFTER_MS without a change. Nobody is ever dropped from the list for
 * being idle (issue #10 item 10): the list is the server's people list.
 */
import { useEffect, useRef, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { personKey } from '../../shared/session/personKey'

export const IDLE_AFTER_MS = 60_000
const TICK_MS = 5_000

/** person key → local time of the last activity we saw (−∞ when they never moved while we watched). */
export function usePeopleActivity(): { isIdle(key: string): boolean } {
	const editor = useEditor()
	const stamps = useValue(
		'collaborator activity',
		() => editor.getCollaborators().map((c) => [c.userId, c.lastActivityTimestamp] as const),
		[editor],
	)
	const seen = useRef(new Map<string, { stamp: number | null; at: number }>())
	const [now, setNow] = useState(() => Date.now())
	useEffect(() => {
		const interval = setInterval(() => setNow(Date.now()), TICK_MS)
		return () => clearInterval(interval)
	}, [])
	const localNow = Date.now()
	for (const [userId, stamp] of stamps) {
		const key = personKey(userId.replace(/^user:/, ''))
		const known = seen.current.get(key)
		if (known && known.stamp === stamp) continue
		// First sight without any activity stamp: idle until they move.
		seen.current.set(key, { stamp, at: !known && stamp === null ? Number.NEGATIVE_INFINITY : localNow })
	}
	return {
		isIdle(key) {
			const entry = seen.current.get(key)
			return !entry || Math.max(now, localNow) - entry.at > IDLE_AFTER_MS
		},
	}
}
