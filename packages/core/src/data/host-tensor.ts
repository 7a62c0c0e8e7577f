/**
 * Tensor contents as plain host data. Worker threads have no backend of their own, so they collate
 * into host tensors and send those; the main thread turns them into tensors on its default device.
 */
import type { AnyTypedArray, DType } from '../backend/types.ts';
import { allocHostArray, promoteTypes } from '../tensor/dtype.ts';
import { formatShape, numel } from '../tensor/shape.ts';

export interface HostTensor {
  /** A string brand, because structured cloning drops classes and symbols. */
  readonly kind: 'flint.HostTensor';
  readonly data: AnyTypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** What a worker needs of a tensor; duck-typed because a dataset module may load its own copy of flint. */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype: DType;
  dataSync(): AnyTypedArray;
}

export function hostTensor(data: AnyTypedArray, shape: readonly number[], dtype: DType): HostTensor {
  return { kind: 'flint.HostTensor', data, shape, dtype };
}

export function isHostTensor(value: unknown): value is HostTensor {
  return typeof value === 'object' && value !== null && (value as HostTensor).kind === 'flint.HostTensor';
}

export function isTensorLike(value: unknown): value is TensorLike {
  const t = value as TensorLike | null;
  return typeof t === 'object' && t !== null && typeof t.dataSync === 'function' && Array.isArray(t.shape) && typeof t.dtype === 'string';
}

/** Any TypedArray (not a DataView). */
export function isTypedArray(value: unknown): value is ArrayBufferView & ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** A tensor's values, read synchronously (workers hold cpu-style backends), without copying. */
export function hostFromTensorLike(t: TensorLike): HostTensor {
  return hostTensor(t.dataSync(), [...t.shape], t.dtype);
}

/** A typed array as a 1-D host tensor with flint.tensor's dtype rule: floats float32, the rest int32. */
export function hostFromTypedArray(a: ArrayBufferView & ArrayLike<number>): HostTensor {
  const float = a instanceof Float32Array || a instanceof Float64Array;
  const data = a instanceof Float32Array || a instanceof Int32Array ? a : float ? Float32Array.from(a) : Int32Array.from(a);
  return hostTensor(data, [a.length], float ? 'float32' : 'int32');
}

/** Numbers or booleans as a 1-D host tensor: bool if all are booleans, int32 if all are integers, else float32. */
export function hostFromScalars(values: ReadonlyArray<number | boolean>): HostTensor {
  const dtype: DType = values.every((v) => typeof v === 'boolean') ? 'bool' : values.every((v) => Number.isInteger(v)) ? 'int32' : 'float32';
  const data = allocHostArray(dtype, values.length);
  values.forEach((v, i) => (data[i] = Number(v)));
  return hostTensor(data, [values.length], dtype);
}

/** Equally shaped host tensors stacked along a new first dim (dtypes promote, as in flint.stack). */
export function stackHost(items: readonly HostTensor[]): HostTensor {
  const first = items[0]!;
  items.forEach((t, i) => {
    if (formatShape(t.shape) !== formatShape(first.shape)) {
      throw new RangeError(`defaultCollate: stack expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`);
    }
  });
  const dtype = items.map((t) => t.dtype).reduce(promoteTypes);
  const size = numel(first.shape);
  const data = allocHostArray(dtype, items.length * size);
  items.forEach((t, i) => data.set(t.data, i * size));
  return hostTensor(data, [items.length, ...first.shape], dtype);
}

/** Row `index` along the first dim, as a view of the same memory. */
export function hostRow(t: HostTensor, index: number): HostTensor {
  const shape = t.shape.slice(1);
  const size = numel(shape);
  return hostTensor(t.data.subarray(index * size, (index + 1) * size), shape, t.dtype);
}

/** A copy in fresh, unshared memory: safe to transfer to another thread. */
export function copyHost(t: HostTensor): HostTensor {
  return hostTensor(t.data.slice(), t.shape, t.dtype);
}
