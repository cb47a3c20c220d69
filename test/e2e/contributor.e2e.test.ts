/**
 * End-to-end (#13 item 6) in real Chromium: the facilitator opens the
 * contributor link in Facilitate → Links and shows its QR code; a customer
 * on a phone-sized screen opens the link — a plain page, no canvas, no
 * tldraw, nothing of the board — and sends an insight with their name; the
 * sticky arrives in the Inbox frame on the facilitator's board. Under the
 * form the page lists what this phone sent, each with its status (#13
 * item 10): "New" at first; the facilitator parks it with a reason in the
 * inspector; the open page shows "Parked" at its next 30-second refresh,
 * and after a reload too, with the reason (markup in it shown as text).
 * Closing the link turns the page into a clear message, and the list says
 * the link is closed instead of showing the note's status.
 */
import { describe, expect, it } from 'vitest'
import { frameNamed, noteWith, waitConnected } from './boardActions'
import { newParticipant } from './browser'
import { useTestbed } from './testbed'

describe('contributor link', () => {
	const t = useTestbed('workshop-board-e2e-contributor-')

	it('a customer sends an insight from a phone; it appears in the Inbox on the facilitator board', async () => {
		const created = (await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Feedback' }) })).json()) as { links: Record<string, string> }
		const fran = await newParticipant(t.browser, t.server.url, { name: 'Fran' })
		await fran.page.goto(created.links.facilitator)
		await waitConnected(fran.page)
		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=fac-tab-links]')
		await fran.page.click('[data-testid=contributor-rotate]')
		const url = await (async () => {
			await expect.poll(() => fran.page.locator('[data-testid=contributor-url]').count(), { timeout: 10_000 }).toBe(1)
			return fran.page.inputValue('[data-testid=contributor-url]')
		})()
		expect(url).toMatch(/\/c\/[A-Za-z0-9_-]+\?token=[A-Za-z0-9_-]+$/u)
		await fran.page.click('[data-testid=contributor-qr-toggle]')
		const qr = (await fran.page.locator('[data-testid=contributor-qr]').boundingBox())!
		expect(qr.width).toBeGreaterThanOrEqual(160)
		await fran.page.screenshot({ path: 'test-results/contributor-facilitator-links.png' })

		// The customer's phone.
		const phone = await t.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
		// A controllable clock: the page's 30-second refresh is fast-forwarded below.
		await phone.clock.install()
		const requests: string[] = []
		phone.on('request', (request) => requests.push(new URL(request.url()).pathname))
		const page = await phone.newPage()
		await page.goto(url)
		await page.waitForSelector('[data-testid=contrib-text]', { state: 'visible', timeout: 10_000 })
		// No canvas, no tldraw, no board socket: the page, its script and the link check.
		expect(await page.locator('.tl-canvas, canvas').count()).toBe(0)
		expect(requests.filter((p) => !p.startsWith('/c/') && p !== '/api/contribute.js' && !/\/api\/boards\/[^/]+\/contribute$/u.test(p))).toEqual([])
		// Nothing sent yet from this phone: no list.
		expect(await page.locator('[data-testid=contrib-sent]').isVisible()).toBe(false)
		await page.tap('[data-testid=contrib-kind-insight] + span')
		await page.fill('[data-testid=contrib-text]', 'Inviting my team took two days')
		await page.fill('[data-testid=contrib-name]', 'Dana')
		await page.tap('[data-testid=contrib-send]')
		await expect.poll(() => page.innerText('[data-testid=contrib-status]'), { timeout: 10_000 }).toContain('Thanks')
		// The button is a comfortable target and the form fits the screen.
		const button = (await page.locator('[data-testid=contrib-send]').boundingBox())!
		expect(button.height).toBeGreaterThanOrEqual(44)
		expect(button.x + button.width).toBeLessThanOrEqual(390)
		// What you sent: the note, its kind, and its status.
		const receipt = page.locator('[data-testid=contrib-receipt]')
		await expect.poll(() => receipt.getAttribute('data-status'), { timeout: 10_000 }).toBe('new')
		expect(await receipt.count()).toBe(1)
		expect(await receipt.innerText()).toMatch(/New[\s\S]*Insight[\s\S]*Inviting my team took two days/u)
		await page.screenshot({ path: 'test-results/contributor-phone.png', fullPage: true })
		// Markup is refused with a message, not sent.
		await page.fill('[data-testid=contrib-text]', '<img src=x onerror=alert(1)>')
		await page.tap('[data-testid=contrib-send]')
		await expect.poll(() => page.innerText('[data-testid=contrib-status]')).toContain('plain text')

		// The facilitator sees it arrive: a notice, and Show brings the sticky in the Inbox frame into view.
		await expect.poll(() => fran.page.locator('[data-testid=contribution-notice]').innerText(), { timeout: 10_000 }).toContain('New insight from Dana')
		await fran.page.screenshot({ path: 'test-results/contributor-notice.png' })
		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=contribution-show]')
		await expect.poll(() => noteWith(fran.page, 'Inviting my team took two days').count(), { timeout: 10_000 }).toBe(1)
		await expect.poll(() => fran.page.locator('[data-testid=kind-insight]').getAttribute('aria-checked')).toBe('true')
		// The facilitator parks it, with a reason.
		await fran.page.selectOption('[data-testid=status-select]', 'parked')
		// (Board text is only ever text on the page: markup in a reason shows as typed and never runs.)
		await fran.page.fill('[data-testid=status-reason]', 'We look at onboarding again in Q3 <img src=x onerror="window.__pwned=1">')
		// The inspector tells the facilitator the sender will read this.
		expect(await fran.page.locator('[data-testid=status-shared-with-sender]').innerText()).toContain('the sender sees this status and reason')
		await fran.page.keyboard.press('Escape')
		await fran.page.keyboard.press('Shift+1')
		await fran.page.waitForTimeout(400)
		expect(await frameNamed(fran.page, 'Inbox').count()).toBe(1)
		expect(await noteWith(fran.page, 'Inviting my team took two days').locator('[data-testid=note-kind]').innerText()).toBe('Insight')
		await fran.page.screenshot({ path: 'test-results/contributor-inbox.png' })

		// The open page learns it by itself within its 30-second refresh…
		expect(await receipt.getAttribute('data-status')).toBe('new')
		await page.clock.fastForward(31_000)
		await expect.poll(() => receipt.getAttribute('data-status'), { timeout: 10_000 }).toBe('parked')
		// …and, reloaded, shows the decision and the reason — and still nothing else of the board.
		await page.reload()
		await expect.poll(() => receipt.getAttribute('data-status'), { timeout: 10_000 }).toBe('parked')
		await expect.poll(() => page.locator('[data-testid=contrib-reason]').innerText()).toContain('We look at onboarding again in Q3')
		expect(await page.locator('[data-testid=contrib-reason]').innerText()).toContain('<img src=x onerror="window.__pwned=1">')
		expect(await page.locator('img').count()).toBe(0)
		expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
		expect(await receipt.locator('.badge').innerText()).toBe('Parked')
		const item = (await receipt.boundingBox())!
		expect(item.x).toBeGreaterThanOrEqual(0)
		expect(item.x + item.width).toBeLessThanOrEqual(390)
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
		expect(await page.innerText('body')).not.toMatch(/Feedback|Fran/u)
		// Coming back, the top of the page points to the list below the form; the link leads there.
		await expect.poll(() => page.locator('[data-testid=contrib-sent-jump]').innerText()).toContain('See what became of your note')
		await page.screenshot({ path: 'test-results/contributor-phone-return.png' })
		await page.tap('[data-testid=contrib-sent-jump]')
		await expect.poll(async () => (await receipt.boundingBox())!.y + 40 < 844).toBe(true)
		await page.screenshot({ path: 'test-results/contributor-phone-status.png' })
		expect(requests.filter((p) => !p.startsWith('/c/') && p !== '/api/contribute.js' && !/\/api\/boards\/[^/]+\/contribute(\/status)?$/u.test(p))).toEqual([])

		// Closed link: the page says so.
		await fran.page.click('[data-testid=panel-facilitate]')
		await fran.page.click('[data-testid=contributor-close]')
		await expect.poll(() => fran.page.locator('[data-testid=contributor-closed]').count()).toBe(1)
		await page.reload()
		await expect.poll(() => page.locator('#closed').innerText(), { timeout: 10_000 }).toContain('closed or not valid')
		// The list stays, but shares nothing of the note while the link is closed.
		await expect.poll(() => receipt.getAttribute('data-status'), { timeout: 10_000 }).toBe('closed')
		expect(await page.locator('[data-testid=contrib-reason]').count()).toBe(0)
		await page.screenshot({ path: 'test-results/contributor-phone-closed.png', fullPage: true })
		expect(fran.foreignRequests).toEqual([])
		await phone.close()
	})
})
