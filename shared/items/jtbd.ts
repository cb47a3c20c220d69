/**
 * Jobs-to-be-done statements:
 * "When <situation>, I want to <motivation>, so I can <expected outcome>".
 *
 * The parser is tolerant of how people actually type on stickies — case,
 * missing or extra punctuation, line breaks, curly quotes, "so that" / "so I
 * can" / "so we can" / "so they can" / "in order to", "I want (to)" / "I'd like
 * to" / "we want to" / "I need to", and an "As a <persona>, when …" prefix —
 * but it never guesses: a statement with a part missing is `incomplete` and
 * lists the missing parts; text with fewer than two of the three markers is
 * `not-jtbd`.
 *
 * The parsed parts are stored in a note's `meta.jtbd` when the user accepts
 * the conversion (see docs/items.md).
 */
import { z } from 'zod'

export const JTBD_PARTS = ['situation', 'motivation', 'outcome'] as const
export type JtbdPart = (typeof JTBD_PARTS)[number]

const partText = z.string().min(1).max(2000)
/** `meta.jtbd` of a note: the parsed parts, each optional (an incomplete statement). */
export const JtbdPartsSchema = z.object({
	situation: partText.optional(),
	motivation: partText.optional(),
	outcome: partText.optional(),
	persona: z.string().min(1).max(200).optional(),
})
export type JtbdParts = z.infer<typeof JtbdPartsSchema>

export type JtbdParseResult =
	| { status: 'complete'; situation: string; motivation: string; outcome: string; persona?: string }
	| { status: 'incomplete'; missing: JtbdPart[]; parts: JtbdParts }
	| { status: 'not-jtbd' }

/** Longest text the parser looks at; stickies are short, and this bounds regex work. */
export const MAX_JTBD_INPUT = 4000

const SEP = String.raw`[,;:\u2013\u2014-]`
const SUBJECT = String.raw`(?:i|we|they|you)`

/** "As a product manager, " before "when …" or "I want …". */
const PERSONA_PREFIX = new RegExp(
	String.raw`^as\s+(?:an?\s+|the\s+)?(.+?)\s*(?:${SEP}\s*)?(?=(?:when|whenever)\b|${SUBJECT}(?:\s+(?:really\s+)?(?:want|wanna|would|need)\b|'d\s+like\b))`,
	'iu',
)
const SITUATION_MARKER = /^(?:when|whenever)\b\s*/iu
const MOTIVATION_MARKER = new RegExp(
	String.raw`(${SEP}\s*|\s+|^)${SUBJECT}(?:\s+(?:really\s+)?(?:want(?:\s+to)?|wanna|would\s+like(?:\s+to)?|need(?:\s+to)?)|'d\s+like(?:\s+to)?)\b\s*`,
	'giu',
)
const OUTCOME_MARKER = new RegExp(
	String.raw`(${SEP}\s*|\s+)(?:so\s+that(?:\s+${SUBJECT}\s+(?:can|could|will|may))?|so\s+${SUBJECT}\s+(?:can|could|will|may)|in\s+order\s+to|so\s+as\s+to)\b\s*`,
	'giu',
)

interface MarkerMatch {
	start: number
	end: number
}

/**
 * The marker to split at: the first one that follows punctuation (", I want
 * to"), else the first one. This keeps "When I want to relax, I want to …"
 * from splitting inside the situation.
 */
function pickMarker(re: RegExp, text: string, from: number): MarkerMatch | null {
	re.lastIndex = 0
	let first: MarkerMatch | null = null
	for (const match of text.matchAll(re)) {
		if (match.index < from) continue
		const candidate = { start: match.index, end: match.index + match[0].length }
		if (/\S/u.test(match[1] ?? '')) return candidate
		first ??= candidate
	}
	return first
}

function normalize(text: string): string {
	return text
		.slice(0, MAX_JTBD_INPUT)
		.replace(/[\u2018\u2019\u02bc]/gu, "'")
		.replace(/[\u201c\u201d]/gu, '"')
		.replace(/\s*\n\s*/gu, ', ')
		.replace(/\s+/gu, ' ')
		.trim()
		.replace(/^["'(\s]+|["')\s]+$/gu, '')
		.replace(/[\s.!?;:,\u2026]+$/u, '')
}

function cleanPart(text: string): string | undefined {
	const cleaned = text.replace(new RegExp(String.raw`^(?:${SEP}|\s)+|(?:${SEP}|[\s.!?\u2026])+$`, 'gu'), '').trim()
	return cleaned.length > 0 ? cleaned : undefined
}

interface Scan {
	parts: JtbdParts
	markers: { situation: boolean; motivation: boolean; outcome: boolean }
}

function scan(input: string): Scan {
	let text = normalize(input)
	const parts: JtbdParts = {}
	const persona = PERSONA_PREFIX.exec(text)
	if (persona) {
		const name = cleanPart(persona[1])
		if (name) parts.persona = name
		text = text.slice(persona[0].length)
	}
	const situation = SITUATION_MARKER.exec(text)
	const bodyStart = situation ? situation[0].length : 0
	// A motivation marker needs something (the situation) before it when the text starts with "when".
	const motivation = pickMarker(MOTIVATION_MARKER, text, situation ? bodyStart - 1 : 0)
	const outcome = pickMarker(OUTCOME_MARKER, text, motivation ? motivation.end - 1 : bodyStart)
	const situationEnd = motivation?.start ?? outcome?.start ?? text.length
	if (situation) {
		const value = cleanPart(text.slice(bodyStart, Math.max(bodyStart, situationEnd)))
		if (value) parts.situation = value
	}
	if (motivation) {
		const value = cleanPart(text.slice(motivation.end, outcome?.start ?? text.length))
		if (value) parts.motivation = value
	}
	if (outcome) {
		const value = cleanPart(text.slice(outcome.end))
		if (value) parts.outcome = value
	}
	return {
		parts,
		markers: { situation: situation !== null, motivation: motivation !== null, outcome: outcome !== null },
	}
}

/** Parses a JTBD statement. Never throws, never fills in a missing part. */
export function parseJtbd(text: string): JtbdParseResult {
	const { parts, markers } = scan(text)
	const markerCount = Number(markers.situation) + Number(markers.motivation) + Number(markers.outcome)
	if (markerCount < 2) return { status: 'not-jtbd' }
	const missing = JTBD_PARTS.filter((part) => parts[part] === undefined)
	if (missing.length > 0) return { status: 'incomplete', missing, parts }
	const { situation, motivation, outcome, persona } = parts as Required<JtbdParts>
	return persona === undefined
		? { status: 'complete', situation, motivation, outcome }
		: { status: 'complete', situation, motivation, outcome, persona }
}

/**
 * Whether to offer turning a sticky into a JTBD item: the text starts with
 * "When …" (optionally after "As a …") and has at least one more marker. A
 * plain user story ("I want to X so that Y") is not offered.
 */
export function looksLikeJtbd(text: string): boolean {
	const { markers } = scan(text)
	return markers.situation && (markers.motivation || markers.outcome)
}

/**
 * Status of stored parts (`meta.jtbd`): complete when situation, motivation
 * and outcome are all present.
 */
export function jtbdStatusOf(parts: JtbdParts): { status: 'complete' | 'incomplete'; missing: JtbdPart[] } {
	const missing = JTBD_PARTS.filter((part) => !parts[part])
	return { status: missing.length === 0 ? 'complete' : 'incomplete', missing }
}
