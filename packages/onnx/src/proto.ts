/** Encoding an ONNX ModelProto with protobufjs, from the official onnx.proto3 schema. */
import protobuf from 'protobufjs';
import { ONNX_PROTO3 } from './onnx-proto3.ts';

let modelType: protobuf.Type | null = null;

/** onnx.TensorProto.DataType codes of the dtypes flint exports. */
export const DATA_TYPE = { float32: 1, int32: 6, int64: 7, bool: 9 } as const;

/** onnx.AttributeProto.AttributeType codes. */
export const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

/** `model` (a ModelProto as a plain object with protobufjs's camelCase field names) as bytes. */
export function encodeModel(model: Record<string, unknown>): Uint8Array {
  modelType ??= protobuf.parse(ONNX_PROTO3).root.lookupType('onnx.ModelProto');
  const message = modelType.fromObject(model);
  return modelType.encode(message).finish();
}

/** A ModelProto read from `bytes`, as a plain object (camelCase fields, int64 as numbers, bytes as Uint8Array). */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  modelType ??= protobuf.parse(ONNX_PROTO3).root.lookupType('onnx.ModelProto');
  const message = modelType.decode(bytes);
  return modelType.toObject(message, { longs: Number, arrays: true, defaults: false }) as Record<string, unknown>;
}
