/**
 * Reshaping, views, joins and reductions. Shapes written into the graph keep the dims that vary with
 * the dynamic axes symbolic: Reshape copies such a dim from the same place of its input (0) or
 * infers it (-1, once); Expand broadcasts from 1 where a size stays.
 */
import type { tracing } from '@flint/core';
import type { GraphBuilder } from '../builder.ts';
import { axis, operand, shapeOf, unmapped, type Mapping } from './mapping.ts';

type Node = tracing.TraceNode;
const INT64_MAX = Number.MAX_SAFE_INTEGER;

/**
 * The Reshape target for `from` -> `to`: static dims as they are; a dynamic dim copied (0) from the
 * same place of the input when that is dynamic and of the same size, else inferred (-1), which
 * ONNX allows once.
 */
function reshapeTarget(op: string, from: readonly number[], fromDynamic: readonly boolean[], to: readonly number[], toDynamic: readonly boolean[]): number[] {
  let inferred = false;
  return to.map((d, i) => {
    if (!toDynamic[i]) return d;
    if (fromDynamic[i] && from[i] === d) return 0;
    if (inferred) throw unmapped(op, `to [${to.join(', ')}], in which two dims follow the dynamic axes in different ways`);
    inferred = true;
    return -1;
  });
}

function reshape(node: Node, g: GraphBuilder): void {
  const x = node.inputs[0]!;
  const out = node.outputs[0]!;
  const target = reshapeTarget(node.op, shapeOf(x), g.dynamicDims(x), out.shape, g.dynamicDims(out));
  g.node('Reshape', [g.arg(x), g.ints(target)], g.outputs(node));
}

function identity(node: Node, g: GraphBuilder): void {
  g.node('Identity', [g.arg(node.inputs[0]!)], g.outputs(node));
}

function transposeTo(node: Node, g: GraphBuilder, perm: readonly number[]): void {
  g.node('Transpose', [g.arg(node.inputs[0]!)], g.outputs(node), { perm });
}

function permute(node: Node, g: GraphBuilder): void {
  const rank = shapeOf(node.inputs[0]!).length;
  transposeTo(node, g, (node.attrs as { dims: number[] }).dims.map((d) => axis(d, rank)));
}

function transpose(node: Node, g: GraphBuilder): void {
  const rank = shapeOf(node.inputs[0]!).length;
  if (rank < 2) return identity(node, g);
  const { dim0, dim1 } = node.attrs as { dim0: number; dim1: number };
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[axis(dim0, rank)], perm[axis(dim1, rank)]] = [axis(dim1, rank), axis(dim0, rank)];
  transposeTo(node, g, perm);
}

function expand(node: Node, g: GraphBuilder): void {
  const inShape = shapeOf(node.inputs[0]!);
  const out = node.outputs[0]!;
  const inDynamic = g.dynamicDims(node.inputs[0]!);
  const outDynamic = g.dynamicDims(out);
  const lead = out.shape.length - inShape.length;
  const target = out.shape.map((d, i) => {
    if (i >= lead && inShape[i - lead] === d) return 1;
    if (outDynamic[i] && !inDynamic[i - lead]) throw unmapped('expand', 'of a fixed size to a dim that follows a dynamic axis');
    return d;
  });
  g.node('Expand', [g.arg(node.inputs[0]!), g.ints(target)], g.outputs(node));
}

function squeeze(node: Node, g: GraphBuilder): void {
  const inShape = shapeOf(node.inputs[0]!);
  const dim = (node.attrs as { dim?: number | number[] }).dim;
  const asked = dim === undefined ? inShape.map((_, i) => i) : (typeof dim === 'number' ? [dim] : dim).map((d) => axis(d, inShape.length));
  const axes = asked.filter((d) => inShape[d] === 1);
  if (axes.length === 0) return identity(node, g);
  g.node('Squeeze', [g.arg(node.inputs[0]!), g.ints(axes)], g.outputs(node));
}

function unsqueeze(node: Node, g: GraphBuilder): void {
  const rank = shapeOf(node.inputs[0]!).length + 1;
  g.node('Unsqueeze', [g.arg(node.inputs[0]!), g.ints([axis((node.attrs as { dim: number }).dim, rank)])], g.outputs(node));
}

/** Slice of `x` along `d` from `start` for `length`; to the end when it reaches the end (so that a dynamic dim stays dynamic). */
function slice(g: GraphBuilder, x: string, size: number, d: number, start: number, length: number, out: string): void {
  const end = start + length >= size ? INT64_MAX : start + length;
  g.node('Slice', [x, g.ints([start]), g.ints([end]), g.ints([d])], [out]);
}

function narrow(node: Node, g: GraphBuilder): void {
  const inShape = shapeOf(node.inputs[0]!);
  const { dim, start, length } = node.attrs as { dim: number; start: number; length: number };
  const d = axis(dim, inShape.length);
  slice(g, g.arg(node.inputs[0]!), inShape[d]!, d, start < 0 ? start + inShape[d]! : start, length, g.outputs(node)[0]!);
}

function select(node: Node, g: GraphBuilder): void {
  const rank = shapeOf(node.inputs[0]!).length;
  const { dim, index } = node.attrs as { dim: number; index: number };
  // A negative index stays negative: it counts from the end of a dim that may be dynamic.
  g.node('Gather', [g.arg(node.inputs[0]!), g.ints([index], true)], g.outputs(node), { axis: axis(dim, rank) });
}

function cat(node: Node, g: GraphBuilder, stacked: boolean): void {
  const list = node.inputs[0] as Extract<tracing.TraceArg, { kind: 'list' }>;
  const dtype = node.outputs[0]!.dtype;
  const rank = node.outputs[0]!.shape.length;
  const d = axis((node.attrs as { dim?: number }).dim ?? 0, rank);
  const inputs = list.items.map((item) => {
    const name = operand(g, { ...node, inputs: [item] }, 0, dtype);
    return stacked ? g.step('Unsqueeze', [name, g.ints([d])]) : name;
  });
  g.node('Concat', inputs, g.outputs(node), { axis: d });
}

/** split and chunk: the pieces' sizes are those of the outputs. */
function split(node: Node, g: GraphBuilder): void {
  const rank = shapeOf(node.inputs[0]!).length;
  const d = axis((node.attrs as { dim?: number }).dim ?? 0, rank);
  g.node('Split', [g.arg(node.inputs[0]!), g.ints(node.outputs.map((o) => o.shape[d]!))], g.outputs(node), { axis: d });
}

/** The reduced axes of a reduction's `dim` (all when omitted). */
function reducedAxes(node: Node): number[] {
  const rank = shapeOf(node.inputs[0]!).length;
  const dim = (node.attrs as { dim?: number | number[] }).dim;
  if (dim === undefined || dim === null) return Array.from({ length: rank }, (_, i) => i);
  return (typeof dim === 'number' ? [dim] : dim).map((d) => axis(d, rank));
}

/** A reduction; opset 17 takes ReduceSum's axes as an input and the others' as an attribute. */
function reduce(opType: string): Mapping {
  return (node, g) => {
    const keepdims = (node.attrs as { keepdim?: boolean }).keepdim ? 1 : 0;
    const x = operand(g, node, 0, node.outputs[0]!.dtype);
    const axes = reducedAxes(node);
    if (opType === 'ReduceSum') g.node(opType, [x, g.ints(axes)], g.outputs(node), { keepdims });
    else g.node(opType, [x], g.outputs(node), { axes, keepdims });
  };
}

export const shape: Record<string, Mapping> = {
  reshape,
  view: reshape,
  flatten: reshape,
  permute,
  transpose,
  expand,
  squeeze,
  unsqueeze,
  narrow,
  select,
  alias: identity,
  contiguous: identity,
  clone: identity,
  detach: identity,
  cat: (node, g) => cat(node, g, false),
  stack: (node, g) => cat(node, g, true),
  split,
  chunk: split,
  sum: reduce('ReduceSum'),
  mean: reduce('ReduceMean'),
  amax: reduce('ReduceMax'),
  amin: reduce('ReduceMin'),
};
