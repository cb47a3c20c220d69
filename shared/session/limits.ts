/** Limits of the facilitated-session protocol, checked by the zod schemas and the server. */

/** Largest session-channel payload (UTF-8 JSON) the server accepts. */
export const MAX_SESSION_MESSAGE_BYTES = 64 * 1024

export const VOTES_PER_PARTICIPANT_MIN = 1
export const VOTES_PER_PARTICIPANT_MAX = 99
export const MAX_VOTES_PER_ITEM_MIN = 1
export const MAX_VOTES_PER_ITEM_MAX = 99

/** Voting sessions kept per board (open + closed). */
export const MAX_VOTING_SESSIONS_PER_BOARD = 200
/** At most one open session at a time keeps the participant UI simple; close it to start another. */
export const MAX_OPEN_VOTING_SESSIONS = 1

export const MAX_TITLE_LENGTH = 200
export const MAX_NAME_LENGTH = 100
export const MAX_PHASES = 30
export const MAX_LOCKED_SHAPES = 5000
/** Hands stay up across reconnects, so they are stored; this bounds what tampered clients can pile up. */
export const MAX_RAISED_HANDS = 500
export const MAX_SHAPE_IDS_PER_REQUEST = 1000
/** A timer of at most 24 hours. */
export const MAX_TIMER_MS = 24 * 60 * 60 * 1000

/** The server coalesces state broadcasts within this window (100 voters → one state per tick). */
export const SESSION_STATE_TICK_MS = 50

/** A voting session's closing time is at most this far ahead (remote voting over days). */
export const MAX_VOTE_OPEN_MS = 31 * 24 * 60 * 60 * 1000
/** People counted per open session for turnout; beyond it (tampered clients inventing ids) the count stops growing. */
export const MAX_TURNOUT_TRACKED = 5000
/** Schedule changes kept per voting session (set, extend, remove, close). */
export const MAX_SCHEDULE_LOG = 50
