import { numel, sortLines, type AnyTypedArray, type DType, type Storage, type View } from '@flint/core';
import type { Runtime } from '../runtime.ts';

/**
 * Sorts each line along the last axis of the contiguous `x` (see Backend.sort), in place in the
 * heap: the host sort reads and writes the memory's own typed-array windows.
 */
export function sort(rt: Runtime, x: View, descending: boolean, view: (dtype: DType, ptr: number, size: number) => AnyTypedArray): { values: Storage; indices: Storage } {
  const total = numel(x.shape);
  const count = x.shape[x.shape.length - 1] ?? 1;
  const values = rt.output(x.shape, x.dtype).storage;
  const indices = rt.output(x.shape, 'int32').storage;
  if (total > 0) {
    const bytes = x.dtype === 'bool' ? 1 : 4;
    const src = view(x.dtype, rt.storage(x).ptr + x.offset * bytes, total);
    sortLines(src, 0, total / count, count, descending, view(x.dtype, values.ptr, total), view('int32', indices.ptr, total) as Int32Array, 0);
  }
  return { values, indices };
}
