/**
 * Token bucket per connection: `ratePerSecond` sustained, `burst` at once.
 * A live cursor plus a drag is well under 150 messages a second; a client far
 * above that is broken or hostile and is disconnected (retryable 4529).
 */
export class MessageRateLimiter {
	private tokens: number
	private last: number

	constructor(
		private readonly ratePerSecond: number,
		private readonly burst: number,
		private readonly now: () => number = () => performance.now(),
	) {
		this.tokens = burst
		this.last = now()
	}

	/** Takes one token; false when the bucket is empty. */
	tryTake(): boolean {
		const now = this.now()
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond)
		this.last = now
		if (this.tokens < 1) return false
		this.tokens -= 1
		return true
	}
}
