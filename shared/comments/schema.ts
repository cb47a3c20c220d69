/**
 * Comment threads and sticky reactions as stored in the Y.Doc (layout
 * version 2, docs/protocol.md §2.4). One zod schema per domain type; readers
 * (./commentsDoc.ts, ./reactions.ts) validate everything they read, because
 * any Yjs client can write these maps.
 */
import { z } from 'zod'
import { PersonKeySchema } from '../session/messages'

export const MAX_COMMENT_TEXT = 4000
export const MAX_AUTHOR_NAME = 100
/** Far above a real thread; keeps one hostile thread from costing every reader. */
export const MAX_MESSAGES_PER_THREAD = 500
export const MAX_MENTIONS_PER_MESSAGE = 50

const Time = z.number().int().min(0).max(8.64e15)
const ShapeId = z.string().regex(/^shape:[^\s]{1,200}$/)
const EntryId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/)

/** Someone named with `@` in a message, resolved to their person key when it was written. */
export const MentionSchema = z.object({ key: PersonKeySchema, name: z.string().min(1).max(MAX_AUTHOR_NAME) })
export type Mention = z.infer<typeof MentionSchema>

/** One message of a thread (the first is the thread's opening comment). */
export const CommentMessageSchema = z.object({
	id: EntryId,
	/** Person key (shared/session/personKey.ts) of the author: who may edit it. */
	authorKey: PersonKeySchema,
	authorName: z.string().max(MAX_AUTHOR_NAME),
	text: z.string().trim().min(1).max(MAX_COMMENT_TEXT),
	createdAt: Time,
	editedAt: Time.nullable().default(null),
	mentions: z.array(MentionSchema).max(MAX_MENTIONS_PER_MESSAGE).default([]),
})
export type CommentMessage = z.infer<typeof CommentMessageSchema>

/** A thread's own fields (its messages are validated one by one, see readThreads). */
export const CommentThreadFieldsSchema = z.object({
	/** The sticky (`note`) or frame the thread is attached to. */
	targetId: ShapeId,
	createdAt: Time,
	resolved: z.boolean().default(false),
	/** Who resolved it and when (null while open). */
	resolvedBy: z.string().max(MAX_AUTHOR_NAME).nullable().default(null),
	resolvedAt: Time.nullable().default(null),
})

export const CommentThreadSchema = CommentThreadFieldsSchema.extend({
	id: EntryId,
	messages: z.array(CommentMessageSchema).min(1).max(MAX_MESSAGES_PER_THREAD),
})
export type CommentThread = z.infer<typeof CommentThreadSchema>

/** The quick reactions a sticky offers, in the order they are shown. */
export const STICKY_REACTIONS = ['👍', '❤️', '🎉', '💡', '❓'] as const
export const StickyReactionSchema = z.enum(STICKY_REACTIONS)
export type StickyReaction = z.infer<typeof StickyReactionSchema>

/** One person's reaction on one sticky (the value of a `reactions` entry). */
export const ReactionEntrySchema = z.object({
	targetId: ShapeId,
	person: PersonKeySchema,
	name: z.string().max(MAX_AUTHOR_NAME),
	emoji: StickyReactionSchema,
	at: Time,
})
export type ReactionEntry = z.infer<typeof ReactionEntrySchema>

/** Who is writing: their person key and display name. */
export interface CommentAuthor {
	key: string
	name: string
}
