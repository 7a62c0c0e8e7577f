import { numel, sortLines, type AnyTypedArray, type View } from '@flint/core';
import { dataOf, newArray } from '../storage.ts';

/** Sorts each line along the last axis of the contiguous `x` (see Backend.sort). */
export function sort(x: View, descending: boolean): { values: AnyTypedArray; indices: Int32Array } {
  const total = numel(x.shape);
  const count = x.shape[x.shape.length - 1] ?? 1;
  const values = newArray(x.dtype, total);
  const indices = new Int32Array(total);
  if (total > 0) sortLines(dataOf(x), x.offset, total / count, count, descending, values, indices, 0);
  return { values, indices };
}
