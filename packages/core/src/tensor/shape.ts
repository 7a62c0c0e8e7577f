/** Shape arithmetic shared by every op: sizes, strides, broadcasting and dim checks. */

export type Shape = readonly number[];

/** Number of elements in a tensor of `shape`. */
export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a contiguous tensor. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Whether `strides` lay `shape` out row-major with no gaps (size-1 dimensions may have any stride). */
export function isContiguous(shape: Shape, strides: Shape): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}

export function shapeEquals(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** The broadcast of several shapes, aligned from the right, or an error naming `op`. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  // Operands of one shape are the common case: nothing to stretch.
  if (shapes.length === 2 && shapeEquals(shapes[0]!, shapes[1]!)) return [...shapes[0]!];
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const o = rank - shape.length + i;
      const d = shape[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else {
        throw new RangeError(
          `${op}(): shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together ` +
            `(size ${out[o]} vs ${d} at dimension ${o - rank})`,
        );
      }
    }
  }
  return out;
}

/** Resolves a possibly negative `dim` against `rank`, or throws PyTorch's IndexError. */
export function normalizeDim(op: string, dim: number, rank: number): number {
  const lo = -Math.max(rank, 1);
  const hi = Math.max(rank, 1) - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new RangeError(`${op}(): Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`);
  }
  return dim < 0 ? dim + Math.max(rank, 1) : dim;
}

/** Normalises, sorts and de-duplicates a dim list; `undefined` means every dim. */
export function normalizeDims(op: string, dims: number | readonly number[] | undefined, rank: number): number[] {
  if (dims === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(op, d, rank));
  if (new Set(out).size !== out.length) throw new RangeError(`${op}(): dim ${out.join(', ')} appears multiple times in the list of dims`);
  return out.sort((a, b) => a - b);
}

/** Throws unless every size is a non-negative safe integer and so is their product. */
export function assertShape(op: string, shape: readonly number[]): void {
  for (const d of shape) {
    if (d < 0) throw new RangeError(`${op}(): Trying to create tensor with negative dimension ${d}: ${formatShape(shape)}`);
    if (!Number.isSafeInteger(d)) throw new RangeError(`${op}(): invalid shape ${formatShape(shape)}: sizes must be non-negative integers`);
  }
  // Past 2^53 element counts (and the offsets computed from them) are no longer exact.
  if (!Number.isSafeInteger(numel(shape))) throw new RangeError(`${op}(): invalid shape ${formatShape(shape)}: the number of elements overflows`);
}
