import type { AnyTypedArray, DType } from '../backend/types.ts';

export type { DType };

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

/** The dtype two tensor operands compute in (bool < int32 < float32), as PyTorch promotes. */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

/** The dtype a JavaScript number or boolean takes when it meets a tensor of dtype `other`. */
export function scalarDType(value: number | boolean, other: DType): DType {
  if (typeof value === 'boolean') return other;
  if (Number.isInteger(value)) return other === 'bool' ? 'int32' : other;
  return 'float32';
}

export function isFloating(dtype: DType): boolean {
  return dtype === 'float32';
}

/** Bytes per element. */
export function itemSize(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

/** A new host array of `size` elements for `dtype`. */
export function allocHostArray(dtype: DType, size: number): AnyTypedArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}

/**
 * Throws PyTorch's overflow error unless `value` fits `dtype`: an int32 element must be a finite
 * number in int32's range (its fraction is dropped, as in PyTorch).
 */
export function assertConvertible(op: string, value: number | boolean, dtype: DType): void {
  if (dtype !== 'int32' || typeof value === 'boolean') return;
  if (!(value >= -2147483648 && value <= 2147483647)) {
    throw new RangeError(`${op}(): value cannot be converted to type int32 without overflow (got ${value})`);
  }
}

const dtypes: readonly DType[] = ['float32', 'int32', 'bool'];

export function assertDType(dtype: unknown, op: string): asserts dtype is DType {
  if (!dtypes.includes(dtype as DType)) {
    throw new TypeError(`${op}(): unsupported dtype ${String(dtype)}; expected one of ${dtypes.join(', ')}`);
  }
}

/** PyTorch's other names for flint's dtypes (`torch.float` is float32, `torch.int` int32). */
const ALIASES: Readonly<Record<string, DType>> = { float: 'float32', int: 'int32' };

/** PyTorch dtype names flint has no dtype for, so that `to('float64')` reads as a dtype, not a device. */
const FOREIGN_DTYPES: ReadonlySet<string> = new Set([
  'float64', 'double', 'float16', 'half', 'bfloat16', 'int64', 'long', 'int16', 'short', 'int8', 'uint8',
  'complex32', 'complex64', 'complex128', 'cfloat', 'cdouble', 'chalf',
]);

/**
 * The dtype a target string names, for `Tensor.to(target)`: flint's own dtypes and PyTorch's
 * aliases for them; undefined for anything else (a device name). A PyTorch dtype flint lacks is a
 * TypeError naming `op` and listing flint's dtypes.
 */
export function dtypeNamed(op: string, target: string): DType | undefined {
  if (dtypes.includes(target as DType)) return target as DType;
  if (Object.hasOwn(ALIASES, target)) return ALIASES[target];
  if (FOREIGN_DTYPES.has(target)) throw new TypeError(`${op}(): flint has no dtype ${target}; its dtypes are ${dtypes.join(', ')}`);
  return undefined;
}
