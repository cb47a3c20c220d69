/**
 * Plug-in points of the store ↔ Y.Doc binding. The binding itself only
 * syncs; features that must hold some records back from the doc (private
 * writing, client/session/privateWriting.ts) hook in here instead of living
 * inside it. Hooks run synchronously at the named step of the binding.
 */
import type { RecordsDiff } from '@tldraw/store'
import type { TLRecord, TLStore } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import type { SyncLogger } from './yToStore'

/** What a plugin may use of the binding. */
export interface BindingPluginContext {
	store: TLStore
	doc: Y.Doc
	log: SyncLogger
	/** False while the board is read-only for this client (newer schema) and after dispose. */
	canWrite(): boolean
	/** Pushes pending store changes through the binding (and its plugins' `splitLocalChanges`) now. */
	flushPending(): void
}

export interface BindingPluginHooks {
	/** Local store changes → the part that goes to the doc. Runs even while read-only. */
	splitLocalChanges?(changes: RecordsDiff<TLRecord>): RecordsDiff<TLRecord>
	/** After the doc's content was loaded into the store at bind time. */
	afterLoad?(): void
	/** Before remote doc changes to `ids` are applied to the store. */
	beforeRemoteApply?(ids: ReadonlySet<string>): void
	/** After remote doc changes were applied to the store. */
	afterRemoteApply?(): void
	dispose?(): void
}

/** Attached once, by the binding it is passed to, after the schema gate and the first seed. */
export interface BindingPlugin {
	attach(context: BindingPluginContext): BindingPluginHooks
}
