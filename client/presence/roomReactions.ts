/**
 * Room-wide reactions (👏, 👍 …): a person's reaction floats up over everyone's
 * canvas for a moment and is never stored. It travels in the sender's
 * awareness state as `reaction: { emoji, n }` (docs/protocol.md §3): `n` counts
 * the sender's reactions, so the same emoji twice is two reactions, and a
 * receiver shows each `n` once.
 */
import { atom } from '@tldraw/state'
import { z } from 'zod'
import type { AwarenessLike } from '../sync/presence'

export const ROOM_REACTIONS = [
	{ emoji: '👏', label: 'Applause' },
	{ emoji: '👍', label: '+1' },
	{ emoji: '❤️', label: 'Love it' },
	{ emoji: '🎉', label: 'Celebrate' },
	{ emoji: '😂', label: 'Funny' },
	{ emoji: '🤔', label: 'Hmm' },
] as const

export type RoomReactionEmoji = (typeof ROOM_REACTIONS)[number]['emoji']

const EMOJIS = new Set<string>(ROOM_REACTIONS.map((reaction) => reaction.emoji))

export const RoomReactionSchema = z.object({
	emoji: z.string().refine((emoji) => EMOJIS.has(emoji)),
	n: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
})
export type RoomReaction = z.infer<typeof RoomReactionSchema>

/** This browser's latest reaction; publishLocalPresence puts it into the awareness state. */
export const localReaction = atom<RoomReaction | null>('local room reaction', null)

/** A person may send this many reactions per second; more are dropped where they are clicked. */
const SEND_LIMIT_PER_SECOND = 4
let sentAt: number[] = []

/** Sends a reaction to the room; false when the person is sending too fast. */
export function sendRoomReaction(emoji: RoomReactionEmoji, now = Date.now()): boolean {
	sentAt = sentAt.filter((at) => now - at < 1000)
	if (sentAt.length >= SEND_LIMIT_PER_SECOND) return false
	sentAt.push(now)
	localReaction.set({ emoji, n: (localReaction.get()?.n ?? 0) + 1 })
	return true
}

export interface ReceivedReaction {
	clientId: number
	emoji: string
	name: string
	color: string
}

/**
 * Calls `onReaction` for every new reaction of another client. A state seen
 * for the first time (someone joins, or this page opens) shows nothing: only
 * reactions made while both are here float.
 */
export function watchRoomReactions(awareness: AwarenessLike, onReaction: (reaction: ReceivedReaction) => void): () => void {
	const seen = new Map<number, number>()
	const read = (clientId: number): { reaction: RoomReaction; name: string; color: string } | null => {
		const state = awareness.getStates().get(clientId) as { reaction?: unknown; user?: { name?: unknown; color?: unknown } } | undefined
		const parsed = RoomReactionSchema.safeParse(state?.reaction)
		if (!parsed.success) return null
		const name = typeof state?.user?.name === 'string' ? state.user.name.slice(0, 64) : ''
		const color = typeof state?.user?.color === 'string' ? state.user.color : '#868e96'
		return { reaction: parsed.data, name, color }
	}
	for (const clientId of awareness.getStates().keys()) {
		const current = read(clientId)
		if (current) seen.set(clientId, current.reaction.n)
	}
	const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
		for (const clientId of removed) seen.delete(clientId)
		for (const clientId of added) {
			const current = read(clientId)
			if (current) seen.set(clientId, current.reaction.n)
		}
		for (const clientId of updated) {
			if (clientId === awareness.clientID) continue
			const current = read(clientId)
			if (!current) continue
			const last = seen.get(clientId)
			seen.set(clientId, current.reaction.n)
			if (last !== undefined && current.reaction.n <= last) continue
			onReaction({ clientId, emoji: current.reaction.emoji, name: current.name, color: current.color })
		}
	}
	awareness.on('change', onChange)
	return () => awareness.off('change', onChange)
}
