import { contiguousStrides, numel, type AnyTypedArray, type View } from '@flint/core';
import { dataOf, newArray } from '../storage.ts';
import { RowIter } from '../strided.ts';

/** Host arrays kernels write into: the dtype arrays plus float64 accumulators. */
export type HostArray = AnyTypedArray | Float64Array;

/** Writes the elements of `view` into `out[0..numel)` in row-major order (typed-array conversion on store). */
export function gatherInto(view: View, out: HostArray): void {
  const src = dataOf(view);
  const it = new RowIter(view.shape, [view.strides], [view.offset]);
  const n = it.len;
  const s = it.step[0];
  if (it.rows === 1 && s === 1) {
    out.set(src.subarray(it.at[0], it.at[0] + n));
    return;
  }
  for (let r = 0, o = 0; r < it.rows; r++, it.next()) {
    for (let i = 0, j = it.at[0]; i < n; i++, j += s) out[o++] = src[j];
  }
}

/** The elements of `view` as a row-major array of its dtype; aliases the storage when already contiguous. */
export function contiguous(view: View): AnyTypedArray {
  const src = dataOf(view);
  const it = new RowIter(view.shape, [view.strides], [view.offset]);
  if (it.rows === 1 && it.step[0] === 1) return src.subarray(it.at[0], it.at[0] + it.len);
  const out = newArray(view.dtype, numel(view.shape));
  gatherInto(view, out);
  return out;
}

/** Writes `src` into the strided window `dst` (same shape and dtype). */
export function copy(src: View, dst: View): void {
  if (src.storage === dst.storage) {
    // Windows of one storage may overlap: snapshot the source so the result is a true copy.
    const snapshot = newArray(src.dtype, numel(src.shape));
    gatherInto(src, snapshot);
    writeStrided(snapshot, contiguousStrides(src.shape), 0, dst);
  } else {
    writeStrided(dataOf(src), src.strides, src.offset, dst);
  }
}

/** Copies `from` (read through strides and offset) into the strided window of `dst`. */
function writeStrided(from: AnyTypedArray, fromStrides: readonly number[], fromOffset: number, dst: View): void {
  const to = dataOf(dst);
  const it = new RowIter(dst.shape, [dst.strides, fromStrides], [dst.offset, fromOffset]);
  const n = it.len;
  const sd = it.step[0];
  const ss = it.step[1];
  for (let r = 0; r < it.rows; r++, it.next()) {
    for (let i = 0, d = it.at[0], s = it.at[1]; i < n; i++, d += sd, s += ss) to[d] = from[s];
  }
}
