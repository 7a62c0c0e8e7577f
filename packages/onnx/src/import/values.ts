/**
 * The values an imported graph passes between its nodes: flint tensors, or host values for the
 * int64 shapes, axes and indices that graphs made by torch.onnx.export compute with (Shape ->
 * Gather -> Concat -> Reshape). Host values stay on the host so that no backend is read
 * synchronously; an op that needs a tensor gets one made from them.
 */
import * as flint from '@flint/core';

/** onnx.TensorProto.DataType codes the importer reads. */
export const ONNX_TYPE = { float: 1, uint8: 2, int8: 3, int16: 5, int32: 6, int64: 7, bool: 9, double: 11 } as const;

/** A small integer (or float) array held on the host, with its dims and ONNX element type. */
export class HostValue {
  constructor(
    readonly dims: readonly number[],
    readonly data: readonly number[],
    readonly dataType: number,
  ) {}
}

export type Value = flint.Tensor | HostValue;

/** The TensorProto fields the importer reads (protobufjs's camelCase names). */
export interface TensorProto {
  name?: string;
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
}

const isFloatType = (t: number): boolean => t === ONNX_TYPE.float || t === ONNX_TYPE.double;

/** The numbers of a TensorProto, from raw little-endian bytes or its typed fields. */
export function protoNumbers(op: string, t: TensorProto): number[] {
  const type = t.dataType ?? 0;
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const read: Record<number, [number, (i: number) => number]> = {
      [ONNX_TYPE.float]: [4, (i) => view.getFloat32(i, true)],
      [ONNX_TYPE.double]: [8, (i) => view.getFloat64(i, true)],
      [ONNX_TYPE.int32]: [4, (i) => view.getInt32(i, true)],
      [ONNX_TYPE.int64]: [8, (i) => Number(view.getBigInt64(i, true))],
      [ONNX_TYPE.int8]: [1, (i) => view.getInt8(i)],
      [ONNX_TYPE.uint8]: [1, (i) => view.getUint8(i)],
      [ONNX_TYPE.int16]: [2, (i) => view.getInt16(i, true)],
      [ONNX_TYPE.bool]: [1, (i) => view.getUint8(i)],
    };
    const entry = read[type];
    if (!entry) throw new TypeError(`${op}: tensor ${t.name ?? ''} has ONNX data type ${type}, which flint cannot hold`);
    const [bytes, at] = entry;
    return Array.from({ length: raw.byteLength / bytes }, (_, i) => at(i * bytes));
  }
  if (type === ONNX_TYPE.float) return t.floatData ?? [];
  if (type === ONNX_TYPE.double) return t.doubleData ?? [];
  if (type === ONNX_TYPE.int64) return t.int64Data ?? [];
  return t.int32Data ?? [];
}

/** A TensorProto as a flint tensor (float types as float32, bool as bool, integers as int32) or, for int64, a host value. */
export function fromProto(op: string, t: TensorProto): Value {
  const dims = t.dims ?? [];
  const type = t.dataType ?? 0;
  const data = protoNumbers(op, t);
  if (data.length !== dims.reduce((a, b) => a * b, 1)) throw new RangeError(`${op}: tensor ${t.name ?? ''} holds ${data.length} values for dims [${dims.join(', ')}]`);
  if (type === ONNX_TYPE.int64) return new HostValue(dims, data, type);
  const dtype: flint.DType = isFloatType(type) ? 'float32' : type === ONNX_TYPE.bool ? 'bool' : 'int32';
  return flint.tensor(dtype === 'bool' ? data.map(Boolean) : data, { dtype }).reshape(dims);
}

/** The flint dtype a host value becomes as a tensor. */
function dtypeOf(v: HostValue): flint.DType {
  if (isFloatType(v.dataType)) return 'float32';
  return v.dataType === ONNX_TYPE.bool ? 'bool' : 'int32';
}

/** `v` as a tensor on `device` (host values made into one, int64 as int32, checked to fit). */
export function asTensor(op: string, v: Value, device: string): flint.Tensor {
  if (v instanceof flint.Tensor) return v;
  if (v.dataType === ONNX_TYPE.int64 && v.data.some((x) => Math.abs(x) > 2 ** 31 - 1)) {
    throw new RangeError(`${op}: an int64 value does not fit flint's int32`);
  }
  const dtype = dtypeOf(v);
  return flint.tensor(dtype === 'bool' ? v.data.map(Boolean) : [...v.data], { dtype, device }).reshape([...v.dims]);
}

/** `v`'s numbers on the host: a host value's own, or a tensor's read synchronously (cpu-js, wasm-simd). */
export function hostNumbers(op: string, v: Value, what: string): number[] {
  if (v instanceof HostValue) return [...v.data];
  try {
    return Array.from(v.dataSync() as ArrayLike<number>, Number);
  } catch (err) {
    throw new Error(`${op}: ${what} is computed by tensor ops at run time, and this backend cannot read it synchronously (${(err as Error).message})`);
  }
}

/** Whether every value is a host value, so that an op on them can stay on the host. */
export const allHost = (values: ReadonlyArray<Value | undefined>): values is HostValue[] => values.every((v) => v instanceof HostValue);
