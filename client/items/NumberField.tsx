/** A labelled number input of the inspector: empty means absent (undefined), never 0. */
export function NumberField({ label, value, onChange, suffix, min, step }: {
	label: string
	value: number | undefined
	onChange: (value: number | undefined) => void
	suffix?: string
	min?: number
	step?: number
}) {
	return (
		<label className="wb-field">
			<span>{label}</span>
			<input
				type="number"
				inputMode="decimal"
				min={min}
				step={step ?? 'any'}
				value={value ?? ''}
				placeholder="—"
				onChange={(e) => {
					const raw = e.target.value.trim()
					const parsed = raw === '' ? undefined : Number(raw)
					onChange(parsed === undefined || Number.isFinite(parsed) ? parsed : undefined)
				}}
			/>
			{suffix && <span className="muted">{suffix}</span>}
		</label>
	)
}
