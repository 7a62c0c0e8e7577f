/** gather / scatterAdd and what is built on them: indexSelect, embedding, oneHot. */
import type { Tensor } from '../tensor/tensor.ts';
import { broadcastShapes, formatShape, normalizeDim } from '../tensor/shape.ts';
import { backendOf, record, wrap } from './kernel.ts';
import { expand, reshape, unsqueeze } from './view.ts';
import { zeros, arange, full } from './creation.ts';
import { eq, gt, lt } from './compare.ts';
import { add, div, maximum, round, where } from './elementwise.ts';
import { castTo } from './cast.ts';
import { amax } from './reduce.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';

function assertIndex(op: string, index: Tensor): void {
  if (index.dtype !== 'int32') throw new TypeError(`${op}(): Expected dtype int32 for index, got ${index.dtype}`);
}

/**
 * Checks every index lies in [0, size), reading the indices on the host (one read, no kernels);
 * only where the backend reads synchronously.
 */
function assertInRange(op: string, index: Tensor, size: number, dim?: number, fromEnd = false): void {
  if (!index.backend.readSync || index.size === 0) return;
  for (const i of index.dataSync()) {
    if (i < (fromEnd ? -size : 0) || i >= size) throw new RangeError(`${op}(): index ${i} is out of bounds for dimension${dim === undefined ? '' : ` ${dim}`} with size ${size}`);
  }
}

function checkGatherShapes(op: string, x: readonly number[], d: number, index: Tensor): void {
  if (index.ndim !== x.length) throw new RangeError(`${op}(): Index tensor must have the same number of dimensions as input tensor (${index.ndim} vs ${x.length})`);
  index.shape.forEach((s, i) => {
    if (i !== d && s > x[i]!) throw new RangeError(`${op}(): Size does not match at dimension ${i} expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(x)} apart from dimension ${d}`);
  });
}

/** out[i][j] = x[index[i][j]][j] for dim 0, and so on; the gradient scatters back. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  backendOf('gather', x, index);
  assertIndex('gather', index);
  const d = normalizeDim('gather', dim, x.ndim);
  checkGatherShapes('gather', x.shape, d, index);
  assertInRange('gather', index, x.shape[d] ?? 1, d);
  return gatherValid(x, d, index);
}

/** {@link gather} along a normalised `d` with an index already known to be valid. */
export function gatherValid(x: Tensor, d: number, index: Tensor): Tensor {
  const backend = x.backend;
  const out = wrap(backend, backend.gather(x.layout, d, index.layout), index.shape, x.dtype);
  return record('GatherBackward', out, [x, index], [index], (g) => [scatterAddValid(zeros(x.shape, { dtype: g.dtype, device: g.device }), d, index, g), null]);
}

/** A copy of `x` with `src` added at the positions `index` names along `dim`. */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  backendOf('scatterAdd', x, index, src);
  assertIndex('scatterAdd', index);
  const d = normalizeDim('scatterAdd', dim, x.ndim);
  if (src.dtype !== x.dtype) throw new TypeError(`scatterAdd(): Expected self.dtype to be equal to src.dtype (${x.dtype} vs ${src.dtype})`);
  checkGatherShapes('scatterAdd', x.shape, d, index);
  if (src.shape.length !== index.shape.length || src.shape.some((s, i) => s !== index.shape[i])) {
    throw new RangeError(`scatterAdd(): src ${formatShape(src.shape)} must have the shape of index ${formatShape(index.shape)}`);
  }
  assertInRange('scatterAdd', index, x.shape[d] ?? 1, d);
  return scatterAddValid(x, d, index, src);
}

/** {@link scatterAdd} along a normalised `d` with an index and src already known to be valid. */
export function scatterAddValid(x: Tensor, d: number, index: Tensor, src: Tensor): Tensor {
  const backend = x.backend;
  const out = wrap(backend, backend.scatterAdd(x.layout, d, index.layout, src.layout), x.shape, x.dtype);
  return record('ScatterAddBackward', out, [x, index, src], [index], (g) => [g, null, gatherValid(g, d, index)]);
}

/**
 * A copy of `x` with `src` written at the positions `index` names along `d`. Where several entries
 * name one position it stores their mean (rounded for int32), the same on every backend; a single
 * write is exact in every dtype, int32 values beyond 2^24 included.
 */
export function writeAt(x: Tensor, d: number, index: Tensor, src: Tensor): Tensor {
  return tidy(() => {
    const counts = { device: x.device, dtype: 'int32' } as const;
    const sums = scatterAdd(zeros(x.shape, { device: x.device, dtype: x.dtype }), d, index, src);
    const hits = scatterAdd(zeros(x.shape, counts), d, index, full(index.shape, 1, counts));
    const mean = div(sums, maximum(hits, 1));
    const repeated = x.dtype === 'float32' ? mean : castTo(round(mean), x.dtype);
    return where(gt(hits, 1), repeated, where(eq(hits, 1), sums, x));
  });
}

/** The entries of `x` at `index` (1-D int32) along `dim`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  backendOf('indexSelect', x, index);
  assertIndex('indexSelect', index);
  if (index.ndim > 1) throw new RangeError('indexSelect(): Index is supposed to be a vector');
  const d = normalizeDim('indexSelect', dim, x.ndim);
  assertInRange('indexSelect', index, x.shape[d] ?? 1, d);
  const shape = x.shape.map((s, i) => (i === d ? index.size : s));
  const lead = x.shape.map((_, i) => (i === d ? index.size : 1));
  // The index, viewed with zero strides across the other dims, is a gather index.
  return tidy(() => gather(x, d, expand(reshape(index, lead), shape)));
}

/** Rows of `weight` [num, dim] picked by `indices` of any shape: [...indices.shape, dim]. */
export function embedding(indices: Tensor, weight: Tensor): Tensor {
  checkTensors('embedding', [indices, weight]);
  if (weight.ndim !== 2) throw new RangeError(`embedding(): weight must be 2-D, got ${formatShape(weight.shape)}`);
  return tidy(() => reshape(indexSelect(weight, 0, reshape(indices, [-1])), [...indices.shape, weight.shape[1]!]));
}

/** int32 one-hot encoding with a new last dim of `numClasses` (inferred as max + 1 when -1). */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  backendOf('oneHot', indices);
  assertIndex('oneHot', indices);
  if (numClasses === -1 && !indices.backend.readSync) {
    throw new Error(`oneHot(): inferring numClasses reads the indices synchronously, which the ${indices.device} backend cannot do; pass numClasses`);
  }
  const classes = numClasses === -1 ? tidy(() => amax(indices).itemSync()) + 1 : numClasses;
  assertInRange('oneHot', indices, classes);
  return tidy(() => castTo(eq(unsqueeze(indices, -1), arange(classes, { dtype: 'int32', device: indices.device })), 'int32'));
}

/** Indices counted from the end when negative, as Python's. */
const wrapNegative = (index: Tensor, size: number): Tensor => where(lt(index, 0), add(index, size), index);

/**
 * The elements of `x`, read as if flattened, at `index` (any shape; negative counts from the end).
 * @example flint.take(flint.tensor([[4, 3], [5, 6]]), flint.tensor([0, -1])) // [4, 6]
 */
export function take(x: Tensor, index: Tensor): Tensor {
  backendOf('take', x, index);
  assertIndex('take', index);
  assertInRange('take', index, x.size, 0, true);
  return tidy(() => {
    const flat = reshape(wrapNegative(index, x.size), [-1]);
    return reshape(gatherValid(reshape(x, [-1]), 0, flat), index.shape);
  });
}

/**
 * `gather` along `dim` with `x` and `indices` broadcast against each other in every other dim;
 * without a dim, {@link take} of the flattened tensor with the flattened indices.
 */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number): Tensor {
  backendOf('takeAlongDim', x, indices);
  assertIndex('takeAlongDim', indices);
  if (dim === undefined) return tidy(() => take(reshape(x, [-1]), reshape(indices, [-1])));
  if (indices.ndim !== x.ndim) {
    throw new RangeError(`takeAlongDim(): input and indices should have the same number of dimensions, but got ${x.ndim} dimensions for input, and ${indices.ndim} dimensions for indices`);
  }
  const d = normalizeDim('takeAlongDim', dim, x.ndim);
  const others = (shape: readonly number[]): number[] => shape.map((s, i) => (i === d ? 1 : s));
  const common = broadcastShapes('takeAlongDim', others(x.shape), others(indices.shape));
  return tidy(() => {
    const xs = expand(x, common.map((s, i) => (i === d ? x.shape[d]! : s)));
    const is = expand(indices, common.map((s, i) => (i === d ? indices.shape[d]! : s)));
    return gather(xs, d, is);
  });
}
