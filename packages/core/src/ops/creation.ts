/** Tensor factories: from data, constants, ranges and random draws. */
import type { AnyTypedArray, Backend, DType, Storage } from '../backend/types.ts';
import { backendFor, defaultBackend, deviceName } from '../backend/registry.ts';
import { Tensor } from '../tensor/tensor.ts';
import { assertConvertible, assertDType, allocHostArray, itemSize } from '../tensor/dtype.ts';
import { typeName } from '../tensor/type-name.ts';
import { assertShape, numel, type Shape } from '../tensor/shape.ts';
import { defaultGenerator, type Generator } from '../random/generator.ts';
import { permutation, randomIndices } from '../random/draws.ts';
import { wrap } from './kernel.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

/** Where and how a new tensor is made. */
export interface CreateOptions {
  dtype?: DType;
  /** A started backend's name or alias; the default backend when omitted. */
  device?: string;
  requiresGrad?: boolean;
}

export const CREATE_OPTIONS: OptionKeys<CreateOptions> = { dtype: true, device: true, requiresGrad: true };

export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

const RANDOM_OPTIONS: OptionKeys<RandomOptions> = { ...CREATE_OPTIONS, generator: true };

/** Nested arrays of numbers or booleans, as accepted by {@link tensor}. */
export type NestedData = number | boolean | readonly NestedData[];

function deviceBackend(options: CreateOptions): Backend {
  return options.device === undefined ? defaultBackend() : backendFor(options.device);
}

function finish(t: Tensor, options: CreateOptions): Tensor {
  if (!options.requiresGrad) return t;
  try {
    return t.requiresGrad_(true);
  } catch (err) {
    t.dispose();
    throw err;
  }
}

/**
 * A tensor of `shape` whose storage `make` creates on the chosen backend. A failure there is an
 * allocation the backend (or the host, for host-made data) cannot serve: it is reworded to name
 * `op` and the size asked for.
 */
function create(op: string, shape: Shape, dtype: DType, options: CreateOptions, make: (backend: Backend) => Storage): Tensor {
  const backend = deviceBackend(options);
  let t: Tensor;
  try {
    t = wrap(backend, make(backend), shape, dtype);
  } catch (err) {
    const size = numel(shape);
    throw new RangeError(
      `${op}(): cannot allocate ${size} elements of ${dtype} (${size * itemSize(dtype)} bytes): more than the ${deviceName(backend)} backend can allocate (${(err as Error).message})`,
      { cause: err },
    );
  }
  return finish(t, options);
}

/** {@link create} from host data that `host` makes (inside the allocation guard). */
function fromHost(op: string, shape: Shape, dtype: DType, options: CreateOptions, host: () => AnyTypedArray): Tensor {
  return create(op, shape, dtype, options, (backend) => backend.upload(host(), dtype));
}

/** `values` as a host array of `dtype`, each checked to fit it. */
function hostValues(values: ArrayLike<number | boolean>, dtype: DType): AnyTypedArray {
  const host = allocHostArray(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    assertConvertible('tensor', v, dtype);
    host[i] = dtype === 'bool' ? (Number(v) !== 0 ? 1 : 0) : Number(v);
  }
  return host;
}

function inferShape(data: NestedData, shape: number[] = [], depth = 0): number[] {
  if (!Array.isArray(data)) return shape;
  if (depth === shape.length) shape.push(data.length);
  else if (shape[depth] !== data.length) {
    throw new RangeError(`tensor(): expected sequence of length ${shape[depth]} at dim ${depth} (got ${data.length})`);
  }
  if (data.length > 0) for (const item of data) inferShape(item, shape, depth + 1);
  return shape;
}

function flattenInto(data: NestedData, out: (number | boolean)[], depth: number, rank: number): void {
  if (Array.isArray(data)) {
    if (depth >= rank) throw new RangeError('tensor(): ragged nested sequence');
    for (const item of data) flattenInto(item, out, depth + 1, rank);
  } else {
    if (depth !== rank) throw new RangeError('tensor(): ragged nested sequence');
    if (typeof data !== 'number' && typeof data !== 'boolean') throw new TypeError(`tensor(): could not convert ${typeof data} to a tensor element`);
    out.push(data);
  }
}

function typedArrayDType(data: ArrayBufferView): DType {
  return data instanceof Float32Array || data instanceof Float64Array ? 'float32' : 'int32';
}

/**
 * A tensor from nested arrays, a TypedArray (1-D) or a scalar. Integers infer int32, booleans
 * bool, anything else float32.
 * @example flint.tensor([[1, 2], [3, 4]], { dtype: 'float32', requiresGrad: true })
 */
export function tensor(data: NestedData | ArrayBufferView, options: CreateOptions = {}): Tensor {
  checkOptions('tensor', options, CREATE_OPTIONS);
  if (options.dtype !== undefined) assertDType(options.dtype, 'tensor');
  if (ArrayBuffer.isView(data)) {
    const dtype = options.dtype ?? typedArrayDType(data);
    const host = hostValues(data as unknown as ArrayLike<number>, dtype);
    return fromHost('tensor', [host.length], dtype, options, () => host);
  }
  const shape = inferShape(data);
  const flat: (number | boolean)[] = [];
  flattenInto(data, flat, 0, shape.length);
  const dtype = options.dtype ?? (flat.length > 0 && flat.every((v) => typeof v === 'boolean') ? 'bool' : flat.every((v) => Number.isInteger(v)) && flat.length > 0 ? 'int32' : 'float32');
  const host = hostValues(flat, dtype);
  return fromHost('tensor', shape, dtype, options, () => host);
}

function shapeArg(op: string, shape: number | readonly number[]): number[] {
  if (typeof shape !== 'number' && !Array.isArray(shape)) throw new TypeError(`${op}(): size must be a number or an array of numbers, not ${typeName(shape)}`);
  const s = typeof shape === 'number' ? [shape] : [...shape];
  assertShape(op, s);
  return s;
}

function filled(op: string, shape: number | readonly number[], value: number | boolean, options: CreateOptions): Tensor {
  checkOptions(op, options, CREATE_OPTIONS);
  const s = shapeArg(op, shape);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new TypeError(`${op}(): fill_value must be a number or a boolean, not ${typeName(value)}`);
  const dtype = options.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  assertDType(dtype, op);
  assertConvertible(op, value, dtype);
  return create(op, s, dtype, options, (backend) => backend.fill(numel(s), Number(value), dtype));
}

/** A tensor of `shape` filled with `value`. */
export const full = (shape: number | readonly number[], value: number | boolean, options: CreateOptions = {}): Tensor => filled('full', shape, value, options);
export const zeros = (shape: number | readonly number[], options: CreateOptions = {}): Tensor => filled('zeros', shape, 0, options);
export const ones = (shape: number | readonly number[], options: CreateOptions = {}): Tensor => filled('ones', shape, 1, options);

/** A tensor whose contents are unspecified (cheapest to create). */
export const empty = (shape: number | readonly number[], options: CreateOptions = {}): Tensor => emptyAs('empty', shape, options);

/** @internal {@link empty} whose errors name `op`: the layer or factory allocating through it. */
export function emptyAs(op: string, shape: number | readonly number[], options: CreateOptions = {}): Tensor {
  checkOptions(op, options, CREATE_OPTIONS);
  const s = shapeArg(op, shape);
  const dtype = options.dtype ?? 'float32';
  assertDType(dtype, op);
  return create(op, s, dtype, options, (backend) => backend.alloc(numel(s), dtype));
}

/** The options of a `*Like` factory: `t`'s dtype and device unless `options` name others. */
function likeOptions(op: string, t: Tensor, options: CreateOptions): CreateOptions {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}(): argument 'input' must be a Tensor, not ${typeName(t)}`);
  t.assertAlive(op);
  checkOptions(op, options, CREATE_OPTIONS);
  return { dtype: t.dtype, device: t.device, ...options };
}

export const zerosLike = (t: Tensor, options: CreateOptions = {}): Tensor => filled('zerosLike', t.shape, 0, likeOptions('zerosLike', t, options));
export const onesLike = (t: Tensor, options: CreateOptions = {}): Tensor => filled('onesLike', t.shape, 1, likeOptions('onesLike', t, options));
export const fullLike = (t: Tensor, value: number, options: CreateOptions = {}): Tensor => filled('fullLike', t.shape, value, likeOptions('fullLike', t, options));
export const emptyLike = (t: Tensor, options: CreateOptions = {}): Tensor => emptyAs('emptyLike', t.shape, likeOptions('emptyLike', t, options));

/**
 * Values from `start` (inclusive) to `end` (exclusive) by `step`; int32 when all are integers.
 * @example flint.arange(5) // [0, 1, 2, 3, 4]; flint.arange(0, 1, 0.25)
 */
export function arange(end: number, options?: CreateOptions): Tensor;
export function arange(start: number, end: number, step?: number, options?: CreateOptions): Tensor;
export function arange(a: number, b?: number | CreateOptions, c?: number, d?: CreateOptions): Tensor {
  const [start, end, step, options] = typeof b === 'number' ? [a, b, c ?? 1, d ?? {}] : [0, a, 1, b ?? {}];
  checkOptions('arange', options, CREATE_OPTIONS);
  // Written so that a NaN step fails too, as in PyTorch.
  if (!(step > 0 || step < 0)) throw new RangeError('arange(): step must be nonzero');
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError(`arange(): unsupported range: ${start} -> ${end}`);
  if ((end - start) / step < 0) throw new RangeError('arange(): upper bound and larger bound inconsistent with step sign');
  const size = Math.max(0, Math.ceil((end - start) / step));
  assertShape('arange', [size]);
  const dtype = options.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  assertDType(dtype, 'arange');
  if (size > 0) for (const v of [start, start + (size - 1) * step]) assertConvertible('arange', v, dtype);
  return create('arange', [size], dtype, options, (backend) => backend.arange(size, start, step, dtype));
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  checkOptions('linspace', options, CREATE_OPTIONS);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace(): number of steps must be non-negative, got ${steps}`);
  const values = new Float32Array(steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Like PyTorch, fill the second half from the end so both endpoints are exact.
  for (let i = 0; i < steps; i++) values[i] = i < steps / 2 ? start + i * step : end - (steps - 1 - i) * step;
  const dtype = options.dtype ?? 'float32';
  const host = dtype === 'float32' ? values : Int32Array.from(values, Math.trunc);
  return fromHost('linspace', [steps], dtype, options, () => host);
}

/** An n x m matrix with ones on the diagonal. */
export function eye(n: number, m: number = n, options: CreateOptions = {}): Tensor {
  checkOptions('eye', options, CREATE_OPTIONS);
  assertShape('eye', [n, m]);
  const dtype = options.dtype ?? 'float32';
  return fromHost('eye', [n, m], dtype, options, () => {
    const host = allocHostArray(dtype, n * m);
    for (let i = 0; i < Math.min(n, m); i++) host[i * m + i] = 1;
    return host;
  });
}

/** Uniform samples in [0, 1). */
export function rand(shape: number | readonly number[], options: RandomOptions = {}): Tensor {
  checkOptions('rand', options, RANDOM_OPTIONS);
  const s = shapeArg('rand', shape);
  return fromHost('rand', s, 'float32', options, () => (options.generator ?? defaultGenerator).uniform(numel(s)));
}

/** Standard normal samples. */
export function randn(shape: number | readonly number[], options: RandomOptions = {}): Tensor {
  checkOptions('randn', options, RANDOM_OPTIONS);
  const s = shapeArg('randn', shape);
  return fromHost('randn', s, 'float32', options, () => (options.generator ?? defaultGenerator).normal(numel(s)));
}

/** The least and greatest value randint may draw in each dtype. */
const RANDINT_BOUNDS: Readonly<Record<DType, readonly [number, number]>> = { int32: [-(2 ** 31), 2 ** 31 - 1], float32: [-(2 ** 24), 2 ** 24], bool: [0, 1] };

/** Integers uniform in [low, high). */
export function randint(low: number, high: number, shape: number | readonly number[], options: RandomOptions = {}): Tensor {
  checkOptions('randint', options, RANDOM_OPTIONS);
  const s = shapeArg('randint', shape);
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) throw new RangeError(`randint(): random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const dtype = options.dtype ?? 'int32';
  assertDType(dtype, 'randint');
  // PyTorch's bounds check per dtype, in its words (float32 holds consecutive integers only up to
  // 2^24 in magnitude, where PyTorch warns that the check will become an error).
  const [min, max] = RANDINT_BOUNDS[dtype];
  if (low < min) throw new RangeError(`randint(): from is out of bounds for ${dtype}${dtype === 'float32' ? ' [-(2^24), 2^24]' : ''}`);
  if (high - 1 > max) throw new RangeError(`randint(): to - 1 is out of bounds for ${dtype}${dtype === 'float32' ? ' [-(2^24), 2^24]' : ''}`);
  return fromHost('randint', s, dtype, options, () => {
    const draws = randomIndices(numel(s), high - low, options.generator ?? defaultGenerator);
    const host = allocHostArray(dtype, draws.length);
    for (let i = 0; i < draws.length; i++) host[i] = low + draws[i]!;
    return host;
  });
}

/** A random permutation of 0..n-1 (Fisher-Yates over the generator's stream). */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  checkOptions('randperm', options, RANDOM_OPTIONS);
  assertShape('randperm', [n]);
  return fromHost('randperm', [n], 'int32', options, () => permutation(n, options.generator ?? defaultGenerator));
}

/** Samples shaped like `t`, on its device unless `options` says otherwise. */
function randomLike(op: string, draw: typeof rand, t: Tensor, options: RandomOptions): Tensor {
  checkTensors(op, [t]);
  checkOptions(op, options, RANDOM_OPTIONS);
  return draw(t.shape, { device: t.device, ...options });
}

export const randLike = (t: Tensor, options: RandomOptions = {}): Tensor => randomLike('randLike', rand, t, options);
export const randnLike = (t: Tensor, options: RandomOptions = {}): Tensor => randomLike('randnLike', randn, t, options);
