/** Public API of the store ↔ Y.Doc binding. */
export { bindStoreToYDoc, type BindStoreOptions, type BoardBinding, type BindingStatus } from './bindStoreToYDoc'
export { attachUndoToEditor, type BoardUndo } from './undo'
export {
	createMemoryStorage,
	createPrivateNotesStore,
	privateNotesStorageKey,
	type KeyValueStorage,
	type PrivateNotesStore,
} from './privateNotesStore'
export type { BindingPlugin, BindingPluginContext, BindingPluginHooks } from './bindingPlugin'
export {
	applyRemoteAwareness,
	getParticipants,
	publishLocalPresence,
	syncRemotePresence,
	toAwarenessState,
	type AwarenessUser,
	type BoardAwarenessState,
	type Participant,
} from './presence'
