/**
 * Authentication and authorization: which role a WebSocket upgrade or API
 * request has on a board. The sync gateway and the API ask the `Authenticate`
 * hook; the default one checks role tokens (tokenAuth.ts, docs/sessions.md).
 */
export * from './types'
export { createTokenAuthenticator, tokenFromRequest } from './tokenAuth'
export { generateToken, hashToken, redactTokens, tokenHashesEqual } from './tokens'
export {
	BoardAlreadyClaimedError,
	SqliteBoardTokenStore,
	type BoardTokenStore,
	type RoleTokens,
	type RotatedToken,
	type TokenLookup,
} from './tokenStore'
