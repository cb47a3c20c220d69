/**
 * The awareness state a client publishes (docs/protocol.md §3):
 * `{ user: { id, name, color }, presence: <compact presence> }`.
 *
 * Why compact: every cursor move re-sends a client's whole awareness state,
 * and every client receives everyone's. tldraw's full instance_presence
 * record is ~600 bytes, mostly fields that are empty or repeat `user`; at
 * 200 people × 20 Hz that is ~480 MB/s of cursor traffic out of the server.
 * The compact form drops what the receiver can rebuild (record id, typeName,
 * userId/userName/color from `user`) and every field at its default, and
 * rounds coordinates to 1/100 of a unit: ~250 bytes for a moving cursor.
 *
 * Receivers accept any subset of tldraw's fields (including a full record
 * from a client that does not compact) and fill the defaults back in.
 * This module knows nothing of tldraw; the client validates the expanded
 * record with tldraw's own validators before it reaches the store.
 */
import { z } from 'zod'

/** A participant as shown to others (the presence list, cursor labels). */
export const AwarenessUserSchema = z.object({
	/** Stable participant id (same across reloads). */
	id: z.string().min(1).max(128),
	/** Display name; longer names are cut when shown. */
	name: z.string(),
	color: z.string().max(64),
})
export type AwarenessUser = z.infer<typeof AwarenessUserSchema>

const Vec = z.object({ x: z.number(), y: z.number() })
const Box = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })
const Point = z.object({ x: z.number(), y: z.number(), z: z.number().optional() })

/** The presence fields a client sends; all but the page may be left out (expandPresence fills the defaults). */
export const CompactPresenceSchema = z.object({
	currentPageId: z.string().min(1).max(256),
	lastActivityTimestamp: z.number().nullable().optional(),
	camera: Vec.extend({ z: z.number() }).nullable().optional(),
	screenBounds: Box.nullable().optional(),
	cursor: Vec.extend({ type: z.string().optional(), rotation: z.number().optional() }).nullable().optional(),
	selectedShapeIds: z.array(z.string()).optional(),
	brush: Box.nullable().optional(),
	/** tldraw scribbles (laser pointer, eraser); checked by tldraw's validator on the receiving side. */
	scribbles: z.array(z.looseObject({ points: z.array(Point) })).optional(),
	followingUserId: z.string().nullable().optional(),
	chatMessage: z.string().optional(),
	meta: z.record(z.string(), z.unknown()).optional(),
})
export type CompactPresence = z.infer<typeof CompactPresenceSchema>

export const AwarenessStateSchema = z.object({
	user: AwarenessUserSchema,
	presence: CompactPresenceSchema.nullable().optional(),
})

/** The fields of tldraw's instance_presence record this format carries (tldraw 5.x). */
export interface PresenceFields {
	currentPageId: string
	lastActivityTimestamp: number | null
	camera: { x: number; y: number; z: number } | null
	screenBounds: { x: number; y: number; w: number; h: number } | null
	cursor: { x: number; y: number; type: string; rotation: number } | null
	selectedShapeIds: readonly string[]
	brush: { x: number; y: number; w: number; h: number } | null
	/** Other scribble fields (id, size, color, state…) travel unchanged. */
	scribbles: ReadonlyArray<{ readonly points: ReadonlyArray<{ x: number; y: number; z?: number }> }>
	followingUserId: string | null
	chatMessage: string
	meta: Record<string, unknown>
}

/** An expanded presence: PresenceFields plus what the receiver derives from `user`. */
export interface ExpandedPresence extends PresenceFields {
	userId: string
	userName: string
	color: string
}

const DEFAULT_CURSOR_TYPE = 'default'

/** 1/100 of a page unit or screen pixel: finer than anything drawn, and ~6 bytes shorter per number. */
function round2(value: number): number {
	return Math.round(value * 100) / 100
}

/** Camera zoom keeps 4 decimals so a follower's viewport matches the leader's to the pixel. */
function round4(value: number): number {
	return Math.round(value * 10_000) / 10_000
}

function roundBox(box: { x: number; y: number; w: number; h: number }) {
	return { x: round2(box.x), y: round2(box.y), w: round2(box.w), h: round2(box.h) }
}

function isEmptyObject(value: Record<string, unknown>): boolean {
	for (const _ in value) return false
	return true
}

/** The compact wire form of a presence (tldraw's instance_presence or anything with its fields). */
export function compactPresence(presence: PresenceFields): CompactPresence {
	const compact: CompactPresence = { currentPageId: presence.currentPageId }
	if (presence.lastActivityTimestamp !== null) compact.lastActivityTimestamp = Math.round(presence.lastActivityTimestamp)
	if (presence.camera) compact.camera = { x: round2(presence.camera.x), y: round2(presence.camera.y), z: round4(presence.camera.z) }
	if (presence.screenBounds) compact.screenBounds = roundBox(presence.screenBounds)
	if (presence.cursor) {
		const { x, y, type, rotation } = presence.cursor
		compact.cursor = { x: round2(x), y: round2(y) }
		if (type !== DEFAULT_CURSOR_TYPE) compact.cursor.type = type
		if (rotation !== 0) compact.cursor.rotation = round4(rotation)
	}
	if (presence.selectedShapeIds.length > 0) compact.selectedShapeIds = [...presence.selectedShapeIds]
	if (presence.brush) compact.brush = roundBox(presence.brush)
	if (presence.scribbles.length > 0) {
		compact.scribbles = presence.scribbles.map((scribble) => ({
			...scribble,
			points: scribble.points.map((p) => (p.z === undefined ? { x: round2(p.x), y: round2(p.y) } : { x: round2(p.x), y: round2(p.y), z: round2(p.z) })),
		}))
	}
	if (presence.followingUserId !== null) compact.followingUserId = presence.followingUserId
	if (presence.chatMessage !== '') compact.chatMessage = presence.chatMessage
	if (!isEmptyObject(presence.meta)) compact.meta = presence.meta
	return compact
}

/** The id tldraw gives a user record (`user:<id>`); presence.userId refers to it. */
export function presenceUserId(user: AwarenessUser): string {
	return `user:${user.id}`
}

/** Fills the defaults back in; the result still has to pass tldraw's record validator. */
export function expandPresence(compact: CompactPresence, user: AwarenessUser): ExpandedPresence {
	const cursor = compact.cursor
	return {
		userId: presenceUserId(user),
		userName: user.name,
		color: user.color,
		currentPageId: compact.currentPageId,
		lastActivityTimestamp: compact.lastActivityTimestamp ?? null,
		camera: compact.camera ?? null,
		screenBounds: compact.screenBounds ?? null,
		cursor: cursor ? { x: cursor.x, y: cursor.y, type: cursor.type ?? DEFAULT_CURSOR_TYPE, rotation: cursor.rotation ?? 0 } : null,
		selectedShapeIds: compact.selectedShapeIds ?? [],
		brush: compact.brush ?? null,
		scribbles: (compact.scribbles ?? []) as PresenceFields['scribbles'],
		followingUserId: compact.followingUserId ?? null,
		chatMessage: compact.chatMessage ?? '',
		meta: compact.meta ?? {},
	}
}

/** What a client puts in awareness for itself. */
export function toAwarenessState(user: AwarenessUser, presence: PresenceFields | null): { user: AwarenessUser; presence: CompactPresence | null } {
	return { user: { id: user.id, name: user.name, color: user.color }, presence: presence ? compactPresence(presence) : null }
}
