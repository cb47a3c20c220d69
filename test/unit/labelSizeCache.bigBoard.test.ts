import { toRichText, type TLNoteShape } from '@tldraw/tlschema'
import { NoteShapeUtil } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { labelSizeKey, memoryLabelSizeCache, noteLabelMeasure, withCachedLabelSizes, withCachedNoteLabelSizes, type LabelSize } from '../../client/sync/labelSizeCache'
import { makeNote } from './helpers/boardFixtures'

/** A note util whose measurement counts its calls instead of laying out text (no DOM in unit tests). */
function countingNoteUtil() {
	const measured: string[] = []
	class CountingNote extends NoteShapeUtil {}
	Object.defineProperty(CountingNote.prototype, 'measureNoteLabelSize', {
		value(shape: TLNoteShape): LabelSize {
			measured.push(shape.id)
			return { labelHeight: 40 + measured.length, labelWidth: 100, fontSizeAdjustment: 22 }
		},
	})
	return { CountingNote, measured }
}

const note = (id: string, text: string, props: Partial<TLNoteShape['props']> = {}) => {
	const base = makeNote(`shape:${id}`, 0, 0, text) as unknown as TLNoteShape
	return { ...base, props: { ...base.props, richText: toRichText(text), ...props } }
}

function measureWith(Util: typeof NoteShapeUtil, shape: TLNoteShape): LabelSize {
	const util = Object.create(Util.prototype) as Record<string, (shape: TLNoteShape) => LabelSize>
	return util.measureNoteLabelSize(shape)
}

describe('sticky label sizes remembered across visits', () => {
	it('relies on a tldraw method that still exists (fails when an upgrade renames it)', () => {
		expect(noteLabelMeasure(NoteShapeUtil)).toBeTypeOf('function')
	})

	it('measures a label once per content and style, whatever the shape', () => {
		const { CountingNote, measured } = countingNoteUtil()
		const Cached = withCachedLabelSizes(CountingNote, memoryLabelSizeCache())
		const first = measureWith(Cached, note('a', 'An idea'))
		// Another sticky (or the same one after a move) with the same text: no new measurement.
		expect(measureWith(Cached, note('b', 'An idea'))).toBe(first)
		expect(measured).toEqual(['shape:a'])
		// Different text, size or font: measured.
		measureWith(Cached, note('c', 'Another idea'))
		measureWith(Cached, note('d', 'An idea', { size: 'xl' }))
		measureWith(Cached, note('e', 'An idea', { font: 'mono' }))
		expect(measured).toEqual(['shape:a', 'shape:c', 'shape:d', 'shape:e'])
	})

	it('answers from an earlier visit without measuring, and only for the same util', () => {
		const { CountingNote, measured } = countingNoteUtil()
		const stored = new Map<string, LabelSize>([[labelSizeKey(`note/${CountingNote.name}`, note('x', 'From last time')), { labelHeight: 77, labelWidth: 150, fontSizeAdjustment: 20 }]])
		const Cached = withCachedLabelSizes(CountingNote, memoryLabelSizeCache(stored))
		expect(measureWith(Cached, note('y', 'From last time'))).toEqual({ labelHeight: 77, labelWidth: 150, fontSizeAdjustment: 20 })
		expect(measured).toEqual([])
		class OtherNote extends CountingNote {}
		const OtherCached = withCachedLabelSizes(OtherNote, memoryLabelSizeCache(stored))
		measureWith(OtherCached, note('z', 'From last time'))
		expect(measured).toEqual(['shape:z'])
	})

	it('wraps only note utils of a list', () => {
		const { CountingNote } = countingNoteUtil()
		class Frame {
			static type = 'frame'
		}
		const [note, frame] = withCachedNoteLabelSizes<{ type: string }>([CountingNote, Frame], memoryLabelSizeCache())
		expect(note).not.toBe(CountingNote)
		expect(Object.getPrototypeOf(note)).toBe(CountingNote)
		expect(frame).toBe(Frame)
	})
})
