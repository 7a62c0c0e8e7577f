/**
 * The trained networks as plain layer lists, so that flint and TensorFlow.js build the same model
 * from one description and start from the same weights.
 */
import { uniform } from './random.ts';

export type Layer =
  | { kind: 'linear'; in: number; out: number }
  /** No padding, stride 1. */
  | { kind: 'conv2d'; in: number; out: number; k: number }
  | { kind: 'relu' }
  /** Window k, stride k. */
  | { kind: 'maxPool2d'; k: number }
  | { kind: 'flatten' };

export interface Model {
  /** One example's shape, channels first ([C, H, W] for images). */
  input: readonly number[];
  layers: readonly Layer[];
}

const relu: Layer = { kind: 'relu' };
const linear = (inF: number, out: number): Layer => ({ kind: 'linear', in: inF, out });

export const models = {
  mlp: { input: [784], layers: [linear(784, 256), relu, linear(256, 10)] },
  simplenet: { input: [6], layers: [linear(6, 4), relu, linear(4, 2)] },
  cnn: {
    input: [1, 28, 28],
    layers: [{ kind: 'conv2d', in: 1, out: 8, k: 3 }, relu, { kind: 'maxPool2d', k: 2 }, { kind: 'flatten' }, linear(8 * 13 * 13, 10)],
  },
} satisfies Record<string, Model>;

function outShape(layer: Layer, shape: number[]): number[] {
  const [c = 0, h = 0, w = 0] = shape;
  switch (layer.kind) {
    case 'linear': return [layer.out];
    case 'conv2d': return [layer.out, h - layer.k + 1, w - layer.k + 1];
    case 'maxPool2d': return [c, Math.floor(h / layer.k), Math.floor(w / layer.k)];
    case 'relu': return shape;
    case 'flatten': return [shape.reduce((a, b) => a * b, 1)];
  }
}

/** One example's shape (channels first) entering each layer, then the output's. */
export function shapes(model: Model): number[][] {
  const out = [[...model.input]];
  for (const layer of model.layers) out.push(outShape(layer, out.at(-1)!));
  return out;
}

export function classCount(model: Model): number {
  return shapes(model).at(-1)![0]!;
}

/**
 * PyTorch's default init for Linear and Conv2d: weight and bias uniform in +-1/sqrt(fanIn).
 * Returns [weight, bias] per layer that has parameters, in flint's layouts: linear weight
 * [in, out], conv weight [out, in, k, k].
 */
export function initParams(model: Model, next: () => number): Float32Array[][] {
  const params: Float32Array[][] = [];
  for (const layer of model.layers) {
    if (layer.kind !== 'linear' && layer.kind !== 'conv2d') continue;
    const fanIn = layer.kind === 'linear' ? layer.in : layer.in * layer.k * layer.k;
    const bound = 1 / Math.sqrt(fanIn);
    params.push([uniform(next, fanIn * layer.out, bound), uniform(next, layer.out, bound)]);
  }
  return params;
}
