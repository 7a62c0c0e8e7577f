/**
 * PyTorch's full indexing model on top of the basic (view) indexing of view.ts: int32 tensors and
 * bool masks as indices, with numpy's rule for where the indexed dims go, and index assignment.
 * Reads go through indexSelect and writes through scatterAdd, so gradients follow. Where several
 * indices name one element, a write stores their mean (PyTorch leaves that result undefined;
 * flint's is the same on every backend).
 */
import { Tensor } from '../tensor/tensor.ts';
import { broadcastShapes, formatShape, numel } from '../tensor/shape.ts';
import { arange, full, tensor, zeros } from './creation.ts';
import { add, mul, where } from './elementwise.ts';
import { lt } from './compare.ts';
import { cast, castTo } from './cast.ts';
import { indexSelect, scatterAdd, writeAt } from './indexing.ts';
import { stack } from './join.ts';
import { expand, index as basicIndex, permute, reshape, type IndexSpec } from './view.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

/** One entry of an index: a basic entry, or an int32 tensor of indices, or a bool mask. */
export type AdvancedIndexSpec = IndexSpec | Tensor;

/** The coordinates of the true (nonzero) elements of `values` shaped `shape`, one list per dim. */
function coordinates(shape: readonly number[], values: ArrayLike<number>): Int32Array[] {
  const coords: number[][] = shape.map(() => []);
  const strides = shape.map((_, d) => numel(shape.slice(d + 1)));
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) continue;
    shape.forEach((size, d) => coords[d]!.push(Math.floor(i / strides[d]!) % size));
  }
  return coords.map((c) => Int32Array.from(c));
}

function syncValues(op: string, x: Tensor): ArrayLike<number> {
  if (!x.backend.readSync) {
    throw new Error(`${op}(): its result's size depends on the values, which the ${x.device} backend cannot read synchronously; use \`await flint.nonzeroAsync(mask, { asTuple: true })\` and index with the result`);
  }
  return x.dataSync();
}

function nonzeroResult(x: Tensor, values: ArrayLike<number>, asTuple: boolean): Tensor | Tensor[] {
  const columns = coordinates(x.shape, values).map((c) => tensor(c, { dtype: 'int32', device: x.device }));
  if (asTuple) return columns;
  const count = values.length === 0 ? 0 : Array.from(values).filter((v) => v !== 0).length;
  if (columns.length === 0) return zeros([count, 0], { dtype: 'int32', device: x.device });
  const out = stack(columns, 1);
  for (const c of columns) c.dispose();
  return out;
}

export interface IndexPutOptions {
  /** Add the values to what is there instead of writing them (default false). */
  accumulate?: boolean;
}

export const INDEX_PUT_OPTIONS: OptionKeys<IndexPutOptions> = { accumulate: true };

export interface NonzeroOptions {
  /** One 1-D index tensor per dim instead of one [count, ndim] tensor (default false). */
  asTuple?: boolean;
}

const NONZERO_OPTIONS: OptionKeys<NonzeroOptions> = { asTuple: true };

/**
 * The indices of the nonzero elements: an int32 [count, ndim] tensor, or with `asTuple` one 1-D
 * tensor per dim. Its size depends on the values, so it reads them: synchronous backends only;
 * {@link nonzeroAsync} works on every backend.
 */
export function nonzero(x: Tensor, options: NonzeroOptions = {}): Tensor | Tensor[] {
  checkTensors('nonzero', [x]);
  checkOptions('nonzero', options, NONZERO_OPTIONS);
  return nonzeroResult(x, syncValues('nonzero', x), options.asTuple ?? false);
}

/** {@link nonzero}, reading the values asynchronously (every backend). */
export async function nonzeroAsync(x: Tensor, options: NonzeroOptions = {}): Promise<Tensor | Tensor[]> {
  checkTensors('nonzeroAsync', [x]);
  checkOptions('nonzeroAsync', options, NONZERO_OPTIONS);
  x.assertAlive('nonzeroAsync');
  return nonzeroResult(x, await x.data(), options.asTuple ?? false);
}

/** {@link nonzero} as [count, ndim] (PyTorch's argwhere). */
export const argwhere = (x: Tensor): Tensor => (checkTensors('argwhere', [x]), nonzero(x) as Tensor);

/** The spec with bool masks replaced by their coordinates and numbers by 0-d index tensors. */
interface Plan {
  /** The basic part: ':' where an index tensor stands. */
  readonly basic: IndexSpec[];
  /** Each index tensor and the dim of the basic result it indexes. */
  readonly advanced: ReadonlyArray<{ readonly index: Tensor; readonly dim: number }>;
  /** Whether the index tensors stood side by side: their dims then stay in place, else go first. */
  readonly adjacent: boolean;
}

function plan(op: string, x: Tensor, spec: readonly AdvancedIndexSpec[], temps: Tensor[]): Plan {
  const entries: AdvancedIndexSpec[] = [];
  for (const s of spec) {
    if (s instanceof Tensor && s.dtype === 'bool') {
      const masks = coordinates(s.shape, syncValues(op, s)).map((c) => tensor(c, { dtype: 'int32', device: x.device }));
      temps.push(...masks);
      entries.push(...masks);
    } else if (s instanceof Tensor && s.dtype !== 'int32') {
      throw new TypeError(`${op}(): tensors used as indices must be int32 or bool tensors, got ${s.dtype}`);
    } else entries.push(s);
  }
  // Numbers select first, as PyTorch's basic indexing does (unlike numpy, they do not count
  // among the index tensors when placing the indexed dims).
  const full = entries;
  const consumed = full.filter((s) => s !== null && s !== '...').length;
  if (consumed > x.ndim) throw new RangeError(`${op}(): too many indices for tensor of dimension ${x.ndim}`);
  const expanded: AdvancedIndexSpec[] = [];
  for (const s of full) {
    if (s === '...') for (let i = 0; i < x.ndim - consumed; i++) expanded.push(':');
    else expanded.push(s);
  }
  const basic: IndexSpec[] = [];
  const advanced: Array<{ index: Tensor; dim: number }> = [];
  let dim = 0;
  let inputDim = 0;
  for (const s of expanded) {
    if (s instanceof Tensor) {
      checkRange(op, s, x.shape[inputDim]!, inputDim);
      advanced.push({ index: s, dim });
      basic.push(':');
    } else basic.push(s);
    if (s !== null) inputDim++;
    if (typeof s !== 'number') dim++;
  }
  const adjacent = advanced.every((a, i) => i === 0 || a.dim === advanced[i - 1]!.dim + 1);
  return { basic, advanced, adjacent };
}

/** Indices lie in [-size, size), where the backend can read them synchronously. */
function checkRange(op: string, index: Tensor, size: number, dim: number): void {
  if (!index.backend.readSync) return;
  for (const i of index.dataSync()) {
    if (i < -size || i >= size) throw new RangeError(`${op}(): index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  }
}

/**
 * For `x[spec]`: the basic-indexed view, the flat positions its advanced dims select (broadcast
 * index tensors combined row-major, negatives wrapped), and how to lay out the result.
 */
function locate(op: string, x: Tensor, spec: readonly AdvancedIndexSpec[], temps: Tensor[]) {
  const p = plan(op, x, spec, temps);
  const view = basicIndex(x, p.basic);
  const advDims = p.advanced.map((a) => a.dim);
  const restDims = view.shape.map((_, d) => d).filter((d) => !advDims.includes(d));
  const broadcast = p.advanced.reduce<readonly number[]>((s, a) => broadcastShapes(op, s, a.index.shape), []);
  let flat: Tensor = zeros(broadcast, { dtype: 'int32', device: x.device });
  let stride = 1;
  for (let k = p.advanced.length - 1; k >= 0; k--) {
    const { index, dim } = p.advanced[k]!;
    const size = view.shape[dim]!;
    const wrapped = where(lt(index, 0), add(index, size), index);
    flat = add(flat, mul(wrapped, stride));
    stride *= size;
  }
  const firstAdv = Math.min(...advDims);
  return { view, advDims, restDims, broadcast, flat, place: p.adjacent ? restDims.filter((d) => d < firstAdv).length : 0 };
}

/**
 * `x[spec]` with PyTorch's rules: numbers, slices, `null` and `'...'` as in basic indexing, int32
 * tensors gathering along their dim (broadcast together), bool masks selecting their true elements.
 * The indexed dims replace the first one's place when the index tensors are adjacent, else go first.
 * @example x.index(flint.tensor([0, 2]), ':') // x[[0, 2], :]; x.index(x.gt(0)) // x[x > 0]
 */
export function indexAdvanced(x: Tensor, spec: readonly AdvancedIndexSpec[]): Tensor {
  checkTensors('index', [x]);
  if (!spec.some((s) => s instanceof Tensor)) return basicIndex(x, spec as IndexSpec[]);
  const temps: Tensor[] = [];
  try {
    return tidy(() => {
      const { view, advDims, restDims, broadcast, flat, place } = locate('index', x, spec, temps);
      const moved = permute(view, [...advDims, ...restDims]);
      const rows = reshape(moved, [-1, ...restDims.map((d) => view.shape[d]!)]);
      const picked = reshape(indexSelect(rows, 0, reshape(flat, [-1])), [...broadcast, ...restDims.map((d) => view.shape[d]!)]);
      const b = broadcast.length;
      const order = [...Array.from({ length: place }, (_, i) => b + i), ...Array.from({ length: b }, (_, i) => i), ...Array.from({ length: restDims.length - place }, (_, i) => b + place + i)];
      return permute(picked, order);
    });
  } finally {
    for (const t of temps) t.dispose();
  }
}

/**
 * `x` with `values` written at `x[spec]` (out of place): each selected element takes its value, or
 * the mean of its values when selected more than once; with `accumulate`, they add to it.
 */
export function indexPutOutOfPlace(x: Tensor, spec: readonly AdvancedIndexSpec[], values: Tensor | number, accumulate: boolean): Tensor {
  x.assertAlive('indexPut_');
  if (x.dtype === 'bool') {
    return tidy(() => castTo(indexPutOutOfPlace(castTo(x, 'float32'), spec, typeof values === 'number' ? values : castTo(values, 'float32'), accumulate), 'bool'));
  }
  // The positions x[spec] reads, as flat positions of x: index an arange shaped like x.
  const ids = tidy(() => arange(x.size, { device: x.device }).reshape(x.shape));
  const picked = indexAdvanced(ids, spec);
  ids.dispose();
  try {
    return tidy(() => {
      const shape = picked.shape;
      if (typeof values !== 'number' && !broadcastsTo(values.shape, shape)) {
        throw new RangeError(`indexPut_(): shape mismatch: value tensor of shape ${formatShape(values.shape)} cannot be broadcast to indexing result of shape ${formatShape(shape)}`);
      }
      const at = reshape(picked, [-1]);
      const device = { device: x.device, dtype: x.dtype };
      const spread = reshape(typeof values === 'number' ? full(shape, values, device) : expand(cast(values, x.dtype), shape), [-1]);
      const flatX = reshape(x, [-1]);
      if (accumulate) return reshape(add(flatX, scatterAdd(zeros([x.size], device), 0, at, spread)), x.shape);
      return reshape(writeAt(flatX, 0, at, spread), x.shape);
    });
  } finally {
    picked.dispose();
  }
}

function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  return from.every((s, i) => s === 1 || s === to[to.length - from.length + i]);
}
