/**
 * End-to-end: two people talk on a sticky — a thread with a mention, a reply
 * with a mention back, a reaction seen by the other, the badge count, resolve —
 * a mention made while someone is away shows when they come back, and a
 * viewer reads but cannot write.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSticky, createTemplateBoard, noteWith, openWorkshopPanel, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

const badgeText = (page: Page) => noteWith(page, 'Pricing page').getByTestId('comment-badge').allInnerTexts()

describe('comment threads and sticky reactions', () => {
	const t = useTestbed('workshop-board-e2e-comments-')

	it('a thread with a reply and mentions across two people, a reaction, resolve, and a mention read later', async () => {
		const board = await createTemplateBoard(t.server.url, 'blank', 'Comments')
		const alice = await newParticipant(t.browser, t.server.url, { name: 'Alice', color: '#2f9e44' })
		const bo = await newParticipant(t.browser, t.server.url, { name: 'Bo', color: '#e8590c' })
		await Promise.all([alice.page.goto(board.links.facilitator), bo.page.goto(board.links.participant)])
		await Promise.all([waitConnected(alice.page), waitConnected(bo.page)])

		// Alice writes a sticky and opens a thread on it, mentioning Bo through the suggestions.
		await createSticky(alice.page, 500, 350, 'Pricing page')
		await alice.page.mouse.click(500, 350)
		await openWorkshopPanel(alice.page, 'comments')
		const composer = alice.page.getByTestId('new-comment')
		await composer.click()
		await composer.pressSequentially('Who owns this? @B')
		await alice.page.getByTestId('mention-suggestion').filter({ hasText: '@Bo' }).click()
		await expect.poll(() => composer.inputValue()).toBe('Who owns this? @Bo ')
		await alice.page.getByTestId('new-comment-submit').click()
		await expect.poll(() => badgeText(alice.page)).toEqual(['💬 1'])

		// Bo sees the badge and that he is mentioned; the badge opens the thread, his name highlighted for him.
		await expect.poll(() => badgeText(bo.page), { timeout: 5_000 }).toEqual(['💬 1'])
		await expect.poll(() => bo.page.getByTestId('mention-count').allInnerTexts()).toEqual(['@1'])
		await noteWith(bo.page, 'Pricing page').getByTestId('comment-badge').click()
		const boThread = bo.page.getByTestId('thread')
		await expect.poll(() => boThread.getByTestId('thread-message').allInnerTexts()).toEqual([expect.stringMatching(/Alice[\s\S]*Who owns this\? @Bo/)])
		expect(await boThread.locator('.wb-mention--me').allInnerTexts()).toEqual(['@Bo'])
		await bo.page.getByTestId('reply-input').fill('I do, @Alice')
		await bo.page.getByTestId('reply-input-submit').click()
		// Only his own message offers Edit; he fixes it.
		await expect.poll(() => boThread.getByTestId('edit-message').count()).toBe(1)
		await boThread.getByTestId('edit-message').click()
		await bo.page.getByTestId('edit-input').fill('I do, @Alice (since March)')
		await bo.page.getByTestId('edit-input-submit').click()
		await bo.page.getByTestId('mentions-seen').click()
		await expect.poll(() => bo.page.getByTestId('mention-count').count()).toBe(0)

		// Alice sees the reply, her own name highlighted for her; she reacts 👍, Bo sees it with her name.
		const aliceThread = alice.page.getByTestId('thread')
		await expect.poll(() => aliceThread.getByTestId('thread-message').allInnerTexts(), { timeout: 5_000 }).toEqual([
			expect.stringContaining('Who owns this?'),
			expect.stringMatching(/Bo[\s\S]*\(edited\)[\s\S]*I do, @Alice \(since March\)/),
		])
		expect(await aliceThread.locator('.wb-mention--me').allInnerTexts()).toEqual(['@Alice'])
		await noteWith(alice.page, 'Pricing page').locator('[data-testid=add-reaction][data-emoji="👍"]').click()
		const boReaction = noteWith(bo.page, 'Pricing page').getByTestId('sticky-reaction')
		await expect.poll(() => boReaction.allInnerTexts(), { timeout: 5_000 }).toEqual(['👍 1'])
		expect(await boReaction.getAttribute('title')).toContain('Alice')
		await bo.page.screenshot({ path: 'test-results/comments-thread.png' })
		await alice.page.screenshot({ path: 'test-results/comments-alice.png' })

		// Alice resolves: the badge goes away for both.
		await alice.page.getByTestId('resolve-thread').click()
		await expect.poll(() => badgeText(bo.page), { timeout: 5_000 }).toEqual([])
		expect(await badgeText(alice.page)).toEqual([])
		// Reopened, it counts again; resolved again, it is gone.
		await alice.page.getByTestId('toggle-resolved').click()
		await alice.page.getByTestId('reopen-thread').click()
		await expect.poll(() => badgeText(bo.page), { timeout: 5_000 }).toEqual(['💬 1'])
		await alice.page.getByTestId('resolve-thread').click()
		await expect.poll(() => badgeText(bo.page), { timeout: 5_000 }).toEqual([])

		// A board lock disables Bo's comment box and reaction, with the reason; unlocked, they are live again.
		const lockBoard = async () => {
			await openWorkshopPanel(alice.page, 'facilitate')
			await alice.page.click('[data-testid=fac-tab-lock]')
			await alice.page.click('[data-testid=lock-board]')
		}
		await lockBoard()
		await expect.poll(() => bo.page.getByTestId('new-comment').isDisabled(), { timeout: 5_000 }).toBe(true)
		expect(await bo.page.getByTestId('new-comment').getAttribute('title')).toBe('The facilitator has locked the board')
		expect(await boReaction.isDisabled()).toBe(true)
		await lockBoard()
		await expect.poll(() => bo.page.getByTestId('new-comment').isDisabled(), { timeout: 5_000 }).toBe(false)
		await openWorkshopPanel(alice.page, 'comments')

		// Bo leaves; Alice mentions him in a new thread; he sees it when he comes back.
		await bo.page.close()
		await alice.page.getByTestId('new-comment').fill('@Bo can you check the prices before Friday?')
		await alice.page.getByTestId('new-comment-submit').click()
		await expect.poll(() => badgeText(alice.page)).toEqual(['💬 1'])
		const boAgain = await bo.context.newPage()
		await boAgain.goto(board.links.participant)
		await waitConnected(boAgain)
		await expect.poll(() => boAgain.getByTestId('mention-count').allInnerTexts(), { timeout: 5_000 }).toEqual(['@1'])
		await openWorkshopPanel(boAgain, 'comments')
		await expect.poll(() => boAgain.getByTestId('mention-item').allInnerTexts()).toEqual([expect.stringContaining('can you check the prices')])
		expect(await boAgain.getByTestId('open-thread-item').allInnerTexts()).toEqual([expect.stringContaining('Pricing page')])
		await boAgain.screenshot({ path: 'test-results/comments-mention-later.png' })

		// A viewer reads the thread but every write is disabled, with the reason.
		const vic = await newParticipant(t.browser, t.server.url, { name: 'Vic' })
		await vic.page.goto(board.links.viewer)
		await waitConnected(vic.page)
		await noteWith(vic.page, 'Pricing page').getByTestId('comment-badge').click()
		await expect.poll(() => vic.page.getByTestId('thread-message').allInnerTexts()).toEqual([expect.stringContaining('can you check the prices')])
		expect(await vic.page.getByTestId('new-comment').isDisabled()).toBe(true)
		expect(await vic.page.getByTestId('resolve-thread').getAttribute('title')).toBe('Viewers can look but not change the board')
		expect(await noteWith(vic.page, 'Pricing page').getByTestId('sticky-reaction').isDisabled()).toBe(true)
		expect(await noteWith(vic.page, 'Pricing page').getByTestId('add-reaction').count()).toBe(0)
		// Search finds the sticky by the words of its comments.
		await openWorkshopPanel(vic.page, 'search')
		await vic.page.getByTestId('search-input').fill('friday')
		await expect.poll(() => vic.page.getByTestId('search-hit').allInnerTexts()).toEqual([expect.stringContaining('Pricing page')])

		// The export carries the comments and the reaction count.
		const token = new URL(board.links.participant).searchParams.get('token')
		const exported = (await (await fetch(`${t.server.url}/api/boards/${board.id}/export.json?token=${token}`)).json()) as {
			items: { text: string; comments: { text: string; author: string; resolved: boolean; reply: boolean }[]; reactions: unknown[] }[]
		}
		const item = exported.items.find((i) => i.text === 'Pricing page')!
		expect(item.comments.map((c) => [c.author, c.text, c.resolved, c.reply])).toEqual([
			['Alice', 'Who owns this? @Bo', true, false],
			['Bo', 'I do, @Alice (since March)', true, true],
			['Alice', '@Bo can you check the prices before Friday?', false, false],
		])
		expect(item.reactions).toEqual([{ emoji: '👍', count: 1 }])
		expect([...alice.consoleErrors, ...bo.consoleErrors, ...vic.consoleErrors]).toEqual([])
		await Promise.all([alice.context.close(), bo.context.close(), vic.context.close()])
	})
})
