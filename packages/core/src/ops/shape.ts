/**
 * Rearranging and constructing from existing tensors: triangles and diagonals, repeats, flips and
 * rolls, moved and split dims, grids, and the small products (outer, kron, cross, diff). All are
 * composed from views, where, gather and cat, so their gradients come from those.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { assertShape, formatShape, normalizeDim, normalizeDims, numel } from '../tensor/shape.ts';
import type { DType } from '../backend/types.ts';
import { arange, tensor } from './creation.ts';
import { mul, sub, where } from './elementwise.ts';
import { le, ge, ne } from './compare.ts';
import { broadcastShapes } from '../tensor/shape.ts';
import { cat } from './join.ts';
import { indexSelect } from './indexing.ts';
import { alias, clone, contiguous, diagonal, embedDiagonal, expand, flatten, narrow, permute, reshape, select, transpose, unsqueeze } from './view.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

const zeroOf = (dtype: DType): number | boolean => (dtype === 'bool' ? false : 0);

function assertMatrix(op: string, x: Tensor): void {
  x.assertAlive(op);
  if (x.ndim < 2) throw new RangeError(`${op}(): input tensor must have at least 2 dimensions, got ${x.ndim}`);
}

/** Whether column - row is within `diagonal` (`above` false) or at least it, over the last two dims of `x`. */
function triangleMask(x: Tensor, diagonal: number, above: boolean): Tensor {
  const [rows, cols] = x.shape.slice(-2) as [number, number];
  const offsets = sub(arange(cols, { device: x.device }), arange(rows, { device: x.device }).reshape([rows, 1]));
  return above ? ge(offsets, diagonal) : le(offsets, diagonal);
}

/** The lower triangle of the last two dims (on and below `diagonal`), zeros elsewhere. */
export function tril(x: Tensor, diagonal = 0): Tensor {
  checkTensors('tril', [x]);
  assertMatrix('tril', x);
  return tidy(() => where(triangleMask(x, diagonal, false), x, zeroOf(x.dtype)));
}

/** The upper triangle of the last two dims (on and above `diagonal`), zeros elsewhere. */
export function triu(x: Tensor, diagonal = 0): Tensor {
  checkTensors('triu', [x]);
  assertMatrix('triu', x);
  return tidy(() => where(triangleMask(x, diagonal, true), x, zeroOf(x.dtype)));
}

/** Matrices with the last dim of `x` on their `offset` diagonal in the planes `dim1` x `dim2` of the result. */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  checkTensors('diagEmbed', [x]);
  const rank = x.ndim + 1;
  const a = normalizeDim('diagEmbed', dim1, rank);
  const b = normalizeDim('diagEmbed', dim2, rank);
  if (a === b) throw new RangeError(`diagEmbed(): diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const n = (x.shape[x.ndim - 1] ?? 1) + Math.abs(offset);
  const rest = x.shape.slice(0, -1);
  const shape: number[] = [];
  for (let i = 0, r = 0; i < rank; i++) shape.push(i === a || i === b ? n : rest[r++]!);
  return embedDiagonal('diagEmbed', x.ndim === 0 ? reshape(x, [1]) : x, shape, offset, a, b);
}

/** A 1-D `x` as the `diagonal` of a square matrix; of a matrix, a copy of that diagonal. */
export function diag(x: Tensor, diagonalOffset = 0): Tensor {
  checkTensors('diag', [x]);
  if (x.ndim === 1) return diagEmbed(x, diagonalOffset);
  if (x.ndim === 2) return tidy(() => contiguous(diagonal(x, diagonalOffset)));
  throw new RangeError(`diag(): Supports 1D or 2D tensors. Got ${x.ndim}D`);
}

/** Sum of the main diagonal of a matrix. */
export function trace(x: Tensor): Tensor {
  checkTensors('trace', [x]);
  if (x.ndim !== 2) throw new RangeError(`trace(): expected a matrix, but got tensor with dim ${x.ndim}`);
  return tidy(() => diagonal(x).sum());
}

/** `x` repeated `sizes[i]` times along each dim (leading sizes add dims), like PyTorch's `Tensor.repeat`. */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  x.assertAlive('repeat');
  if (sizes.length < x.ndim) {
    throw new RangeError(`repeat(): Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor (${sizes.length} < ${x.ndim})`);
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw sizes.every(Number.isInteger) ? new RangeError(`repeat(): Trying to create tensor with negative dimension in repeats ${formatShape(sizes)}`) : new TypeError(`repeat(): argument 'repeats' must be a list of integers, but found element ${sizes.find((s) => !Number.isInteger(s))} at pos ${sizes.findIndex((s) => !Number.isInteger(s))}`);
  const shape = [...new Array<number>(sizes.length - x.ndim).fill(1), ...x.shape];
  return tidy(() => {
    const spaced = reshape(x, shape.flatMap((s) => [1, s]));
    const tiled = expand(spaced, shape.flatMap((s, i) => [sizes[i]!, s]));
    return reshape(tiled, shape.map((s, i) => s * sizes[i]!));
  });
}

/** Like {@link repeat}, with missing leading `dims` taken as 1 (numpy's tile). */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  checkTensors('tile', [x]);
  return repeat(x, [...new Array<number>(Math.max(0, x.ndim - dims.length)).fill(1), ...dims]);
}

/** Each element repeated `repeats` times (or `repeats[i]` times) along `dim`; of the flattened tensor when no dim. */
export function repeatInterleave(x: Tensor, repeats: number | readonly number[], dim?: number): Tensor {
  checkTensors('repeatInterleave', [x]);
  const input = dim === undefined ? flatten(x) : x;
  const d = dim === undefined ? 0 : normalizeDim('repeatInterleave', dim, x.ndim);
  const size = input.shape[d] ?? 1;
  const counts = typeof repeats === 'number' ? new Array<number>(size).fill(repeats) : [...repeats];
  if (counts.length !== size) {
    if (input !== x) input.dispose();
    throw new RangeError(`repeatInterleave(): repeats must have the same size as input along dim, but got repeats.size(0) = ${counts.length} and input.size(${d}) = ${size}`);
  }
  if (counts.some((c) => !Number.isInteger(c) || c < 0)) {
    if (input !== x) input.dispose();
    throw new RangeError('repeatInterleave(): repeats can not be negative');
  }
  const index = Int32Array.from(counts.flatMap((c, i) => new Array<number>(c).fill(i)));
  return tidy(() => indexSelect(input, d, tensor(index, { dtype: 'int32', device: x.device })));
}

/** `x` with the order of elements reversed along each of `dims` (a copy, as in PyTorch). */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  checkTensors('flip', [x]);
  const ds = normalizeDims('flip', dims, x.ndim);
  if (ds.length === 0) return clone(x);
  return tidy(() => ds.reduce((t, d) => indexSelect(t, d, arange(t.shape[d]! - 1, -1, -1, { device: x.device })), x));
}

/** Reverses the columns (dim 1). */
export function fliplr(x: Tensor): Tensor {
  checkTensors('fliplr', [x]);
  if (x.ndim < 2) throw new RangeError('fliplr(): Input must be >= 2-d.');
  return flip(x, [1]);
}

/** Reverses the rows (dim 0). */
export function flipud(x: Tensor): Tensor {
  checkTensors('flipud', [x]);
  if (x.ndim < 1) throw new RangeError('flipud(): Input must be >= 1-d.');
  return flip(x, [0]);
}

/** Elements shifted by `shifts` along `dims`, wrapping around; of the flattened tensor when no dims. */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  checkTensors('roll', [x]);
  const ss = typeof shifts === 'number' ? [shifts] : [...shifts];
  if (dims === undefined) {
    if (ss.length !== 1) throw new RangeError(`roll(): shifts and dimensions must align. shifts: ${ss.length}, dims: 0`);
    return tidy(() => reshape(roll(flatten(x), ss[0]!, 0), x.shape));
  }
  const ds = typeof dims === 'number' ? [dims] : [...dims];
  if (ss.length !== ds.length) throw new RangeError(`roll(): shifts and dimensions must align. shifts: ${ss.length}, dims: ${ds.length}`);
  const normalized = ds.map((d) => normalizeDim('roll', d, x.ndim));
  return tidy(() =>
    normalized.reduce((t, d, i) => {
      const n = t.shape[d]!;
      const s = n === 0 ? 0 : ((ss[i]! % n) + n) % n;
      return s === 0 ? t : cat([narrow(t, d, n - s, s), narrow(t, d, 0, n - s)], d);
    }, clone(x)),
  );
}

/** Rotates by 90 degrees `k` times in the plane of `dims`, from the first towards the second. */
export function rot90(x: Tensor, k = 1, dims: readonly [number, number] = [0, 1]): Tensor {
  checkTensors('rot90', [x]);
  if (dims.length !== 2) throw new RangeError(`rot90(): expected total rotation dims == 2, but got dims = ${dims.length}`);
  if (x.ndim < 2) throw new RangeError(`rot90(): expected total dims >= 2, but got total dims = ${x.ndim}`);
  const [a, b] = dims.map((d) => normalizeDim('rot90', d, x.ndim)) as [number, number];
  if (a === b) throw new RangeError(`rot90(): expected rotation dims to be different, but got dim0 = ${a} and dim1 = ${b}`);
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return clone(x);
  if (turns === 2) return flip(x, [a, b]);
  return tidy(() => transpose(flip(x, [turns === 1 ? b : a]), a, b));
}

/** Moves the dims `source` to the positions `destination`, the others keeping their order. */
export function movedim(x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  checkTensors('movedim', [x]);
  const src = (typeof source === 'number' ? [source] : [...source]).map((d) => normalizeDim('movedim', d, x.ndim));
  const dst = (typeof destination === 'number' ? [destination] : [...destination]).map((d) => normalizeDim('movedim', d, x.ndim));
  if (src.length !== dst.length) {
    throw new RangeError(`movedim(): Invalid source or destination dims: source (${formatShape(src)} dims) should contain the same number of dims as destination (${formatShape(dst)} dims)`);
  }
  if (new Set(src).size !== src.length) throw new RangeError(`movedim(): repeated dim in \`source\` (${formatShape(src)})`);
  if (new Set(dst).size !== dst.length) throw new RangeError(`movedim(): repeated dim in \`destination\` (${formatShape(dst)})`);
  const order = new Array<number>(x.ndim).fill(-1);
  src.forEach((s, i) => (order[dst[i]!] = s));
  const rest = x.shape.map((_, i) => i).filter((i) => !src.includes(i));
  for (let i = 0, r = 0; i < order.length; i++) if (order[i] === -1) order[i] = rest[r++]!;
  return permute(x, order);
}

/** Splits `dim` into `sizes` (one may be -1). */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  checkTensors('unflatten', [x]);
  const d = normalizeDim('unflatten', dim, x.ndim);
  const size = x.shape[d]!;
  const known = sizes.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
  const resolved = sizes.map((s) => (s === -1 && known > 0 ? size / known : s));
  if (sizes.filter((s) => s === -1).length > 1 || numel(resolved) !== size || !resolved.every(Number.isInteger)) {
    throw new RangeError(`unflatten(): Provided sizes ${formatShape(sizes)} don't multiply up to the size of dim ${dim} (${size}) in the input tensor`);
  }
  // Negative sizes can multiply up too ([-2, -2] for 4).
  assertShape('unflatten', resolved);
  return reshape(x, [...x.shape.slice(0, d), ...resolved, ...x.shape.slice(d + 1)]);
}

/** The slices along `dim`, each without that dim. */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  checkTensors('unbind', [x]);
  const d = normalizeDim('unbind', dim, x.ndim);
  return Array.from({ length: x.shape[d]! }, (_, i) => select(x, d, i));
}

export interface MeshgridOptions {
  /** 'ij' (default): grid i varies along dim i; 'xy': the first two dims swapped. */
  indexing?: 'ij' | 'xy';
}

const MESHGRID_OPTIONS: OptionKeys<MeshgridOptions> = { indexing: true };

/**
 * Coordinate grids from 1-D tensors: with `indexing: 'ij'` (the default) grid i varies along dim i;
 * with `'xy'` the first two dims are swapped, as numpy's meshgrid.
 */
export function meshgrid(tensors: readonly Tensor[], options: MeshgridOptions = {}): Tensor[] {
  checkOptions('meshgrid', options, MESHGRID_OPTIONS);
  const indexing = options.indexing ?? 'ij';
  if (indexing !== 'ij' && indexing !== 'xy') throw new RangeError(`meshgrid(): indexing must be one of "xy" or "ij", but received: ${String(indexing)}`);
  if (tensors.length === 0) throw new RangeError('meshgrid(): expects a non-empty TensorList');
  tensors.forEach((t, i) => {
    t.assertAlive('meshgrid');
    if (t.ndim > 1) throw new RangeError(`meshgrid(): Expected 0D or 1D tensor in the tensor list but got tensor ${i} with ${t.ndim} dims`);
  });
  const swap = indexing === 'xy' && tensors.length >= 2;
  const order = tensors.map((_, i) => (swap && i < 2 ? 1 - i : i));
  const sizes = order.map((i) => tensors[i]!.size);
  return tensors.map((t, i) => {
    const axis = order.indexOf(i);
    const shape = sizes.map((s, j) => (j === axis ? s : 1));
    return tidy(() => expand(reshape(t, shape), sizes));
  });
}

/** The outer product of two 1-D tensors. */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkTensors('outer', [a, b]);
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`outer(): expected 1D tensors, but got ${a.ndim}D and ${b.ndim}D tensors`);
  return tidy(() => mul(unsqueeze(a, 1), unsqueeze(b, 0)));
}

/** The Kronecker product: every element of `a` scaling a copy of `b`. */
export function kron(a: Tensor, b: Tensor): Tensor {
  checkTensors('kron', [a, b]);
  const rank = Math.max(a.ndim, b.ndim);
  const pad = (t: Tensor): number[] => [...new Array<number>(rank - t.ndim).fill(1), ...t.shape];
  const [sa, sb] = [pad(a), pad(b)];
  return tidy(() => {
    const spreadA = reshape(a, sa.flatMap((s) => [s, 1]));
    const spreadB = reshape(b, sb.flatMap((s) => [1, s]));
    return reshape(mul(spreadA, spreadB), sa.map((s, i) => s * sb[i]!));
  });
}

/** The cross product of 3-vectors along `dim` (by default the first dim of size 3), after broadcasting. */
export function cross(a: Tensor, b: Tensor, dim?: number): Tensor {
  checkTensors('cross', [a, b]);
  const shape = broadcastShapes('cross', a.shape, b.shape);
  const d = dim === undefined ? shape.indexOf(3) : normalizeDim('cross', dim, shape.length);
  if (d < 0 || shape[d] !== 3) {
    throw new RangeError(dim === undefined ? `cross(): no dimension of size 3 in input` : `cross(): inputs dimension ${dim} must have length 3, got ${shape[d]}`);
  }
  return tidy(() => {
    const [x, y] = [expand(a, shape), expand(b, shape)];
    const part = (t: Tensor, i: number): Tensor => narrow(t, d, i, 1);
    const component = (i: number, j: number): Tensor => sub(mul(part(x, i), part(y, j)), mul(part(x, j), part(y, i)));
    return cat([component(1, 2), component(2, 0), component(0, 1)], d);
  });
}

export interface DiffOptions {
  /** How many times to difference (default 1). */
  n?: number;
  /** The dim to difference along (default -1). */
  dim?: number;
  /** Joined before `x` along `dim` first. */
  prepend?: Tensor;
  /** Joined after `x` along `dim` first. */
  append?: Tensor;
}

const DIFF_OPTIONS: OptionKeys<DiffOptions> = { n: true, dim: true, prepend: true, append: true };

/** The `n`-th forward difference along `dim`, after joining `prepend` and `append`; bool differences are xor. */
export function diff(x: Tensor, options: DiffOptions = {}): Tensor {
  checkTensors('diff', [x]);
  checkOptions('diff', options, DIFF_OPTIONS);
  if (x.ndim === 0) throw new RangeError('diff(): expects input to be at least one-dimensional');
  const n = options.n ?? 1;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`diff(): order must be non-negative but got ${n}`);
  const d = normalizeDim('diff', options.dim ?? -1, x.ndim);
  return tidy(() => {
    let t = options.prepend || options.append ? cat([options.prepend, x, options.append].filter((v): v is Tensor => v !== undefined), d) : alias(x);
    for (let i = 0; i < n && t.shape[d]! > 0; i++) {
      const later = narrow(t, d, 1, t.shape[d]! - 1);
      const earlier = narrow(t, d, 0, t.shape[d]! - 1);
      t = t.dtype === 'bool' ? ne(later, earlier) : sub(later, earlier);
    }
    return t;
  });
}
