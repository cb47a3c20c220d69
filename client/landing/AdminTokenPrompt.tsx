/**
 * Asked when the server has BOARD_CREATION=admin and refused a create or
 * import for want of the admin token (401) or for a wrong one (403). The
 * action that was refused runs again with the token once it is entered.
 */
import { useState } from 'react'
import './adminTokenPrompt.css'

export interface AdminTokenPromptProps {
	/** What the token is for, e.g. "create the board". */
	purpose: string
	/** Shown above the field: why the last token was not accepted. */
	error: string | null
	busy: boolean
	onSubmit(token: string): void
	onCancel(): void
}

export function AdminTokenPrompt({ purpose, error, busy, onSubmit, onCancel }: AdminTokenPromptProps) {
	const [token, setToken] = useState('')
	return (
		<form
			className="landing__admin"
			data-testid="admin-token-prompt"
			aria-labelledby="admin-token-heading"
			onSubmit={(e) => {
				e.preventDefault()
				if (token.trim()) onSubmit(token.trim())
			}}
		>
			<h3 id="admin-token-heading">Admin token needed</h3>
			<p>
				On this server only administrators create and import boards. Enter the admin token (the server’s <code>ADMIN_TOKEN</code>) to {purpose}. This tab
				remembers it until you close it.
			</p>
			{error && (
				<p className="landing__error" role="alert" data-testid="admin-token-error">
					{error}
				</p>
			)}
			<div className="landing__create">
				<input
					type="password"
					aria-label="Admin token"
					data-testid="admin-token-input"
					autoComplete="off"
					autoFocus
					value={token}
					onChange={(e) => setToken(e.target.value)}
				/>
				<button type="submit" className="button button--primary" data-testid="admin-token-submit" disabled={busy || token.trim() === ''}>
					Continue
				</button>
				<button type="button" className="button" onClick={onCancel} disabled={busy}>
					Cancel
				</button>
			</div>
		</form>
	)
}
