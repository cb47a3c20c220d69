/**
 * Page-space geometry of plain tldraw shape records, without the editor.
 *
 * A shape's `x`, `y` and `rotation` are relative to its parent (a page, or a
 * frame/group shape). Its page transform is the parent's page transform
 * followed by translate(x, y) · rotate(rotation), the same composition tldraw's
 * `getShapePageTransform` uses.
 */

export interface Point {
	x: number
	y: number
}

/** 2D affine matrix: x' = a·x + c·y + e, y' = b·x + d·y + f (tldraw's Mat layout). */
export interface Affine {
	a: number
	b: number
	c: number
	d: number
	e: number
	f: number
}

export const IDENTITY: Affine = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 }

export function translateRotate(x: number, y: number, rotation: number): Affine {
	if (rotation === 0) return { a: 1, b: 0, c: 0, d: 1, e: x, f: y }
	const cos = Math.cos(rotation)
	const sin = Math.sin(rotation)
	return { a: cos, b: sin, c: -sin, d: cos, e: x, f: y }
}

/** m · n (apply n first, then m). */
export function multiply(m: Affine, n: Affine): Affine {
	return {
		a: m.a * n.a + m.c * n.b,
		b: m.b * n.a + m.d * n.b,
		c: m.a * n.c + m.c * n.d,
		d: m.b * n.c + m.d * n.d,
		e: m.a * n.e + m.c * n.f + m.e,
		f: m.b * n.e + m.d * n.f + m.f,
	}
}

export function applyToPoint(m: Affine, p: Point): Point {
	return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f }
}

/** Inverse of a rotation+translation matrix (determinant ±1 here, but computed generally). */
export function invert(m: Affine): Affine {
	const det = m.a * m.d - m.b * m.c
	if (det === 0 || !Number.isFinite(det)) return IDENTITY
	return {
		a: m.d / det,
		b: -m.b / det,
		c: -m.c / det,
		d: m.a / det,
		e: (m.c * m.f - m.d * m.e) / det,
		f: (m.b * m.e - m.a * m.f) / det,
	}
}

/** Rotation angle (radians) of a matrix. */
export function rotationOf(m: Affine): number {
	return Math.atan2(m.b, m.a)
}

/** tldraw's note is 200×200 at scale 1 (NoteShapeUtil display values noteWidth/noteHeight). */
export const NOTE_BASE_SIZE = 200

function finiteOr(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

/**
 * Unrotated size of a shape record in its own (parent-relative) units:
 * - note: 200·scale wide, (200 + growY)·scale high (NoteShapeUtil.getGeometry);
 * - frame and other shapes with `props.w`/`props.h`: those;
 * - anything else: 0×0 (treated as a point).
 */
export function shapeSize(record: Record<string, unknown>): { w: number; h: number } {
	const props = typeof record.props === 'object' && record.props !== null ? (record.props as Record<string, unknown>) : {}
	if (record.type === 'note') {
		const scale = finiteOr(props.scale, 1) > 0 ? finiteOr(props.scale, 1) : 1
		const growY = Math.max(0, finiteOr(props.growY, 0))
		return { w: NOTE_BASE_SIZE * scale, h: (NOTE_BASE_SIZE + growY) * scale }
	}
	return { w: Math.max(0, finiteOr(props.w, 0)), h: Math.max(0, finiteOr(props.h, 0)) }
}
