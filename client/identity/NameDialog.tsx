import { useState } from 'react'
import { MAX_NAME_LENGTH, normalizeName, USER_COLORS, type LocalUser } from './localUser'

/** Asked once per browser: the name and colour others see next to your cursor. */
export function NameDialog({ user, onDone }: { user: LocalUser; onDone: (user: LocalUser) => void }) {
	const [name, setName] = useState(user.name)
	const [color, setColor] = useState(user.color)
	const cleaned = normalizeName(name)
	return (
		<div className="name-dialog__backdrop">
			<form
				className="name-dialog"
				aria-labelledby="name-dialog-title"
				onSubmit={(e) => {
					e.preventDefault()
					if (cleaned) onDone({ ...user, name: cleaned, color })
				}}
			>
				<h2 id="name-dialog-title">What should others call you?</h2>
				<label htmlFor="name-input" className="muted">
					Your name is shown next to your cursor and on the notes you write.
				</label>
				<input
					id="name-input"
					data-testid="name-input"
					autoFocus
					maxLength={MAX_NAME_LENGTH}
					value={name}
					onChange={(e) => setName(e.target.value)}
					placeholder="e.g. Alex (Product)"
				/>
				<div className="name-dialog__colors" role="radiogroup" aria-label="Cursor colour">
					{USER_COLORS.map((c) => (
						<button
							key={c}
							type="button"
							role="radio"
							aria-checked={c === color}
							aria-label={`colour ${c}`}
							className="name-dialog__color"
							style={{ background: c }}
							onClick={() => setColor(c)}
						/>
					))}
				</div>
				<button type="submit" className="button button--primary" data-testid="name-submit" disabled={!cleaned}>
					Join board
				</button>
			</form>
		</div>
	)
}
