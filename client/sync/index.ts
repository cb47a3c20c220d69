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
export { PRIVATE_META_KEY, type RevealOptions, type RevealResult } from './privateWriting'
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
