import { contiguousStrides, numel, type AnyTypedArray, type View } from '@flint/core';
import { dataOf, newArray } from '../storage.ts';
import { RowIter } from '../strided.ts';
import { gatherInto } from './copy.ts';

/** Strides with the `axis` entry zeroed: the indexed coordinate is added separately. */
function withoutAxis(strides: readonly number[], axis: number): number[] {
  return strides.map((s, d) => (d === axis ? 0 : s));
}

/** out[..., i, ...] = x[..., index[..., i, ...], ...] along `axis`; output has index.shape. */
export function gather(x: View, axis: number, index: View): AnyTypedArray {
  const out = newArray(x.dtype, numel(index.shape));
  const X = dataOf(x);
  const I = dataOf(index);
  const sAxis = x.strides[axis];
  const it = new RowIter(index.shape, [index.strides, withoutAxis(x.strides, axis)], [index.offset, x.offset]);
  const n = it.len;
  const [si, sx] = it.step;
  for (let r = 0, o = 0; r < it.rows; r++, it.next()) {
    for (let i = 0, ii = it.at[0], ix = it.at[1]; i < n; i++, ii += si, ix += sx) out[o++] = X[ix + I[ii] * sAxis];
  }
  return out;
}

/** A contiguous copy of `base` with each `src` element added at the position `index` names along `axis`. */
export function scatterAdd(base: View, axis: number, index: View, src: View): AnyTypedArray {
  const out = newArray(base.dtype, numel(base.shape));
  gatherInto(base, out);
  const I = dataOf(index);
  const S = dataOf(src);
  const outStrides = contiguousStrides(base.shape);
  const sAxis = outStrides[axis];
  const it = new RowIter(
    index.shape,
    [index.strides, src.strides, withoutAxis(outStrides, axis)],
    [index.offset, src.offset, 0],
  );
  const n = it.len;
  const [si, ss, so] = it.step;
  for (let r = 0; r < it.rows; r++, it.next()) {
    for (let i = 0, ii = it.at[0], is = it.at[1], io = it.at[2]; i < n; i++, ii += si, is += ss, io += so) {
      out[io + I[ii] * sAxis] += S[is];
    }
  }
  return out;
}
