/**
 * The safetensors dtypes flint reads and writes, and how their little-endian bytes become flint
 * host arrays. flint has three dtypes, so files from PyTorch are converted on load: floats to
 * float32, integers to int32 (checked), BOOL to bool.
 */
import type { AnyTypedArray, DType } from '../backend/types.ts';

/** One safetensors dtype that flint can load. */
export interface FileDType {
  /** The name in the header, e.g. `F32`. */
  readonly name: string;
  /** Bytes per element. */
  readonly size: number;
  /** The flint dtype it loads as. */
  readonly loadsAs: DType;
  /** Element at byte `at` of `view`, as a number. */
  readonly read: (view: DataView, at: number) => number;
  /** Whether its bytes are exactly flint's host layout, so they can be copied rather than converted. */
  readonly native?: boolean;
  /** Whether some of its values may not fit in int32 and must be checked. */
  readonly mayOverflow?: boolean;
}

// Typed arrays use the host's byte order; safetensors is little-endian. Every mainstream engine is
// little-endian, where native dtypes are copied as bytes (about 20x faster than per-element reads
// for large checkpoints); elsewhere they take the per-element DataView path like the other dtypes.
const littleEndianHost = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

const scratch = new DataView(new ArrayBuffer(4));

/** IEEE 754 binary16 to a number, subnormals, infinities and NaN included. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 is the top half of a float32. */
function bfloat16ToNumber(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

const fileDTypes: readonly FileDType[] = [
  { name: 'F32', size: 4, loadsAs: 'float32', native: true, read: (v, at) => v.getFloat32(at, true) },
  { name: 'F64', size: 8, loadsAs: 'float32', read: (v, at) => v.getFloat64(at, true) },
  { name: 'F16', size: 2, loadsAs: 'float32', read: (v, at) => halfToNumber(v.getUint16(at, true)) },
  { name: 'BF16', size: 2, loadsAs: 'float32', read: (v, at) => bfloat16ToNumber(v.getUint16(at, true)) },
  { name: 'I32', size: 4, loadsAs: 'int32', native: true, read: (v, at) => v.getInt32(at, true) },
  // 64-bit integers from two 32-bit halves (no BigInt per element): exact below 2^53; above it the
  // sum rounds but stays far outside int32, so the overflow check is still exact.
  { name: 'I64', size: 8, loadsAs: 'int32', mayOverflow: true, read: (v, at) => v.getInt32(at + 4, true) * 2 ** 32 + v.getUint32(at, true) },
  { name: 'U64', size: 8, loadsAs: 'int32', mayOverflow: true, read: (v, at) => v.getUint32(at + 4, true) * 2 ** 32 + v.getUint32(at, true) },
  { name: 'U32', size: 4, loadsAs: 'int32', mayOverflow: true, read: (v, at) => v.getUint32(at, true) },
  { name: 'I16', size: 2, loadsAs: 'int32', read: (v, at) => v.getInt16(at, true) },
  { name: 'U16', size: 2, loadsAs: 'int32', read: (v, at) => v.getUint16(at, true) },
  { name: 'I8', size: 1, loadsAs: 'int32', read: (v, at) => v.getInt8(at) },
  { name: 'U8', size: 1, loadsAs: 'int32', read: (v, at) => v.getUint8(at) },
  // torch only ever writes 0 or 1; anything else is still true.
  { name: 'BOOL', size: 1, loadsAs: 'bool', read: (v, at) => (v.getUint8(at) === 0 ? 0 : 1) },
];

const byName = new Map(fileDTypes.map((d) => [d.name, d]));

/** The loadable dtype called `name` in a header, if flint supports it. */
export function fileDType(name: string): FileDType | undefined {
  return byName.get(name);
}

/** The dtype names {@link fileDType} accepts, for error messages. */
export const supportedFileDTypes: readonly string[] = fileDTypes.map((d) => d.name);

/**
 * How flint writes each of its dtypes. `rank` is the dtype's position in the reference
 * implementation's `Dtype` enum, which is in increasing alignment order: its writer lays tensors
 * out by descending rank, so every tensor starts aligned to its element size.
 */
export const writeDTypes: Readonly<Record<DType, { readonly name: string; readonly rank: number }>> = {
  float32: { name: 'F32', rank: 11 },
  int32: { name: 'I32', rank: 9 },
  bool: { name: 'BOOL', rank: 0 },
};

const int32Min = -(2 ** 31);
const int32Max = 2 ** 31 - 1;

/**
 * Decodes `count` elements starting at `bytes[begin]` into a host array of the dtype's `loadsAs`,
 * for `Backend.upload` (which copies it). Calls `overflow(index, value)`, which throws, for an
 * integer outside int32.
 * @example decode(fileDType('F16')!, bytes, 0, 4, fail) // Float32Array(4)
 */
export function decode(dtype: FileDType, bytes: Uint8Array, begin: number, count: number, overflow: (index: number, value: number) => never): AnyTypedArray {
  const Out = dtype.loadsAs === 'float32' ? Float32Array : dtype.loadsAs === 'int32' ? Int32Array : Uint8Array;
  if (dtype.native && littleEndianHost) {
    const at = bytes.byteOffset + begin;
    // A view when aligned (upload copies anyway); a slice, which starts a fresh buffer, when not.
    return at % dtype.size === 0 ? new Out(bytes.buffer as ArrayBuffer, at, count) : new Out(bytes.slice(begin, begin + count * dtype.size).buffer);
  }
  const out = new Out(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + begin, count * dtype.size);
  for (let i = 0; i < count; i++) {
    const value = dtype.read(view, i * dtype.size);
    if (dtype.mayOverflow && (value < int32Min || value > int32Max)) overflow(i, value);
    out[i] = value;
  }
  return out;
}

/** Writes flint host values little-endian at `bytes[begin]`. */
export function encode(dtype: DType, values: AnyTypedArray, bytes: Uint8Array, begin: number): void {
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) bytes[begin + i] = values[i] ? 1 : 0;
  } else if (littleEndianHost) {
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), begin);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + begin, values.byteLength);
    for (let i = 0; i < values.length; i++) {
      if (dtype === 'float32') view.setFloat32(i * 4, values[i]!, true);
      else view.setInt32(i * 4, values[i]!, true);
    }
  }
}
