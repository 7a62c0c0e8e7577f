/**
 * flint's networks, loss and optimizer for the training workloads, written from core ops because
 * flint.nn and flint.optim are not ready yet. This is the one file to switch to nn modules (and
 * optim.SGD) once they land.
 */
import * as flint from '@flint/core';
import type { Layer } from '../models.ts';
import type { TrainData } from '../workloads.ts';

type ParamLayer = Extract<Layer, { kind: 'linear' | 'conv2d' }>;

function parameter(values: Float32Array, shape: number[]): flint.Tensor {
  return flint.tidy(() => flint.tensor(values).reshape(shape)).requiresGrad_();
}

function withParams(spec: ParamLayer, [w, b]: Float32Array[]): { params: flint.Tensor[]; apply: (h: flint.Tensor) => flint.Tensor } {
  const bias = parameter(b!, [spec.out]);
  if (spec.kind === 'linear') {
    const weight = parameter(w!, [spec.in, spec.out]);
    return { params: [weight, bias], apply: (h) => h.matmul(weight).add(bias) };
  }
  const weight = parameter(w!, [spec.out, spec.in, spec.k, spec.k]);
  return { params: [weight, bias], apply: (h) => flint.conv2d(h, weight, bias) };
}

function withoutParams(spec: Exclude<Layer, ParamLayer>): (h: flint.Tensor) => flint.Tensor {
  switch (spec.kind) {
    case 'relu': return (h) => h.relu();
    case 'maxPool2d': return (h) => flint.maxPool2d(h, spec.k);
    case 'flatten': return (h) => h.flatten(1);
  }
}

export interface Net {
  forward(x: flint.Tensor): flint.Tensor;
  parameters: flint.Tensor[];
}

export function buildNet(data: TrainData): Net {
  const parameters: flint.Tensor[] = [];
  const initial = data.params[Symbol.iterator]();
  const layers = data.model.layers.map((spec) => {
    if (spec.kind !== 'linear' && spec.kind !== 'conv2d') return withoutParams(spec);
    const { params, apply } = withParams(spec, initial.next().value!);
    parameters.push(...params);
    return apply;
  });
  return { forward: (x) => layers.reduce((h, apply) => apply(h), x), parameters };
}

/** Cross entropy on class indices. */
export function crossEntropy(logits: flint.Tensor, y: flint.Tensor): flint.Tensor {
  return logits.logSoftmax(1).gather(1, y.unsqueeze(1)).mean().neg();
}

/** Plain SGD, then zeroed gradients for the next step. */
export function sgd(parameters: flint.Tensor[], lr: number): void {
  flint.noGrad(() => {
    for (const p of parameters) {
      p.sub_(p.grad!.mul(lr));
      p.grad!.zero_();
    }
  });
}
