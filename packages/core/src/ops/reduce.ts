/** Reductions over dims, each forward beside its gradient. */
import type { ReduceOp } from '../backend/types.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { normalizeDim, normalizeDims, numel } from '../tensor/shape.ts';
import { backendOf, record, wrap } from './kernel.ts';
import { castTo } from './cast.ts';
import { add, div, exp, log, mul, sqrt, sub, where } from './elementwise.ts';
import { eq, isfinite } from './compare.ts';
import { clone, detach, expand, reshape, squeeze } from './view.ts';
import { gatherValid, indexSelect } from './indexing.ts';
import { arange } from './creation.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { traced } from '../trace/state.ts';

/** What max(dim)/min(dim) return, like PyTorch's named tuple. */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

/** Options of var/std. `correction` 1 (default) is Bessel's, 0 the population statistic. */
export interface VarOptions {
  correction?: number;
  keepdim?: boolean;
}

export const VAR_OPTIONS: OptionKeys<VarOptions> = { correction: true, keepdim: true };

function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  return shape.map((d, i) => (dims.includes(i) ? 1 : d));
}

/** Runs a backend reduction (no autograd); keepdim is a free reshape of the result. */
function reduceRaw(op: ReduceOp, name: string, x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const backend = backendOf(name, x);
  // A 0-d tensor's dim 0 names no axis a kernel could reduce: its one value is the result.
  if (dims.length === 0 || (x.ndim === 0 && op !== 'argmax' && op !== 'argmin')) return noGrad(() => clone(x));
  // ...and its arg-extreme is index 0.
  if (x.ndim === 0) return wrap(backend, backend.fill(1, 0, 'int32'), [], 'int32');
  const emptyDim = dims.find((d) => x.shape[d] === 0);
  if (op !== 'sum' && op !== 'prod' && emptyDim !== undefined) {
    throw new RangeError(`${name}(): Expected reduction dim ${emptyDim} to have non-zero size.`);
  }
  const outShape = keepdim ? keptShape(x.shape, dims) : x.shape.filter((_, i) => !dims.includes(i));
  const dtype = op === 'argmax' || op === 'argmin' ? 'int32' : x.dtype;
  return wrap(backend, backend.reduce(op, x.layout, dims), outShape, dtype);
}

/** How many elements each result of a reduction over `dims` combines; a 0-d tensor's dim 0 holds its one value. */
const reducedCount = (x: Tensor, dims: readonly number[]): number => (x.ndim === 0 ? 1 : numel(dims.map((d) => x.shape[d]!)));

/** Broadcasts a reduced gradient back over the reduced dims of `x`. */
function spread(g: Tensor, x: Tensor, dims: readonly number[]): Tensor {
  return expand(reshape(g, keptShape(x.shape, dims)), x.shape);
}

/** Sum over `dim` (all dims when omitted). Bool sums count in int32. */
export function sum(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return traced('sum', [x], { dim, keepdim }, () => {
    const dims = normalizeDims('sum', dim, x.ndim);
    const input = x.dtype === 'bool' ? castTo(x, 'int32') : x;
    const out = reduceRaw('sum', 'sum', input, dims, keepdim);
    if (input !== x) input.dispose();
    return record('SumBackward', out, [x], [], (g) => [spread(g, x, dims)]);
  });
}

export function mean(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return traced('mean', [x], { dim, keepdim }, () => {
    checkTensors('mean', [x]);
    if (x.dtype !== 'float32') {
      throw new TypeError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype}`);
    }
    const dims = normalizeDims('mean', dim, x.ndim);
    const count = reducedCount(x, dims);
    return tidy(() => div(sum(x, dims, keepdim), count));
  });
}

/** Product over `dim` (all when omitted); the gradient is exact even with zeros in the input. */
export function prod(x: Tensor, dim?: number, keepdim = false): Tensor {
  const dims = normalizeDims('prod', dim, x.ndim);
  const out = reduceRaw('prod', 'prod', x, dims, keepdim);
  return record('ProdBackward', out, [x], [x, out], (g) => {
    const isZero = eq(x, 0);
    const zeros = sum(isZero, dims, true);
    const withoutZeros = prod1(where(isZero, 1, x), dims);
    const gk = spread(g, x, dims);
    const outK = spread(out, x, dims);
    const others = where(eq(zeros, 0), div(outK, x), where(eq(zeros, 1), where(isZero, withoutZeros, 0), 0));
    return [mul(gk, others)];
  });
}

/** Product over several dims, keeping them. */
function prod1(x: Tensor, dims: readonly number[]): Tensor {
  let out = x;
  for (const d of dims) out = prod(out, d, true);
  return out;
}

function extremeAll(op: 'max' | 'min', x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  return traced(op === 'max' ? 'amax' : 'amin', [x], { dim, keepdim }, () => {
    const name = op === 'max' ? 'amax' : 'amin';
    const dims = normalizeDims(name, dim, x.ndim);
    if (dim === undefined && x.size === 0) throw new RangeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
    const out = reduceRaw(op, name, x, dims, keepdim);
    if (x.dtype !== 'float32') return out;
    return record(`${op === 'max' ? 'Amax' : 'Amin'}Backward`, out, [x], [x, out], (g) => {
      const mask = eq(x, spread(out, x, dims));
      const share = div(mask, sum(mask, dims, true));
      return [mul(spread(g, x, dims), share)];
    });
  });
}

/** Largest value over `dim`; the gradient is shared evenly among ties, as in PyTorch. */
export const amax = (x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor => (checkTensors('amax', [x]), extremeAll('max', x, dim, keepdim));
export const amin = (x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor => (checkTensors('amin', [x]), extremeAll('min', x, dim, keepdim));
/** The largest element (NaN if any is NaN). */
export const max = (x: Tensor): Tensor => (checkTensors('max', [x]), extremeAll('max', x, undefined, false));
export const min = (x: Tensor): Tensor => (checkTensors('min', [x]), extremeAll('min', x, undefined, false));

function extremeDim(op: 'argmax' | 'argmin', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  checkTensors(op, [x]);
  const name = op === 'argmax' ? 'max' : 'min';
  const d = normalizeDim(name, dim, x.ndim);
  if (x.ndim === 0) return { values: clone(x), indices: wrap(x.backend, x.backend.fill(1, 0, 'int32'), [], 'int32') };
  return tidy(() => {
    const kept = reduceRaw(op, name, x, [d], true);
    const values = gatherValid(x, d, kept);
    return keepdim ? { values, indices: kept } : { values: squeeze(values, d), indices: squeeze(kept, d) };
  });
}

/** `{ values, indices }` of the maxima along `dim`; the gradient flows to the chosen index. */
export const maxDim = (x: Tensor, dim: number, keepdim = false): ValuesIndices => (checkTensors('maxDim', [x]), extremeDim('argmax', x, dim, keepdim));
export const minDim = (x: Tensor, dim: number, keepdim = false): ValuesIndices => (checkTensors('minDim', [x]), extremeDim('argmin', x, dim, keepdim));

function argExtreme(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  checkTensors(op, [x]);
  if (dim === undefined) {
    if (x.size === 0) throw new RangeError(`${op}(): Expected reduction dim to be specified for input.numel() == 0.`);
    return tidy(() => {
      const out = reduceRaw(op, op, reshape(x, [-1]), [0], false);
      return keepdim ? reshape(out, x.shape.map(() => 1)) : out;
    });
  }
  return reduceRaw(op, op, x, [normalizeDim(op, dim, x.ndim)], keepdim);
}

/** Index of the first maximum along `dim`, or in the flattened tensor. */
export const argmax = (x: Tensor, dim?: number, keepdim = false): Tensor => argExtreme('argmax', x, dim, keepdim);
export const argmin = (x: Tensor, dim?: number, keepdim = false): Tensor => argExtreme('argmin', x, dim, keepdim);

/** Variance over `dim` with `correction` (1 by default: the unbiased estimate). */
export const variance = (x: Tensor, dim?: number | readonly number[], options: VarOptions = {}): Tensor => varianceAs('var', x, dim, options);

/** {@link variance}, its errors naming `op`: `var`, or `std` computing it. */
function varianceAs(op: string, x: Tensor, dim: number | readonly number[] | undefined, options: VarOptions): Tensor {
  checkOptions(op, options, VAR_OPTIONS);
  backendOf(op, x);
  const dims = normalizeDims(op, dim, x.ndim);
  const correction = options.correction ?? 1;
  const count = reducedCount(x, dims);
  return tidy(() => {
    const centered = sub(x, mean(x, dims, true));
    return div(sum(mul(centered, centered), dims, options.keepdim ?? false), Math.max(0, count - correction));
  });
}

/** Square root of {@link variance}; its gradient is 0 where the deviation is 0, as in PyTorch. */
export function std(x: Tensor, dim?: number | readonly number[], options: VarOptions = {}): Tensor {
  checkOptions('std', options, VAR_OPTIONS);
  return tidy(() => {
    const v = varianceAs('std', x, dim, options);
    const out = noGrad(() => sqrt(v));
    // sqrt's own gradient g / (2 sqrt v) is inf at v == 0, and inf times var's zero gradient is NaN.
    return record('StdBackward', out, [v], [out], (g) => [where(eq(out, 0), 0, div(g, mul(out, 2)))]);
  });
}

/** log(sum(exp(x))) over `dim`, computed stably. */
export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  checkTensors('logsumexp', [x]);
  const dims = normalizeDims('logsumexp', dim, x.ndim);
  // Over an empty dim the sum is 0 and the result -inf, as in PyTorch; there is no max to shift by.
  const reducesNothing = dims.some((d) => x.shape[d] === 0);
  return tidy(() => {
    const shift = reducesNothing ? 0 : noGrad(() => {
      const m = amax(detach(x), dims, true);
      return where(isfinite(m), m, 0);
    });
    const out = add(log(sum(exp(sub(x, shift)), dims, true)), shift);
    return keepdim ? out : squeeze(out, dims);
  });
}

function logical(op: 'max' | 'min', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const name = op === 'max' ? 'any' : 'all';
  backendOf(name, x);
  const dims = normalizeDims(name, dim, x.ndim);
  if (dims.some((d) => x.shape[d] === 0)) {
    // Over no elements, all() is true and any() false: the identities of logical and / or.
    const shape = keepdim ? keptShape(x.shape, dims) : x.shape.filter((_, i) => !dims.includes(i));
    return wrap(x.backend, x.backend.fill(numel(shape), op === 'min' ? 1 : 0, 'bool'), shape, 'bool');
  }
  const input = x.dtype === 'bool' ? x : castTo(x, 'bool');
  const out = reduceRaw(op, name, input, dims, keepdim);
  if (input !== x) input.dispose();
  return out;
}

/** True where every element along `dim` (or of the whole tensor) is nonzero. */
export const all = (x: Tensor, dim?: number, keepdim = false): Tensor => logical('min', x, dim, keepdim);
/** True where some element along `dim` (or of the whole tensor) is nonzero. */
export const any = (x: Tensor, dim?: number, keepdim = false): Tensor => logical('max', x, dim, keepdim);

/** Inclusive running sum along `dim`. */
export function cumsum(x: Tensor, dim: number): Tensor {
  checkTensors('cumsum', [x]);
  const d = normalizeDim('cumsum', dim, x.ndim);
  const backend = backendOf('cumsum', x);
  const input = x.dtype === 'bool' ? castTo(x, 'int32') : x;
  const out = x.ndim === 0 ? noGrad(() => clone(input)) : wrap(backend, backend.cumsum(input.layout, d), x.shape, input.dtype);
  if (input !== x) input.dispose();
  // The adjoint of a running sum is the running sum from the other end, taken as such: the
  // shortcut total - cumsum + g cancels once the running sums outgrow the terms.
  return record('CumsumBackward', out, [x], [], (g) => [x.ndim === 0 ? g : reverseCumsum(g, d)]);
}

/** Running sum along `d` from the last element to the first. */
function reverseCumsum(g: Tensor, d: number): Tensor {
  const n = g.shape[d]!;
  const reversed = arange(n - 1, -1, -1, { dtype: 'int32', device: g.device });
  return indexSelect(cumsum(indexSelect(g, d, reversed), d), d, reversed);
}
