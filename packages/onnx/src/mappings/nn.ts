/** Linear layers, convolutions, pooling, normalization and embeddings. */
import type { tracing } from '@flint/core';
import type { GraphBuilder } from '../builder.ts';
import { pairOf, shapeOf, unmapped, type Mapping } from './mapping.ts';

type Node = tracing.TraceNode;

/** The input names of a node's tensor arguments, with '' for absent optional ones (ONNX's convention). */
function optional(g: GraphBuilder, arg: tracing.TraceArg): string {
  return arg.kind === 'none' ? '' : g.arg(arg);
}

function linear(node: Node, g: GraphBuilder): void {
  const [x, w, b] = node.inputs as [tracing.TraceArg, tracing.TraceArg, tracing.TraceArg];
  const [out] = g.outputs(node);
  if (shapeOf(x).length === 2) {
    g.node('Gemm', [g.arg(x), g.arg(w), optional(g, b)].filter((n, i) => i < 2 || n !== ''), [out!], { transB: 1 });
    return;
  }
  const product = g.step('MatMul', [g.arg(x), g.step('Transpose', [g.arg(w)], { perm: [1, 0] })]);
  if (b.kind === 'none') g.node('Identity', [product], [out!]);
  else g.node('Add', [product, g.arg(b)], [out!]);
}

interface ConvAttrs {
  stride?: number | number[];
  padding?: number | number[] | 'same' | 'valid';
  dilation?: number | number[];
  groups?: number;
  outputPadding?: number | number[];
}

/** Per-dim values of a conv option for `rank` spatial dims. */
function spatial(v: unknown, fallback: number, rank: number): number[] {
  return rank === 1 ? [typeof v === 'number' ? v : ((v as number[] | undefined)?.[0] ?? fallback)] : pairOf(v, fallback);
}

/** ONNX pads (all begins, then all ends) for a conv's padding option; 'same' pads the extra one at the end, as PyTorch. */
function convPads(padding: ConvAttrs['padding'], kernel: readonly number[], dilation: readonly number[]): number[] {
  const rank = kernel.length;
  if (padding === 'valid') return new Array<number>(2 * rank).fill(0);
  if (padding === 'same') {
    const total = kernel.map((k, i) => dilation[i]! * (k - 1));
    return [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
  }
  const p = spatial(padding, 0, rank);
  return [...p, ...p];
}

function conv(rank: number, transposed: boolean): Mapping {
  return (node, g) => {
    const o = node.attrs as ConvAttrs;
    const [x, w, b] = node.inputs as [tracing.TraceArg, tracing.TraceArg, tracing.TraceArg];
    const kernel = shapeOf(w).slice(2);
    const dilations = spatial(o.dilation, 1, rank);
    const attributes = {
      kernel_shape: kernel,
      strides: spatial(o.stride, 1, rank),
      pads: convPads(o.padding, kernel, dilations),
      dilations,
      group: o.groups ?? 1,
      ...(transposed ? { output_padding: spatial(o.outputPadding, 0, rank) } : {}),
    };
    const inputs = [g.arg(x), g.arg(w)];
    if (b.kind !== 'none') inputs.push(g.arg(b));
    g.node(transposed ? 'ConvTranspose' : 'Conv', inputs, g.outputs(node), attributes);
  };
}

interface PoolAttrs {
  kernelSize: number | number[];
  options?: { stride?: number | number[] | null; padding?: number | number[]; dilation?: number | number[]; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number };
}

function pool(opType: 'MaxPool' | 'AveragePool'): Mapping {
  return (node, g) => {
    const { kernelSize, options = {} } = node.attrs as unknown as PoolAttrs;
    const kernel = pairOf(kernelSize, 1);
    const padding = pairOf(options.padding, 0);
    const attributes: Record<string, number | number[]> = {
      kernel_shape: kernel,
      strides: options.stride === undefined || options.stride === null ? kernel : pairOf(options.stride, 1),
      pads: [...padding, ...padding],
      ceil_mode: options.ceilMode ? 1 : 0,
    };
    if (opType === 'MaxPool') attributes.dilations = pairOf(options.dilation, 1);
    else {
      if (options.divisorOverride !== undefined) throw unmapped('avgPool2d', 'with divisorOverride');
      attributes.count_include_pad = options.countIncludePad === false ? 0 : 1;
    }
    g.node(opType, [g.arg(node.inputs[0]!)], g.outputs(node), attributes);
  };
}

/** Global average pooling when the output is 1x1, else windows of in / out where they divide evenly. */
function adaptiveAvgPool2d(node: Node, g: GraphBuilder): void {
  const inShape = shapeOf(node.inputs[0]!).slice(-2);
  const outShape = node.outputs[0]!.shape.slice(-2);
  const x = g.arg(node.inputs[0]!);
  if (outShape.every((d) => d === 1)) {
    g.node('GlobalAveragePool', [x], g.outputs(node));
    return;
  }
  if (inShape.some((d, i) => d % outShape[i]! !== 0)) throw unmapped('adaptiveAvgPool2d', `from ${inShape.join('x')} to ${outShape.join('x')} (sizes that do not divide)`);
  const kernel = inShape.map((d, i) => d / outShape[i]!);
  g.node('AveragePool', [x], g.outputs(node), { kernel_shape: kernel, strides: kernel });
}

/** A float vector of `n` copies of `value` (a missing affine weight or bias). */
function filled(g: GraphBuilder, n: number, value: number): string {
  return g.step('Expand', [g.scalar(value, 'float32'), g.ints([n])]);
}

function batchNorm(node: Node, g: GraphBuilder): void {
  const o = node.attrs as { training?: boolean; eps?: number };
  const [x, mean, variance, weight, bias] = node.inputs as tracing.TraceArg[];
  if (o.training || mean!.kind === 'none' || variance!.kind === 'none') throw unmapped('batchNorm', 'in training mode (call model.eval())');
  const channels = shapeOf(x!)[1]!;
  const scale = weight!.kind === 'none' ? filled(g, channels, 1) : g.arg(weight!);
  const shift = bias!.kind === 'none' ? filled(g, channels, 0) : g.arg(bias!);
  g.node('BatchNormalization', [g.arg(x!), scale, shift, g.arg(mean!), g.arg(variance!)], g.outputs(node), { epsilon: { f: o.eps ?? 1e-5 } });
}

function layerNorm(node: Node, g: GraphBuilder): void {
  const { normalizedShape, options = {} } = node.attrs as { normalizedShape: number | number[]; options?: { eps?: number } };
  const dims = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  const [x, weight, bias] = node.inputs as tracing.TraceArg[];
  const size = dims.reduce((a, b) => a * b, 1);
  // A missing weight is ones; the ones are shaped like the normalized dims.
  const scale = weight!.kind === 'none' ? g.step('Reshape', [filled(g, size, 1), g.ints(dims)]) : g.arg(weight!);
  const inputs = [g.arg(x!), scale];
  if (bias!.kind !== 'none') inputs.push(g.arg(bias!));
  g.node('LayerNormalization', inputs, g.outputs(node), { axis: -dims.length, epsilon: { f: options.eps ?? 1e-5 } });
}

function embedding(node: Node, g: GraphBuilder): void {
  const [indices, weight] = node.inputs as [tracing.TraceArg, tracing.TraceArg];
  g.node('Gather', [g.arg(weight), g.arg(indices)], g.outputs(node), { axis: 0 });
}

/** mm, bmm and matmul: ONNX's MatMul has matmul's broadcasting rules. */
function matmul(node: Node, g: GraphBuilder): void {
  g.node('MatMul', [g.arg(node.inputs[0]!), g.arg(node.inputs[1]!)], g.outputs(node));
}

export const nn: Record<string, Mapping> = {
  linear,
  mm: matmul,
  bmm: matmul,
  matmul,
  conv1d: conv(1, false),
  conv2d: conv(2, false),
  convTranspose2d: conv(2, true),
  maxPool2d: pool('MaxPool'),
  avgPool2d: pool('AveragePool'),
  adaptiveAvgPool2d,
  batchNorm,
  layerNorm,
  embedding,
};
