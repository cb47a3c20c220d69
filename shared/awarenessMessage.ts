/** The y-websocket awareness message (MessageType.awareness + a y-protocols awareness update), for server and client. */
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import { MessageType } from './protocol'

/** One awareness message carrying the states (or removals) of `clientIds`. */
export function encodeAwarenessMessage(awareness: awarenessProtocol.Awareness, clientIds: number[]) {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MessageType.awareness)
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clientIds))
	return encoding.toUint8Array(encoder)
}
