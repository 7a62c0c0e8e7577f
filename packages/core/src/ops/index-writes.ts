/**
 * Writes along a dim or a mask, out of place (the Tensor methods with `_` assign the result in
 * place): indexAdd, indexCopy, indexFill, scatter, maskedSelect, maskedScatter. Composed from
 * scatterAdd and the index assignment of advanced-index.ts, so gradients follow.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { broadcastShapes, formatShape, normalizeDim } from '../tensor/shape.ts';
import { full, onesLike } from './creation.ts';
import { mul, ALPHA_OPTIONS, type AlphaOptions } from './elementwise.ts';
import { castTo } from './cast.ts';
import { scatterAdd, writeAt } from './indexing.ts';
import { expand, narrow, reshape, type IndexSpec } from './view.ts';
import { indexAdvanced, indexPutOutOfPlace, type AdvancedIndexSpec } from './advanced-index.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

function assertVectorIndex(op: string, index: Tensor): void {
  if (index.dtype !== 'int32') throw new TypeError(`${op}(): Expected dtype int32 for index, got ${index.dtype}`);
  if (index.ndim > 1) throw new RangeError(`${op}(): Index is supposed to be a vector, got ${index.ndim} dims`);
}

/** The spec selecting `index` along `d` of a rank-`rank` tensor. */
const alongDim = (d: number, index: Tensor): AdvancedIndexSpec[] => [...new Array<IndexSpec>(d).fill(':'), index];

/** `x` with `alpha * source[i]` added to the slice `index[i]` of `dim`. */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, options: AlphaOptions = {}): Tensor {
  checkTensors('indexAdd', [x]);
  checkOptions('indexAdd', options, ALPHA_OPTIONS);
  assertVectorIndex('indexAdd', index);
  const d = normalizeDim('indexAdd', dim, x.ndim);
  const expected = x.shape.map((s, i) => (i === d ? index.size : s));
  if (source.ndim !== x.ndim || source.shape.some((s, i) => s !== expected[i])) {
    throw new RangeError(`indexAdd(): source ${formatShape(source.shape)} must have the shape of self ${formatShape(x.shape)} with dim ${d} of size index.numel() = ${index.size}`);
  }
  return tidy(() => {
    const lead = x.shape.map((_, i) => (i === d ? index.size : 1));
    const at = expand(reshape(index, lead), source.shape);
    return scatterAdd(x, d, at, options.alpha === undefined ? source : mul(source, options.alpha));
  });
}

/** `x` with the slices `index[i]` of `dim` replaced by `source[i]`. */
export function indexCopy(x: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  checkTensors('indexCopy', [x]);
  assertVectorIndex('indexCopy', index);
  const d = normalizeDim('indexCopy', dim, x.ndim);
  return indexPutOutOfPlace(x, alongDim(d, index), source, false);
}

/** `x` with the slices `index` of `dim` set to `value`. */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: number): Tensor {
  checkTensors('indexFill', [x]);
  assertVectorIndex('indexFill', index);
  const d = normalizeDim('indexFill', dim, x.ndim);
  return indexPutOutOfPlace(x, alongDim(d, index), value, false);
}

/**
 * `x` with `src[i][j]` written at `[index[i][j]][j]` (for dim 0, and so on): the inverse of gather.
 * `reduce: 'add'` adds instead and `'multiply'` multiplies; `src` may be a number. Only the part of
 * `src` that `index` covers is used. Unlike PyTorch's, the reduced forms have gradients.
 */
export interface ScatterOptions {
  /** Add or multiply the written values into `x` instead of replacing its elements. */
  reduce?: 'add' | 'multiply';
}

const SCATTER_OPTIONS: OptionKeys<ScatterOptions> = { reduce: true };

export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number, options: ScatterOptions = {}): Tensor {
  checkTensors('scatter', [x]);
  checkOptions('scatter', options, SCATTER_OPTIONS);
  if (index.dtype !== 'int32') throw new TypeError(`scatter(): Expected dtype int32 for index, got ${index.dtype}`);
  if (options.reduce !== undefined && options.reduce !== 'add' && options.reduce !== 'multiply') {
    throw new RangeError(`scatter(): reduce argument must be either add or multiply, got '${String(options.reduce)}'`);
  }
  const d = normalizeDim('scatter', dim, x.ndim);
  if (typeof src !== 'number' && (src.ndim !== index.ndim || index.shape.some((s, i) => s > src.shape[i]!))) {
    throw new RangeError(`scatter(): Expected index ${formatShape(index.shape)} to be smaller than src ${formatShape(src.shape)} in every dimension`);
  }
  if (typeof src !== 'number' && src.dtype !== x.dtype) {
    throw new TypeError(`scatter(): Expected self.dtype to be equal to src.dtype (${x.dtype} vs ${src.dtype})`);
  }
  if (x.dtype === 'bool') {
    return tidy(() => castTo(scatter(castTo(x, 'float32'), d, index, typeof src === 'number' ? src : castTo(src, 'float32'), options), 'bool'));
  }
  return tidy(() => {
    const device = { device: x.device, dtype: x.dtype };
    const part = typeof src === 'number' ? full(index.shape, src, device) : index.shape.reduce((t, s, i) => narrow(t, i, 0, s), src);
    if (options.reduce === 'add') return scatterAdd(x, d, index, part);
    if (options.reduce === 'multiply') return scatterMultiply(x, d, index, part);
    return writeAt(x, d, index, part);
  });
}

/**
 * `x` times the `src` values written at each element, in their order along `d`. Entries of one
 * slice of `index` along `d` name distinct elements, so each slice is one exact scatter; the cost
 * is `index.shape[d]` passes over `x`.
 */
function scatterMultiply(x: Tensor, d: number, index: Tensor, src: Tensor): Tensor {
  let out = x;
  for (let k = 0; k < index.shape[d]!; k++) {
    out = mul(out, writeAt(onesLike(x), d, narrow(index, d, k, 1), narrow(src, d, k, 1)));
  }
  return out;
}

/** The elements of `x` where the bool `mask` (broadcast with `x`) is true, as a 1-D tensor. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkTensors('maskedSelect', [x, mask]);
  if (mask.dtype !== 'bool') throw new TypeError(`maskedSelect(): expected mask to be a bool tensor, got ${mask.dtype}`);
  const shape = broadcastShapes('maskedSelect', x.shape, mask.shape);
  return tidy(() => indexAdvanced(expand(x, shape), [expand(mask, shape)]));
}

/** `x` with the elements of `source`, in order, written where `mask` (broadcast to `x`) is true. */
export function maskedScatter(x: Tensor, mask: Tensor, source: Tensor): Tensor {
  checkTensors('maskedScatter', [x, mask, source]);
  if (mask.dtype !== 'bool') throw new TypeError(`maskedScatter(): expected mask to be a bool tensor, got ${mask.dtype}`);
  return tidy(() => {
    const m = expand(mask, x.shape);
    if (!m.backend.readSync) throw new Error(`maskedScatter(): the ${x.device} backend cannot read the mask synchronously; index with the tensors of \`await flint.nonzeroAsync(mask, { asTuple: true })\` instead`);
    const count = m.sum().itemSync();
    if (count > source.size) throw new RangeError(`maskedScatter(): Number of elements of source < number of ones in mask (${source.size} < ${count})`);
    return indexPutOutOfPlace(x, [m], narrow(reshape(source, [-1]), 0, 0, count), false);
  });
}
