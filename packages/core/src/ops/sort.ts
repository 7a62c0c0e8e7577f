/**
 * Sorting and selection along a dim, on the backends' stable `sort` primitive. Values are gathered
 * from the input at the sorted indices, so gradients flow back through gather to where each value
 * came from.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { formatShape, normalizeDim } from '../tensor/shape.ts';
import { backendOf, wrap } from './kernel.ts';
import { contiguous, narrow, select, squeeze, unsqueeze } from './view.ts';
import { movedim } from './shape.ts';
import { gatherValid } from './indexing.ts';
import { castTo } from './cast.ts';
import { eq, ge, gt, isnan, logicalAnd, logicalOr } from './compare.ts';
import { add, sub, where } from './elementwise.ts';
import { argmax, sum } from './reduce.ts';
import { cummax } from './scan.ts';
import { arange, zerosLike } from './creation.ts';
import { cat } from './join.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import type { ValuesIndices } from './reduce.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

export interface SortOptions {
  /** The dim to sort along; the last by default. */
  dim?: number;
  /** Largest first. NaN counts as larger than every number, as in PyTorch. */
  descending?: boolean;
  /** Accepted for PyTorch's signature: flint's sort is always stable (ties keep their order). */
  stable?: boolean;
}

const SORT_OPTIONS: OptionKeys<SortOptions> = { dim: true, descending: true, stable: true };

/** The int32 positions that sort `x` along `d` (no gradient). */
function sortedIndices(x: Tensor, d: number, descending: boolean): Tensor {
  const backend = backendOf('sort', x);
  return noGrad(() =>
    tidy(() => {
      const last = contiguous(movedim(x, d, -1));
      const { values, indices } = backend.sort(last.layout, descending);
      backend.free(values);
      return movedim(wrap(backend, indices, last.shape, 'int32'), -1, d);
    }),
  );
}

/**
 * `{ values, indices }` of `x` sorted along `dim`, stably.
 * @example flint.sort(flint.tensor([3, 1, 2]), { descending: true }) // values [3, 2, 1], indices [0, 2, 1]
 */
export function sort(x: Tensor, options: SortOptions = {}): ValuesIndices {
  checkTensors('sort', [x]);
  checkOptions('sort', options, SORT_OPTIONS);
  if (x.ndim === 0) return { values: x.clone(), indices: wrap(x.backend, x.backend.fill(1, 0, 'int32'), [], 'int32') };
  const d = normalizeDim('sort', options.dim ?? -1, x.ndim);
  const indices = sortedIndices(x, d, options.descending ?? false);
  return { values: gatherValid(x, d, indices), indices };
}

/** The indices that sort `x` along `dim` (see {@link sort}). */
export function argsort(x: Tensor, options: SortOptions = {}): Tensor {
  checkTensors('argsort', [x]);
  checkOptions('argsort', options, SORT_OPTIONS);
  const { values, indices } = sort(x, options);
  values.dispose();
  return indices;
}

/** Sorted along dim 0. */
export const msort = (x: Tensor): Tensor => (checkTensors('msort', [x]), tidy(() => sort(x, { dim: 0 }).values));

export interface TopkOptions {
  dim?: number;
  /** The k largest (default) or smallest. */
  largest?: boolean;
  /** Accepted for PyTorch's signature: the result is always sorted. */
  sorted?: boolean;
}

const TOPK_OPTIONS: OptionKeys<TopkOptions> = { dim: true, largest: true, sorted: true };

/** The `k` largest (or smallest) elements along `dim`, sorted, with their indices. */
export function topk(x: Tensor, k: number, options: TopkOptions = {}): ValuesIndices {
  checkTensors('topk', [x]);
  checkOptions('topk', options, TOPK_OPTIONS);
  const d = normalizeDim('topk', options.dim ?? -1, Math.max(x.ndim, 1));
  const size = x.shape[d] ?? 1;
  if (!Number.isInteger(k) || k < 0 || k > size) throw new RangeError(`topk(): selected index k out of range (k = ${k}, size of dim ${d} = ${size})`);
  return tidy(() => {
    const all = sort(x, { dim: d, descending: options.largest ?? true });
    if (x.ndim === 0) return all;
    return { values: narrow(all.values, d, 0, k), indices: narrow(all.indices, d, 0, k) };
  });
}

/** The `k`-th smallest element (1-based) along `dim`, with its index. */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  checkTensors('kthvalue', [x]);
  const d = normalizeDim('kthvalue', dim, Math.max(x.ndim, 1));
  const size = x.shape[d] ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > size) throw new RangeError(`kthvalue(): selected number k out of range for dimension ${d} (k = ${k}, size ${size})`);
  return pick(x, d, k - 1, keepdim);
}

/** Element `at` of `x` sorted along `d`, with its index, the dim kept or dropped. */
function pick(x: Tensor, d: number, at: number, keepdim: boolean): ValuesIndices {
  return tidy(() => {
    const all = sort(x, { dim: d });
    if (x.ndim === 0) return all;
    const take = (t: Tensor): Tensor => (keepdim ? unsqueeze(select(t, d, at), d) : select(t, d, at));
    return { values: take(all.values), indices: take(all.indices) };
  });
}

/**
 * The lower median along `dim` with its index; of all elements when no dim is given (values only,
 * as a 0-d tensor). A line holding NaN has NaN as its median (the first NaN's index), as in PyTorch.
 */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  checkTensors('median', [x]);
  if (dim === undefined) {
    if (x.size === 0) throw new RangeError('median(): Expected reduction dim to be specified for input.numel() == 0.');
    return tidy(() => medianAlong(x.reshape([-1]), 0, false).values);
  }
  const d = normalizeDim('median', dim, Math.max(x.ndim, 1));
  if ((x.shape[d] ?? 1) === 0) throw new RangeError(`median(): Expected reduction dim ${d} to have non-zero size.`);
  return medianAlong(x, d, keepdim);
}

function medianAlong(x: Tensor, d: number, keepdim: boolean): ValuesIndices {
  if (x.ndim === 0) return sort(x);
  const size = x.shape[d]!;
  return tidy(() => {
    const indices = sortedIndices(x, d, false);
    // NaN sorts last: where a line holds any, its first NaN sits just past the numbers.
    const at = noGrad(() => {
      const nans = castTo(sum(isnan(x), d, true), 'int32');
      return where(gt(nans, 0), sub(size, nans), Math.floor((size - 1) / 2));
    });
    const picked = gatherValid(indices, d, at);
    const drop = (t: Tensor): Tensor => (keepdim ? t : squeeze(t, d));
    return { values: drop(gatherValid(x, d, picked)), indices: drop(picked) };
  });
}

/**
 * The most frequent value along `dim` with the index of its last occurrence; of several equally
 * frequent values, the smallest, as in PyTorch. Values gather from `x`, so gradients flow to it.
 * @example flint.mode(flint.tensor([1, 2, 2, 3])) // values 2, indices 2
 */
export function mode(x: Tensor, dim = -1, keepdim = false): ValuesIndices {
  checkTensors('mode', [x]);
  if (x.ndim === 0) return sort(x);
  const d = normalizeDim('mode', dim, x.ndim);
  const size = x.shape[d]!;
  if (size === 0) throw new RangeError(`mode(): Expected reduction dim ${d} to have non-zero size.`);
  const last = x.ndim - 1;
  return tidy(() => {
    const indices = movedim(sortedIndices(x, d, false), d, -1);
    const chosen = noGrad(() => {
      const sorted = gatherValid(movedim(x, d, -1), last, indices);
      // A run of equal values starts where a value differs from the one before it (NaN equals NaN).
      const previous = narrow(sorted, -1, 0, size - 1);
      const next = narrow(sorted, -1, 1, size - 1);
      const same = logicalOr(eq(previous, next), logicalAnd(isnan(previous), isnan(next)));
      const position = arange(size, { device: x.device });
      const startsRun = where(same, 0, narrow(position, 0, 1, size - 1));
      const runStart = cummax(cat([zerosLike(narrow(startsRun, -1, 0, 1)), startsRun], -1), -1).values;
      // Each position's count within its run; the first maximum ends the smallest of the most frequent runs.
      const best = argmax(add(sub(position, runStart), 1), -1, true);
      return gatherValid(indices, last, best);
    });
    const values = gatherValid(x, d, movedim(chosen, -1, d));
    const drop = (t: Tensor): Tensor => (keepdim ? t : squeeze(t, d));
    return { values: drop(values), indices: drop(movedim(chosen, -1, d)) };
  });
}

export interface SearchOptions {
  /** Return the last suitable position (`boundaries[i-1] <= v < boundaries[i]`) rather than the first. */
  right?: boolean;
}

const SEARCH_OPTIONS: OptionKeys<SearchOptions> = { right: true };

/**
 * For each value, the index in the sorted last dim of `sortedSequence` where it would be inserted
 * to keep it sorted (int32). A 1-D sequence serves every value; otherwise its leading dims match
 * the values'.
 */
export function searchsorted(sortedSequence: Tensor, values: Tensor | number, options: SearchOptions = {}): Tensor {
  checkOptions('searchsorted', options, SEARCH_OPTIONS);
  backendOf('searchsorted', sortedSequence, values);
  const scalar = typeof values === 'number';
  const v = scalar ? wrapScalar(sortedSequence, values) : values;
  if (sortedSequence.ndim > 1 && (v.ndim !== sortedSequence.ndim || v.shape.slice(0, -1).some((s, i) => s !== sortedSequence.shape[i]))) {
    if (scalar) v.dispose();
    throw new RangeError(`searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor ${formatShape(sortedSequence.shape)} and input value tensor ${formatShape(v.shape)}`);
  }
  const out = tidy(() => {
    // Counting the boundaries below each value (at or below, for right) is its insertion point.
    const bounds = sortedSequence.ndim === 1 ? sortedSequence : unsqueeze(sortedSequence, -2);
    const counted = castTo(sum((options.right ? ge : gt)(unsqueeze(v, -1), bounds), -1), 'int32');
    // NaN compares false with every boundary but belongs after all of them, as PyTorch puts it.
    return v.dtype === 'float32' ? where(isnan(v), sortedSequence.shape.at(-1)!, counted) : counted;
  });
  if (scalar) v.dispose();
  return scalar ? squeeze(out) : out;
}

function wrapScalar(like: Tensor, value: number): Tensor {
  return wrap(like.backend, like.backend.fill(1, value, like.dtype), [], like.dtype);
}

/** The bucket of each value among the sorted 1-D `boundaries` (see {@link searchsorted}). */
export function bucketize(input: Tensor, boundaries: Tensor, options: SearchOptions = {}): Tensor {
  checkTensors('bucketize', [input, boundaries]);
  checkOptions('bucketize', options, SEARCH_OPTIONS);
  if (boundaries.ndim !== 1) throw new RangeError(`bucketize(): boundaries tensor must be 1 dimension, but got dim(${boundaries.ndim})`);
  return searchsorted(boundaries, input, options);
}
