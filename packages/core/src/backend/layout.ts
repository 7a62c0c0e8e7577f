/** Layout helpers for backend implementations: how kernels walk strided operands together. */

export { numel, contiguousStrides, isContiguous } from '../tensor/shape.ts';

/** Operands' dimensions after {@link mergeDims}. */
export interface MergedDims {
  /** Sizes, innermost first; none for a single element. */
  readonly sizes: number[];
  /** `strides[d][k]`: operand k's stride (in elements) along merged dimension d. */
  readonly strides: number[][];
  /** Whether some dimension has size 0 (the operands hold no element). */
  readonly empty: boolean;
}

/**
 * The dimensions of `shape` as several operands (`strides[k]` per operand) are walked together:
 * size-1 dimensions dropped, and each dimension merged into the one inside it where it is
 * contiguous with it in every operand, so contiguous tensors become one long row.
 * @example mergeDims([2, 3, 4], [[12, 4, 1], [0, 4, 1]]) // sizes [12, 2], strides [[1, 1], [12, 0]]
 */
export function mergeDims(shape: readonly number[], strides: readonly (readonly number[])[]): MergedDims {
  const sizes: number[] = [];
  const merged: number[][] = [];
  let empty = false;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    if (size === 0) empty = true;
    if (size === 1) continue;
    const last = sizes.length - 1;
    let mergeable = last >= 0;
    for (let k = 0; mergeable && k < strides.length; k++) mergeable = strides[k]![d] === merged[last]![k]! * sizes[last]!;
    if (mergeable) sizes[last]! *= size;
    else {
      sizes.push(size);
      merged.push(strides.map((s) => s[d]!));
    }
  }
  return { sizes, strides: merged, empty };
}
