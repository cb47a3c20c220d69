/**
 * Plain text ⇄ tldraw rich text.
 *
 * tldraw 5 stores a note's text in `props.richText` as TipTap/ProseMirror JSON:
 * `{ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }, …] }`.
 * Exports, search, JTBD parsing and clustering work on plain text, so this module
 * flattens that tree: every block (paragraph, heading, code block, list item…)
 * becomes one line, a `hardBreak` becomes a line break, marks are dropped.
 *
 * The input may come from any Yjs client, so the reader never throws: unknown
 * node types contribute their text children, non-objects are ignored, and very
 * deep nesting (a hostile document) is cut off at MAX_RICH_TEXT_DEPTH.
 */

/** The JSON shape tldraw validates for `props.richText` (`richTextValidator`). */
export interface RichTextDoc {
	type: string
	content: unknown[]
	attrs?: unknown
}

export const MAX_RICH_TEXT_DEPTH = 64

/** Nodes whose children are inline content forming one line of text. */
const TEXT_BLOCKS: ReadonlySet<string> = new Set(['paragraph', 'heading', 'codeBlock'])

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function childrenOf(node: Record<string, unknown>): unknown[] {
	return Array.isArray(node.content) ? node.content : []
}

function inlineText(node: unknown, depth: number): string {
	if (!isObject(node) || depth > MAX_RICH_TEXT_DEPTH) return ''
	if (node.type === 'text') return typeof node.text === 'string' ? node.text : ''
	if (node.type === 'hardBreak') return '\n'
	let out = ''
	for (const child of childrenOf(node)) out += inlineText(child, depth + 1)
	return out
}

function collectLines(node: unknown, lines: string[], depth: number): void {
	if (!isObject(node) || depth > MAX_RICH_TEXT_DEPTH) return
	const type = typeof node.type === 'string' ? node.type : ''
	if (TEXT_BLOCKS.has(type)) {
		lines.push(inlineText(node, depth + 1))
		return
	}
	if (type === 'text' || type === 'hardBreak') {
		// Inline content directly inside a container: treat it as its own line.
		lines.push(inlineText(node, depth + 1))
		return
	}
	for (const child of childrenOf(node)) collectLines(child, lines, depth + 1)
}

/**
 * Plain text of a rich text document: blocks joined by `\n`, hard breaks as `\n`.
 * Returns '' for anything that is not a rich text object. A plain string is
 * returned unchanged (legacy notes stored `props.text`).
 */
export function richTextToPlainText(richText: unknown): string {
	if (typeof richText === 'string') return richText
	if (!isObject(richText)) return ''
	const lines: string[] = []
	collectLines(richText, lines, 0)
	return lines.join('\n')
}

/**
 * Rich text document for plain text: one paragraph per line, an empty line as
 * an empty paragraph. Same output as tldraw's `toRichText`, so records we write
 * look like records the editor writes.
 */
export function plainTextToRichText(text: string): RichTextDoc {
	const content = text.split('\n').map((line) =>
		line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' },
	)
	return { type: 'doc', content }
}
