/** Small helpers shared by the sync gateway and the cluster relay (both accept WebSocket upgrades). */
import type { Duplex } from 'node:stream'
import type { RawData } from 'ws'

/** Answers an upgrade request with a plain HTTP status and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
	if (!socket.destroyed) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/** A ws message as bytes, without copying where ws already handed a single buffer. */
export function toUint8Array(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
	if (data instanceof ArrayBuffer) return new Uint8Array(data)
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
