import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { capacityRefusal, isOriginAllowed } from '../../server/sync/admission'
import { MessageRateLimiter } from '../../server/sync/messageRateLimiter'

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage

describe('origin check on the WebSocket upgrade', () => {
	it('allows the same origin and clients that send none, refuses other sites', () => {
		expect(isOriginAllowed(request({ host: 'board.example:8787', origin: 'http://board.example:8787' }), [])).toBe(true)
		expect(isOriginAllowed(request({ host: 'board.example:8787' }), [])).toBe(true)
		expect(isOriginAllowed(request({ host: 'board.example:8787', origin: 'https://evil.example' }), [])).toBe(false)
		expect(isOriginAllowed(request({ host: 'board.example:8787', origin: 'null' }), [])).toBe(false)
	})
	it('allows configured origins, or any with *', () => {
		const req = request({ host: '127.0.0.1:8787', origin: 'https://workshop.example.com' })
		expect(isOriginAllowed(req, ['https://workshop.example.com'])).toBe(true)
		expect(isOriginAllowed(req, ['https://other.example.com'])).toBe(false)
		expect(isOriginAllowed(req, ['*'])).toBe(true)
	})
})

describe('capacity caps', () => {
	const limits = { maxConnections: 10, maxRooms: 2, maxConnectionsPerRoom: 3 }
	it('admits within every cap and names the cap that refuses', () => {
		expect(capacityRefusal(limits, { connections: 5, rooms: 2, roomIsLoaded: true, connectionsInRoom: 2 })).toBeNull()
		expect(capacityRefusal(limits, { connections: 10, rooms: 1, roomIsLoaded: true, connectionsInRoom: 0 })).toMatch(/too many connections/)
		expect(capacityRefusal(limits, { connections: 1, rooms: 2, roomIsLoaded: false, connectionsInRoom: 0 })).toMatch(/too many open boards/)
		expect(capacityRefusal(limits, { connections: 4, rooms: 2, roomIsLoaded: true, connectionsInRoom: 3 })).toMatch(/too many participants/)
	})
})

describe('message rate limiter', () => {
	it('allows the burst, then the sustained rate, and refills over time', () => {
		let now = 0
		const limiter = new MessageRateLimiter(100, 10, () => now)
		let allowed = 0
		for (let i = 0; i < 50; i++) if (limiter.tryTake()) allowed++
		expect(allowed).toBe(10)
		now += 100 // 100 ms at 100/s refills 10 tokens
		allowed = 0
		for (let i = 0; i < 50; i++) if (limiter.tryTake()) allowed++
		expect(allowed).toBe(10)
		now += 10_000 // never more than the burst
		allowed = 0
		for (let i = 0; i < 50; i++) if (limiter.tryTake()) allowed++
		expect(allowed).toBe(10)
	})
})
