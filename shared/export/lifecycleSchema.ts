/** Export fields of an item's lifecycle and CD3 (version 7, shared/items/lifecycle.ts), spread into ExportItemSchema. */
import { z } from 'zod'
import { CostOfDelaySchema, DurationSchema, ItemStatusSchema, MAX_STATUS_REASON } from '../items/lifecycle'

export const ExportCd3Schema = z
	.object({
		costOfDelay: CostOfDelaySchema.nullable().describe('value lost per week of delay (any unit the team agrees on)'),
		duration: DurationSchema.nullable().describe('weeks of work'),
		score: z.number().nonnegative().finite().nullable().describe('cost of delay ÷ duration (rounded to 4 decimals); null while incomplete'),
		status: z.enum(['complete', 'incomplete']),
	})
	.describe('CD3: cost of delay divided by duration, the second scoring model beside RICE')

export const ExportLifecycleFields = {
	status: ItemStatusSchema.describe("the item's lifecycle: new (default), evaluating, accepted, parked or discarded"),
	statusReason: z.string().max(MAX_STATUS_REASON).nullable().describe('why it has its status (e.g. why it was discarded); null when none'),
	cd3: ExportCd3Schema,
}

export type ExportCd3 = z.infer<typeof ExportCd3Schema>
