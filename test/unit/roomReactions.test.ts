/** Room-wide reactions over awareness: shown once per reaction, garbage ignored, senders rate-limited. */
import { describe, expect, it } from 'vitest'
import { applyAwarenessUpdate, encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness'
import { localReaction, sendRoomReaction, watchRoomReactions, type ReceivedReaction } from '../../client/presence/roomReactions'
import { newAwareness } from './helpers/awareness'

function relay(from: Awareness, to: Awareness): void {
	applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [from.clientID]), 'network')
}

describe('room reactions', () => {
	it('shows each new reaction of another person once, never old ones or garbage', () => {
		const mine = newAwareness(1)
		const ann = newAwareness(2)
		ann.setLocalState({ user: { id: 'a', name: 'Ann', color: '#e03131' }, reaction: { emoji: '🎉', n: 4 } })
		relay(ann, mine) // Ann reacted before this page watched: nothing floats
		const seen: ReceivedReaction[] = []
		const stop = watchRoomReactions(mine, (reaction) => seen.push(reaction))
		ann.setLocalState({ user: { id: 'a', name: 'Ann', color: '#e03131' }, reaction: { emoji: '👏', n: 5 } })
		relay(ann, mine)
		ann.setLocalState({ user: { id: 'a', name: 'Ann', color: '#e03131' }, reaction: { emoji: '👏', n: 5 }, presence: null }) // same n: nothing new
		relay(ann, mine)
		ann.setLocalState({ user: { id: 'a', name: 'Ann', color: '#e03131' }, reaction: { emoji: '👏', n: 6 } }) // the same emoji again counts
		relay(ann, mine)
		for (const reaction of [{ emoji: '💣', n: 7 }, { emoji: '👏', n: -1 }, 'boom', { emoji: '👏' }]) {
			ann.setLocalState({ user: { id: 'a', name: 'Ann', color: '#e03131' }, reaction })
			relay(ann, mine)
		}
		expect(seen).toEqual([
			{ clientId: 2, emoji: '👏', name: 'Ann', color: '#e03131' },
			{ clientId: 2, emoji: '👏', name: 'Ann', color: '#e03131' },
		])
		stop()
	})

	it('lets a person send at most four reactions a second', () => {
		localReaction.set(null)
		const sent = Array.from({ length: 6 }, () => sendRoomReaction('👍', 10_000))
		expect(sent).toEqual([true, true, true, true, false, false])
		expect(localReaction.get()).toEqual({ emoji: '👍', n: 4 })
		expect(sendRoomReaction('❤️', 11_001)).toBe(true)
		expect(localReaction.get()).toEqual({ emoji: '❤️', n: 5 })
	})
})
