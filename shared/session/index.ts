/** Facilitated sessions (issue #4): roles, limits, message and state schemas, framing. */
export * from './roles'
export * from './limits'
export * from './messages'
export * from './codec'
