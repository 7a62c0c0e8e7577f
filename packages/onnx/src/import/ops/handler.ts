import type * as flint from '@flint/core';
import type { Attributes } from '../attributes.ts';
import type { Value } from '../values.ts';

/** What a handler may need besides its inputs: where new tensors go, and the module's mode. */
export interface OpContext {
  readonly device: string;
  readonly training: boolean;
}

/** One ONNX op over flint: its inputs (undefined where an optional one is left out) to its outputs. */
export type Handler = (inputs: ReadonlyArray<Value | undefined>, attrs: Attributes, ctx: OpContext) => Value[];

/** The required input `i` of `op`, or an error naming it. */
export function required<T extends Value>(op: string, inputs: ReadonlyArray<Value | undefined>, i: number): T {
  const v = inputs[i];
  if (v === undefined) throw new RangeError(`onnx.load(): ${op} needs input ${i}`);
  return v as T;
}

export type Tensor = flint.Tensor;
