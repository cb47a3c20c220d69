/** In-memory y-protocols Awareness instances for presence tests, destroyed after each test. */
import { afterEach } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'

const created: Awareness[] = []
afterEach(() => {
	for (const awareness of created.splice(0)) awareness.destroy()
})

/** An Awareness whose own client id is `clientId` (a participant's browser, or a room on the server). */
export function newAwareness(clientId: number): Awareness {
	const doc = new Y.Doc()
	doc.clientID = clientId
	const awareness = new Awareness(doc)
	created.push(awareness)
	return awareness
}
