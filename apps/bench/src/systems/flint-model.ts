/**
 * flint's networks for the training workloads, written as a user would: nn modules, the functional
 * cross entropy and optim.SGD, starting from the weights every system shares.
 */
import * as flint from '@flint/core';
import type { Layer } from '../models.ts';
import type { TrainData } from '../workloads.ts';

const { nn } = flint;

function module(spec: Layer): flint.nn.Module {
  switch (spec.kind) {
    case 'linear': return new nn.Linear(spec.in, spec.out);
    case 'conv2d': return new nn.Conv2d(spec.in, spec.out, spec.k);
    case 'relu': return new nn.ReLU();
    case 'maxPool2d': return new nn.MaxPool2d(spec.k);
    case 'flatten': return new nn.Flatten();
  }
}

/** Copies the shared initial weights in (linear weights arrive as [in, out], flint keeps [out, in]). */
function loadShared(layer: flint.nn.Module, spec: Layer, [w, b]: Float32Array[]): void {
  const { weight, bias } = layer as flint.nn.Linear;
  flint.noGrad(() => flint.tidy(() => {
    const values = flint.tensor(w!);
    weight.copy_(spec.kind === 'linear' ? values.reshape([spec.in, spec.out]).T : values.reshape(weight.shape));
    bias!.copy_(flint.tensor(b!));
  }));
}

/** The model as an nn.Sequential holding the shared initial weights. */
export function buildNet(data: TrainData): flint.nn.Sequential {
  const initial = data.params[Symbol.iterator]();
  const layers = data.model.layers.map((spec) => {
    const layer = module(spec);
    if (spec.kind === 'linear' || spec.kind === 'conv2d') loadShared(layer, spec, initial.next().value!);
    return layer;
  });
  return new nn.Sequential(...layers);
}
