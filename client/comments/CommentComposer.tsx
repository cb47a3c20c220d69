/**
 * A comment text box with `@name` suggestions: typing `@` and the start of a
 * name offers the people on the board (connected now or who commented);
 * picking one completes the name. Ctrl/Cmd+Enter sends.
 */
import { useRef, useState } from 'react'
import { useValue } from 'tldraw'
import { MAX_COMMENT_TEXT, type Mention } from '../../shared/comments'
import { conversationSignal, connectedPeopleSignal, mentionCandidates } from './conversationStore'

const MENTION_AT_CARET = /(^|\s)@([^@\n]{0,40})$/u

interface Props {
	placeholder: string
	submitLabel: string
	blockedReason: string | null
	initial?: string
	testId: string
	onSubmit(text: string): void
	onCancel?(): void
}

export function CommentComposer({ placeholder, submitLabel, blockedReason, initial = '', testId, onSubmit, onCancel }: Props) {
	const [text, setText] = useState(initial)
	const [caret, setCaret] = useState(initial.length)
	const [error, setError] = useState<string | null>(null)
	const ref = useRef<HTMLTextAreaElement>(null)
	// Re-read candidates when people join or someone comments.
	useValue(connectedPeopleSignal)
	useValue(conversationSignal)
	const query = MENTION_AT_CARET.exec(text.slice(0, caret))
	const suggestions: Mention[] = query
		? mentionCandidates()
				.filter((p) => p.name.toLowerCase().startsWith(query[2]!.toLowerCase()) && p.name.toLowerCase() !== query[2]!.toLowerCase())
				.slice(0, 5)
		: []
	const submit = () => {
		try {
			onSubmit(text)
			setText('')
			setError(null)
		} catch (e) {
			setError(e instanceof Error ? e.message : String(e))
		}
	}
	const complete = (person: Mention) => {
		const before = text.slice(0, caret).replace(/@[^@\n]{0,40}$/u, `@${person.name} `)
		const next = before + text.slice(caret)
		setText(next)
		setCaret(before.length)
		requestAnimationFrame(() => {
			ref.current?.focus()
			ref.current?.setSelectionRange(before.length, before.length)
		})
	}
	const disabled = blockedReason !== null
	return (
		<div className="wb-composer">
			<textarea
				ref={ref}
				data-testid={testId}
				value={text}
				rows={2}
				maxLength={MAX_COMMENT_TEXT}
				placeholder={disabled ? blockedReason : placeholder}
				title={blockedReason ?? undefined}
				disabled={disabled}
				onChange={(e) => {
					setText(e.target.value)
					setCaret(e.target.selectionStart)
				}}
				onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
				onKeyDown={(e) => {
					if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
						e.preventDefault()
						submit()
					} else if (e.key === 'Escape' && onCancel) onCancel()
				}}
			/>
			{suggestions.length > 0 && (
				<div className="wb-composer__mentions" role="listbox" aria-label="Mention someone">
					{suggestions.map((person) => (
						<button key={person.key} type="button" role="option" aria-selected={false} data-testid="mention-suggestion" onClick={() => complete(person)}>
							@{person.name}
						</button>
					))}
				</div>
			)}
			{error && (
				<p className="wb-composer__error" role="alert">
					{error}
				</p>
			)}
			<div className="wb-composer__actions">
				<button type="button" className="button button--primary" data-testid={`${testId}-submit`} disabled={disabled || !text.trim()} title={blockedReason ?? 'Ctrl+Enter'} onClick={submit}>
					{submitLabel}
				</button>
				{onCancel && (
					<button type="button" className="button button--link" onClick={onCancel}>
						Cancel
					</button>
				)}
			</div>
		</div>
	)
}
