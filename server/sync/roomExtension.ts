/**
 * Hooks a feature (facilitated sessions) attaches to each room, so the room
 * core stays about sync and awareness. All hooks but `load` are synchronous
 * and run in the room's message handling; exceptions close only the sending
 * connection. A hook that needs the store starts its own async work.
 */
import type * as decoding from 'lib0/decoding'
import type { ClientConnection } from './clientConnection'
import type { Room } from './room'

/** Verdict on a document update before it is applied. */
export type UpdateVerdict = { accept: true } | { accept: false; reason: 'locked'; recordIds: string[] }

export interface RoomExtension {
	/** Custom y-websocket message types this extension handles (e.g. MessageType.session). */
	readonly messageTypes: ReadonlySet<number>
	/** A message of one of `messageTypes`; `decoder` is positioned after the type varint. */
	receive(conn: ClientConnection, messageType: number, decoder: decoding.Decoder): void
	/** Checked for every update of a connection that may edit, before it is applied. */
	checkUpdate(conn: ClientConnection, update: Uint8Array): UpdateVerdict
	connectionAdded(conn: ClientConnection): void
	connectionRemoved(conn: ClientConnection): void
	/** Loads the extension's stored state; the room is ready (and takes connections) only after it resolved. */
	load?(): Promise<void>
	/** The room is unloading. */
	dispose(): void
}

export type RoomExtensionFactory = (room: Room) => RoomExtension
