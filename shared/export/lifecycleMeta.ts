/** The note meta an imported item's status, reason and CD3 are written back as (defaults left out). */
import { DEFAULT_ITEM_STATUS, LifecycleMetaKey } from '../items/lifecycle'
import type { ExportItem } from './schema'

export function lifecycleMeta(item: Pick<ExportItem, 'status' | 'statusReason' | 'cd3'>): Record<string, unknown> {
	const meta: Record<string, unknown> = {}
	if (item.status !== DEFAULT_ITEM_STATUS) meta[LifecycleMetaKey.status] = item.status
	if (item.statusReason) meta[LifecycleMetaKey.statusReason] = item.statusReason
	const cd3: Record<string, number> = {}
	if (item.cd3.costOfDelay !== null) cd3.costOfDelay = item.cd3.costOfDelay
	if (item.cd3.duration !== null) cd3.duration = item.cd3.duration
	if (Object.keys(cd3).length > 0) meta[LifecycleMetaKey.cd3] = cd3
	return meta
}
