/** What every op mapping shares: its signature, the unmapped-op error, and argument helpers. */
import type { DType, tracing } from '@flint/core';
import type { GraphBuilder } from '../builder.ts';
import { DATA_TYPE } from '../proto.ts';

/** Emits the ONNX nodes computing one recorded op. */
export type Mapping = (node: tracing.TraceNode, g: GraphBuilder) => void;

/** The error for an op (or an op's option) ONNX export cannot express. */
export function unmapped(op: string, why?: string): Error {
  return new Error(`onnx.export(): ${op}() has no ONNX mapping${why ? ` ${why}` : ''}`);
}

/** The dtype of an argument: a tensor's own, or `fallback` for numbers. */
export function dtypeOf(arg: tracing.TraceArg, fallback: DType): DType {
  if (arg.kind === 'value') return arg.value.dtype;
  if (arg.kind === 'constant') return arg.constant.tensor.dtype;
  return fallback;
}

/** The shape of a tensor argument. */
export function shapeOf(arg: tracing.TraceArg): readonly number[] {
  if (arg.kind === 'value') return arg.value.shape;
  if (arg.kind === 'constant') return arg.constant.tensor.shape;
  return [];
}

/** Argument `i` as a graph name of dtype `dtype`: numbers become scalars of it, tensors of another dtype are cast. */
export function operand(g: GraphBuilder, node: tracing.TraceNode, i: number, dtype: DType): string {
  const arg = node.inputs[i]!;
  const name = g.arg(arg, dtype);
  if (arg.kind === 'scalar' || dtypeOf(arg, dtype) === dtype) return name;
  return g.step('Cast', [name], { to: DATA_TYPE[dtype] });
}

/** The dtype two operands compute in: float32 if either is, else int32 if either is, else bool. */
export function commonDType(...args: tracing.TraceArg[]): DType {
  const dtypes = args.filter((a) => a.kind === 'value' || a.kind === 'constant').map((a) => dtypeOf(a, 'float32'));
  if (dtypes.includes('float32') || args.some((a) => a.kind === 'scalar' && typeof a.value === 'number' && !Number.isInteger(a.value))) return 'float32';
  return dtypes.includes('int32') ? 'int32' : 'bool';
}

/** `dim` counted from the front of `rank` dims. */
export function axis(dim: number, rank: number): number {
  return dim < 0 ? dim + rank : dim;
}

/** A number or a pair as a pair. */
export function pairOf(v: unknown, fallback: number): [number, number] {
  if (v === undefined || v === null) return [fallback, fallback];
  return typeof v === 'number' ? [v, v] : [(v as number[])[0]!, (v as number[])[1]!];
}
