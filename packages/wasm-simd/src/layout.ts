import { contiguousStrides, mergeDims, type View } from '@flint/core';
import { elementBytes, type ElementType } from './codes.ts';

/** One operand of a strided kernel: the byte address of its element [0, ...], strides in elements. */
export interface Operand {
  readonly addr: number;
  readonly strides: readonly number[];
  readonly bytes: number;
}

/** A view as a kernel operand (its storage must be live). */
export function viewOperand(view: View, ptr: number): Operand {
  const bytes = elementBytes[view.dtype];
  return { addr: ptr + view.offset * bytes, strides: view.strides, bytes };
}

/** A contiguous output at `addr` of `shape`. */
export function outputOperand(addr: number, shape: readonly number[], type: ElementType): Operand {
  return { addr, strides: contiguousStrides(shape), bytes: elementBytes[type] };
}

/** Words of the parameter block before the kernel-specific extras (assembly/iter.ts's EXTRA). */
export const EXTRA_WORD = 256;
/** Outer dimensions the block has room for after merging. */
const MAX_OUTER = 20;

/**
 * Writes the row-iteration header of assembly/iter.ts at word `p` of `i32`: operands walked
 * together over `shape`. Size-1 dimensions are dropped and adjacent dimensions contiguous with
 * each other in every operand are merged, so contiguous tensors become a single row, which the
 * kernels' SIMD paths take.
 */
export function writeRows(i32: Int32Array, p: number, shape: readonly number[], operands: readonly Operand[]): void {
  const K = operands.length;
  const { sizes, strides, empty } = mergeDims(shape, operands.map((o) => o.strides));
  const outer = Math.max(sizes.length - 1, 0);
  if (outer > MAX_OUTER) throw new Error(`wasm-simd: tensors of more than ${MAX_OUTER + 1} non-mergeable dimensions are not supported`);
  i32[p] = K;
  i32[p + 1] = empty ? 0 : sizes.length > 0 ? sizes[0] : 1;
  let rows = 1;
  for (let d = 1; d < sizes.length; d++) rows *= sizes[d];
  i32[p + 2] = empty ? 0 : rows;
  i32[p + 3] = outer;
  for (let k = 0; k < K; k++) {
    const o = operands[k];
    i32[p + 4 + k] = o.addr;
    i32[p + 4 + K + k] = sizes.length > 0 ? strides[0][k] * o.bytes : 0;
  }
  let w = p + 4 + 2 * K;
  for (let d = sizes.length - 1; d >= 1; d--) {
    i32[w++] = sizes[d];
    for (let k = 0; k < K; k++) i32[w++] = strides[d][k] * operands[k].bytes;
  }
}
