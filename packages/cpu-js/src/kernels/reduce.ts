import { contiguousStrides, numel, type AnyTypedArray, type ReduceOp, type View } from '@flint/core';
import { dataOf, newArray } from '../storage.ts';
import { RowIter } from '../strided.ts';
import { gatherInto } from './copy.ts';
import { Scratch } from '../scratch.ts';

type FoldOp = Exclude<ReduceOp, 'argmax' | 'argmin'>;

const FOLD_INIT: Record<FoldOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

/** The float64 accumulator of {@link fold}, reused across calls. */
const accScratch = new Scratch((n) => new Float64Array(n));

/** Reduces the sorted, unique `axes` of `x` away with `op`. */
export function reduce(op: ReduceOp, x: View, axes: readonly number[]): AnyTypedArray {
  if (op === 'argmax' || op === 'argmin') return argReduce(op === 'argmax', x, axes[0]);
  return fold(op, x, axes);
}

/**
 * Walks x in its own row-major order alongside a float64 accumulator addressed with x's shape but
 * stride 0 on the reduced axes, so every input element lands in its output slot without any
 * per-element index math, and sums/products accumulate in float64.
 */
function fold(op: FoldOp, x: View, axes: readonly number[]): AnyTypedArray {
  if (reducesTrailingRuns(x, axes)) return foldRuns(op, x, numel(x.shape.slice(0, axes[0])), numel(x.shape.slice(axes[0])));
  const outShape = x.shape.filter((_, d) => !axes.includes(d));
  const outStrides = contiguousStrides(outShape);
  const accStrides: number[] = [];
  for (let d = 0, k = 0; d < x.shape.length; d++) accStrides.push(axes.includes(d) ? 0 : outStrides[k++]);

  const size = numel(outShape);
  const acc = accScratch.get(size).fill(FOLD_INIT[op], 0, size);
  const X = dataOf(x);
  const intProd = op === 'prod' && x.dtype === 'int32';
  const it = new RowIter(x.shape, [x.strides, accStrides], [x.offset, 0], true);
  const n = it.len;
  const [sx, sa] = it.step;
  for (let r = 0; r < it.rows; r++, it.next()) {
    let ix = it.at[0];
    let ia = it.at[1];
    switch (op) {
      case 'sum': for (let i = 0; i < n; i++, ix += sx, ia += sa) acc[ia] += X[ix]; break;
      case 'prod':
        // int32 products must wrap exactly; float64 products of int32s lose their low bits.
        if (intProd) for (let i = 0; i < n; i++, ix += sx, ia += sa) acc[ia] = Math.imul(acc[ia], X[ix]);
        else for (let i = 0; i < n; i++, ix += sx, ia += sa) acc[ia] *= X[ix];
        break;
      // Math.max/min propagate NaN; over bool 0/1 they are any/all.
      case 'max': for (let i = 0; i < n; i++, ix += sx, ia += sa) acc[ia] = Math.max(acc[ia], X[ix]); break;
      case 'min': for (let i = 0; i < n; i++, ix += sx, ia += sa) acc[ia] = Math.min(acc[ia], X[ix]); break;
    }
  }
  const out = newArray(x.dtype, size);
  for (let i = 0; i < size; i++) out[i] = acc[i];
  return out;
}

/** Whether x is row-major contiguous and `axes` are its last dims, so each output folds one contiguous run. */
function reducesTrailingRuns(x: View, axes: readonly number[]): boolean {
  const rank = x.shape.length;
  if (axes[axes.length - 1] !== rank - 1 || axes[0] !== rank - axes.length) return false;
  for (let d = rank - 1, expected = 1; d >= 0; d--) {
    if (x.shape[d] !== 1 && x.strides[d] !== expected) return false;
    expected *= x.shape[d];
  }
  return true;
}

/**
 * {@link fold} for `size` contiguous runs of `run` elements, one per output (softmax's and a loss's
 * per-row reductions): one tight loop per output, no accumulator array.
 */
function foldRuns(op: FoldOp, x: View, size: number, run: number): AnyTypedArray {
  const out = newArray(x.dtype, size);
  const X = dataOf(x);
  const intProd = op === 'prod' && x.dtype === 'int32';
  for (let o = 0, i = x.offset; o < size; o++) {
    const end = i + run;
    let acc = FOLD_INIT[op];
    switch (op) {
      case 'sum': for (; i < end; i++) acc += X[i]; break;
      case 'prod':
        if (intProd) for (; i < end; i++) acc = Math.imul(acc, X[i]);
        else for (; i < end; i++) acc *= X[i];
        break;
      case 'max': for (; i < end; i++) acc = Math.max(acc, X[i]); break;
      case 'min': for (; i < end; i++) acc = Math.min(acc, X[i]); break;
    }
    out[o] = acc;
  }
  return out;
}

/**
 * Index of the first maximum (or minimum) along `axis`; the first NaN wins outright, as in torch.
 * Iterates the output positions and walks the axis from each.
 */
function argReduce(isMax: boolean, x: View, axis: number): Int32Array {
  const outShape = x.shape.filter((_, d) => d !== axis);
  const out = new Int32Array(numel(outShape));
  const X = dataOf(x);
  const len = x.shape[axis];
  const s = x.strides[axis];
  const it = new RowIter(outShape, [x.strides.filter((_, d) => d !== axis)], [x.offset]);
  const n = it.len;
  const step = it.step[0];
  for (let r = 0, o = 0; r < it.rows; r++, it.next()) {
    for (let i = 0, base = it.at[0]; i < n; i++, base += step) {
      let best = X[base];
      let bestK = 0;
      if (best === best) {
        for (let k = 1, j = base + s; k < len; k++, j += s) {
          const v = X[j];
          if (v !== v) {
            bestK = k;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            bestK = k;
          }
        }
      }
      out[o++] = bestK;
    }
  }
  return out;
}

/** Inclusive prefix sum along `axis`, accumulated in float64 and rounded once per output. */
export function cumsum(x: View, axis: number): AnyTypedArray {
  const total = numel(x.shape);
  const acc = new Float64Array(total);
  gatherInto(x, acc);
  const len = x.shape[axis];
  const inner = numel(x.shape.slice(axis + 1));
  const block = len * inner;
  // Row k of each [len, inner] block adds row k - 1: a unit-stride sweep, whatever the axis.
  for (let b = 0; b < total; b += block) {
    for (let j = b + inner; j < b + block; j++) acc[j] += acc[j - inner];
  }
  const out = newArray(x.dtype, total);
  out.set(acc);
  return out;
}
