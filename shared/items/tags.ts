/**
 * Tags on items: short labels, normalised so "#Onboarding " and "onboarding"
 * are one tag, coloured by a stable hash so every client shows the same colour
 * without storing it.
 */
import { z } from 'zod'
import type { TldrawColor } from './kinds'

export const MAX_TAG_LENGTH = 40
export const MAX_TAGS_PER_ITEM = 32

/** A normalised tag: lower case, trimmed, single spaces, no leading '#'. */
export const TagSchema = z
	.string()
	.min(1)
	.max(MAX_TAG_LENGTH)
	.regex(/^[^\s#](.*\S)?$/u, 'tags are trimmed and do not start with #')
	.refine((tag: string): boolean => normalizeTag(tag) === tag, 'tags are lower case and single-spaced (see normalizeTag)')
export type Tag = string

/**
 * Normalises user input into a tag, or null when nothing is left
 * (e.g. "  #  "). Longer input is cut to MAX_TAG_LENGTH.
 */
export function normalizeTag(input: string): Tag | null {
	const tag = input
		.replace(/^[\s#]+/u, '')
		.replace(/\s+/gu, ' ')
		.trim()
		.toLowerCase()
		.slice(0, MAX_TAG_LENGTH)
		.trim()
	return tag.length > 0 ? tag : null
}

/** Normalised, de-duplicated tags in first-seen order, at most MAX_TAGS_PER_ITEM. */
export function normalizeTags(inputs: readonly string[]): Tag[] {
	const seen = new Set<string>()
	for (const input of inputs) {
		const tag = normalizeTag(input)
		if (tag !== null) seen.add(tag)
		if (seen.size >= MAX_TAGS_PER_ITEM) break
	}
	return [...seen]
}

/**
 * Chip colours for tags. Kind colours are the sticky backgrounds, so chips use
 * the saturated tldraw colours that read well on any of them.
 */
export const TAG_PALETTE: readonly TldrawColor[] = [
	'blue',
	'red',
	'green',
	'violet',
	'orange',
	'grey',
	'light-violet',
	'black',
]

/** 32-bit FNV-1a over UTF-16 code units; stable across platforms and versions. */
export function fnv1a32(text: string): number {
	let hash = 0x811c9dc5
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i)
		hash = Math.imul(hash, 0x01000193)
	}
	return hash >>> 0
}

/** The chip colour of a tag: same tag, same colour, on every client. */
export function tagColor(tag: string): TldrawColor {
	const normalized = normalizeTag(tag) ?? ''
	return TAG_PALETTE[fnv1a32(normalized) % TAG_PALETTE.length]
}
