/** The graph a trace records: the public ops a forward pass ran, over its inputs and constants. */
import type { DType } from '../backend/types.ts';
import type { Tensor } from '../tensor/tensor.ts';

/** A tensor the traced computation produced (or one of its inputs), known by id, shape and dtype. */
export interface TraceValue {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * A tensor the computation read without computing it from its inputs: a parameter, a buffer or a
 * constant. `name` is its state-dict name where one was given. `tensor` holds its values until the
 * graph is disposed.
 */
export interface TraceConstant {
  readonly index: number;
  readonly name: string | null;
  readonly tensor: Tensor;
}

/** One argument of a recorded op, in the order the op's `traced` call listed them. */
export type TraceArg =
  | { readonly kind: 'value'; readonly value: TraceValue }
  | { readonly kind: 'constant'; readonly constant: TraceConstant }
  | { readonly kind: 'scalar'; readonly value: number | boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'list'; readonly items: readonly TraceArg[] };

/** One recorded op: its public name, arguments, attributes and the values it produced (in result order). */
export interface TraceNode {
  readonly op: string;
  readonly inputs: readonly TraceArg[];
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly outputs: readonly TraceValue[];
}

/** What {@link trace} returns. `dispose()` frees the constants' handles. */
export interface TraceGraph {
  readonly inputs: readonly TraceValue[];
  readonly nodes: readonly TraceNode[];
  readonly outputs: readonly TraceValue[];
  readonly constants: readonly TraceConstant[];
  dispose(): void;
}
