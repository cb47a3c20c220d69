/** A client of the in-memory network: Y.Doc + real tldraw store + binding. */
import type { TLStore } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { bindStoreToYDoc, type BoardBinding } from '../../../client/sync/bindStoreToYDoc'
import { newStore } from './boardFixtures'
import type { YNetwork } from './yNetwork'

export interface BoardPeer {
	name: string
	doc: Y.Doc
	store: TLStore
	binding: BoardBinding
	/** Lines the binding logged. */
	logs: string[]
}

export function connectDoc(net: YNetwork, clientID?: number): Y.Doc {
	const doc = new Y.Doc()
	if (clientID !== undefined) doc.clientID = clientID
	return net.connect(doc)
}

/** Connects a doc (receiving what the network has), then binds a fresh store to it. */
export function createPeer(net: YNetwork, name: string, options: { clientID?: number; store?: TLStore } = {}): BoardPeer {
	const doc = connectDoc(net, options.clientID)
	return bindPeer(name, doc, options.store ?? newStore())
}

export function bindPeer(name: string, doc: Y.Doc, store: TLStore): BoardPeer {
	const logs: string[] = []
	const binding = bindStoreToYDoc({ store, doc, log: (line) => logs.push(line) })
	return { name, doc, store, binding, logs }
}
