/**
 * Tokenising sticky text for similarity: lower case, split on anything that
 * is not a letter or digit, drop English stop words and numbers, and apply a
 * light suffix-stripping stemmer so "pricing", "prices" and "priced" meet.
 * Deterministic and dependency-free; good enough for short workshop notes,
 * not a linguistic tool.
 */

/** Common English function words plus words that are noise on workshop stickies. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
	(
		'a about above after again against all also am an and any are as at be because been before being below ' +
		'between both but by can could did do does doing down during each even ever every few for from further get ' +
		'gets getting got had has have having he her here hers herself him himself his how i if in into is it its ' +
		'itself just let lets like me more most much must my myself no nor not now of off on once only or other our ' +
		'ours ourselves out over own really same she should so some such than that the their theirs them themselves ' +
		'then there these they this those through to too under until up us very was way we were what when where ' +
		'which while who whom why will with within without would you your yours yourself yourselves ' +
		'want wants need needs make makes made lot lots thing things still already maybe often always etc via ' +
		"don't can't won't isn't aren't doesn't didn't i'm we're they're it's"
	).split(/\s+/u),
)

const DOUBLE_CONSONANT = /([b-df-hj-np-rtv-y])\1$/u

/** Light English stemmer (a small subset of Porter step 1, plus -ly and a final-e rule). */
export function stem(word: string): string {
	let w = word
	if (w.length <= 3) return w
	if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y'
	else if (w.endsWith('sses')) w = w.slice(0, -2)
	else if (w.endsWith('s') && !/(?:ss|us|is)$/u.test(w)) w = w.slice(0, -1)
	let stripped = false
	if (w.endsWith('ly') && w.length - 2 >= 4) {
		w = w.slice(0, -2)
	} else if (w.endsWith('ing') && w.length - 3 >= 3) {
		w = w.slice(0, -3)
		stripped = true
	} else if (w.endsWith('ed') && w.length - 2 >= 3) {
		w = w.slice(0, -2)
		stripped = true
	}
	if (stripped && DOUBLE_CONSONANT.test(w)) w = w.slice(0, -1)
	if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1)
	if (w.endsWith('y') && w.length > 3) w = w.slice(0, -1) + 'i'
	return w
}

export interface Token {
	/** The stemmed term. */
	term: string
	/** The lower-cased word it came from (for readable titles). */
	word: string
}

/** Terms of a text, in order, stop words and numbers removed. */
export function tokenize(text: string): Token[] {
	const tokens: Token[] = []
	const words = text
		.toLowerCase()
		.replace(/[\u2018\u2019]/gu, "'")
		.split(/[^\p{L}\p{N}']+/u)
	for (const raw of words) {
		const word = raw.replace(/^'+|'+$/gu, '').replace(/'s$/u, '')
		if (word.length < 2 || STOP_WORDS.has(word) || /^\p{N}+$/u.test(word)) continue
		const cleaned = word.replace(/'/gu, '')
		if (cleaned.length < 2 || STOP_WORDS.has(cleaned)) continue
		tokens.push({ term: stem(cleaned), word: cleaned })
	}
	return tokens
}
