/** ONNX's layer ops over flint's nn.functional: products, convolutions, pools, normalisations, softmax, dropout. */
import * as flint from '@flint/core';
import type { Attributes } from '../attributes.ts';
import { asTensor, hostNumbers, type Value } from '../values.ts';
import { required, type Handler, type OpContext } from './handler.ts';

const F = flint.nn.functional;

function tensors(op: string, inputs: ReadonlyArray<Value | undefined>, ctx: OpContext): Array<flint.Tensor | undefined> {
  return inputs.map((v) => (v === undefined ? undefined : asTensor(op, v, ctx.device)));
}

const gemm: Handler = (inputs, attrs, ctx) => {
  const [a, b, c] = tensors('Gemm', inputs, ctx);
  const A = attrs.int('transA', 0) ? a!.T : a!;
  const B = attrs.int('transB', 0) ? b!.T : b!;
  let y = flint.matmul(A, B);
  const alpha = attrs.float('alpha', 1);
  if (alpha !== 1) y = y.mul(alpha);
  if (c) {
    const beta = attrs.float('beta', 1);
    y = y.add(beta === 1 ? c : c.mul(beta));
  }
  return [y];
};

/**
 * The spatial pads of a conv or pool node as flint's symmetric padding, or, where ONNX pads the
 * two sides differently, an explicit pad of the input first.
 */
function spatialPads(attrs: Attributes, x: flint.Tensor, dims: number): { x: flint.Tensor; padding: number[] } {
  attrs.only('auto_pad', 'NOTSET');
  const pads = attrs.ints('pads', new Array<number>(2 * dims).fill(0));
  const begin = pads.slice(0, dims);
  const end = pads.slice(dims);
  if (begin.every((p, i) => p === end[i])) return { x, padding: begin };
  // F.pad takes the last dim first, (left, right) per dim.
  const order = begin.map((_, i) => dims - 1 - i).flatMap((i) => [begin[i]!, end[i]!]);
  return { x: F.pad(x, order), padding: new Array<number>(dims).fill(0) };
}

const pair = (v: readonly number[]): [number, number] => [v[0]!, v[1] ?? v[0]!];

function conv(transposed: boolean): Handler {
  const op = transposed ? 'ConvTranspose' : 'Conv';
  return (inputs, attrs, ctx) => {
    const [input, w, b] = tensors(op, inputs, ctx);
    const dims = w!.ndim - 2;
    if (dims !== 1 && dims !== 2) throw new RangeError(`onnx.load(): ${op} over ${dims} spatial dims is not supported (1 or 2)`);
    const strides = attrs.ints('strides', new Array<number>(dims).fill(1));
    const dilations = attrs.ints('dilations', new Array<number>(dims).fill(1));
    const groups = attrs.int('group', 1);
    if (transposed) {
      attrs.only('auto_pad', 'NOTSET');
      if (attrs.has('output_shape')) throw new RangeError('onnx.load(): ConvTranspose with output_shape is not supported (give pads and output_padding)');
      const pads = attrs.ints('pads', new Array<number>(2 * dims).fill(0));
      if (!pads.slice(0, dims).every((p, i) => p === pads[dims + i])) throw new RangeError('onnx.load(): ConvTranspose with different pads at the two ends is not supported');
      const outputPadding = attrs.ints('output_padding', new Array<number>(dims).fill(0));
      if (dims === 1) return [F.convTranspose1d(input!, w!, b, { stride: strides[0], padding: pads[0], outputPadding: outputPadding[0], dilation: dilations[0], groups })];
      return [F.convTranspose2d(input!, w!, b, { stride: pair(strides), padding: pair(pads), outputPadding: pair(outputPadding), dilation: pair(dilations), groups })];
    }
    const { x, padding } = spatialPads(attrs, input!, dims);
    if (dims === 1) return [F.conv1d(x, w!, b, { stride: strides[0], padding: padding[0], dilation: dilations[0], groups })];
    return [F.conv2d(x, w!, b, { stride: pair(strides), padding: pair(padding), dilation: pair(dilations), groups })];
  };
}

function pool(op: 'MaxPool' | 'AveragePool'): Handler {
  return (inputs, attrs, ctx) => {
    const input = asTensor(op, required(op, inputs, 0), ctx.device);
    const kernel = attrs.ints('kernel_shape');
    const dims = kernel.length;
    if (dims !== 1 && dims !== 2) throw new RangeError(`onnx.load(): ${op} over ${dims} spatial dims is not supported (1 or 2)`);
    const stride = attrs.ints('strides', new Array<number>(dims).fill(1));
    const ceilMode = attrs.int('ceil_mode', 0) === 1;
    const { x, padding } = spatialPads(attrs, input, dims);
    if (op === 'MaxPool') {
      if (attrs.int('storage_order', 0) !== 0) throw new RangeError('onnx.load(): MaxPool with storage_order=1 is not supported');
      const dilation = attrs.ints('dilations', new Array<number>(dims).fill(1));
      if (dims === 1) return [F.maxPool1d(x, kernel[0]!, { stride: stride[0], padding: padding[0], dilation: dilation[0], ceilMode })];
      return [F.maxPool2d(x, pair(kernel), { stride: pair(stride), padding: pair(padding), dilation: pair(dilation), ceilMode })];
    }
    const countIncludePad = attrs.int('count_include_pad', 0) === 1;
    if (dims === 1) return [F.avgPool1d(x, kernel[0]!, { stride: stride[0], padding: padding[0], ceilMode, countIncludePad })];
    return [F.avgPool2d(x, pair(kernel), { stride: pair(stride), padding: pair(padding), ceilMode, countIncludePad })];
  };
}

const globalAveragePool: Handler = (inputs, _attrs, ctx) => {
  const x = asTensor('GlobalAveragePool', required('GlobalAveragePool', inputs, 0), ctx.device);
  return [x.mean(Array.from({ length: x.ndim - 2 }, (_, i) => i + 2), true)];
};

const batchNormalization: Handler = (inputs, attrs, ctx) => {
  const [x, scale, bias, mean, variance] = tensors('BatchNormalization', inputs, ctx);
  if (attrs.int('training_mode', 0) !== 0) throw new RangeError('onnx.load(): BatchNormalization with training_mode=1 is not supported (export the model in eval mode)');
  return [F.batchNorm(x!, mean!, variance!, { weight: scale, bias, eps: attrs.float('epsilon', 1e-5), training: false })];
};

const layerNormalization: Handler = (inputs, attrs, ctx) => {
  const [x, scale, bias] = tensors('LayerNormalization', inputs, ctx);
  const axis = attrs.int('axis', -1);
  const start = axis < 0 ? axis + x!.ndim : axis;
  return [F.layerNorm(x!, x!.shape.slice(start), { weight: scale, bias, eps: attrs.float('epsilon', 1e-5) })];
};

function softmax(log: boolean): Handler {
  const op = log ? 'LogSoftmax' : 'Softmax';
  return (inputs, attrs, ctx) => {
    const x = asTensor(op, required(op, inputs, 0), ctx.device);
    const axis = attrs.int('axis', -1);
    return [log ? F.logSoftmax(x, axis) : F.softmax(x, axis)];
  };
}

/** Inference Dropout is the identity; in training mode the module drops with the node's ratio, as the exported model would have. */
const dropout: Handler = (inputs, _attrs, ctx) => {
  const x = asTensor('Dropout', required('Dropout', inputs, 0), ctx.device);
  const ratio = inputs[1] === undefined ? 0.5 : hostNumbers('Dropout', inputs[1], 'the ratio')[0]!;
  return [ctx.training ? F.dropout(x, ratio, { training: true }) : x];
};

const PAD_MODES: Readonly<Record<string, flint.nn.functional.PadMode>> = { constant: 'constant', reflect: 'reflect', edge: 'replicate', wrap: 'circular' };

const pad: Handler = (inputs, attrs, ctx) => {
  const x = asTensor('Pad', required('Pad', inputs, 0), ctx.device);
  const pads = hostNumbers('Pad', required('Pad', inputs, 1), 'the pads');
  if (inputs[3] !== undefined) throw new RangeError('onnx.load(): Pad with an axes input is not supported');
  const name = attrs.string('mode', 'constant');
  const mode = PAD_MODES[name];
  if (!mode) throw new RangeError(`onnx.load(): Pad with mode ${name} is not supported`);
  const value = inputs[2] === undefined ? 0 : hostNumbers('Pad', inputs[2], 'the constant value')[0] ?? 0;
  const rank = x.ndim;
  // ONNX lists every dim's begin, then every dim's end; F.pad takes (begin, end) pairs from the last dim.
  const order = Array.from({ length: rank }, (_, i) => rank - 1 - i).flatMap((d) => [pads[d]!, pads[rank + d]!]);
  // F.pad pads only as many trailing dims as it is given: drop the untouched leading ones.
  while (order.length > 2 && order.at(-1) === 0 && order.at(-2) === 0) order.splice(-2, 2);
  return [F.pad(x, order, mode, mode === 'constant' ? value : undefined)];
};

export const NN: Record<string, Handler> = {
  Pad: pad,
  MatMul: (inputs, _attrs, ctx) => {
    const [a, b] = tensors('MatMul', inputs, ctx);
    return [flint.matmul(a!, b!)];
  },
  Gemm: gemm,
  Conv: conv(false),
  ConvTranspose: conv(true),
  MaxPool: pool('MaxPool'),
  AveragePool: pool('AveragePool'),
  GlobalAveragePool: globalAveragePool,
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  Softmax: softmax(false),
  LogSoftmax: softmax(true),
  Dropout: dropout,
};
