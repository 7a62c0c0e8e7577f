/** How layers make their parameters: fresh storage, then PyTorch's default initialisation in place. */
import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { emptyAs } from '../../ops/creation.ts';
import { Parameter } from '../parameter.ts';
import type { Module } from '../module.ts';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '../init.ts';

/**
 * A new parameter of `owner` with `shape`, filled by `init` (left uninitialised without one). A
 * bad size from the layer's arguments is reported as the layer's: `Linear(): ...`.
 */
export function parameter(owner: Module, shape: readonly number[], init?: (t: Tensor) => void): Parameter {
  // The temporary made by emptyAs() is freed; the parameter keeps the storage.
  const p = tidy(() => new Parameter(emptyAs(owner.constructor.name, shape)));
  init?.(p);
  return p;
}

/**
 * Linear and convolution layers' default: weight kaiming_uniform_(a = sqrt(5)), i.e. U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in)), and bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 */
export function resetLinearLike(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (!bias) return;
  const { fanIn } = calculateFanInAndFanOut(weight);
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  uniform_(bias, -bound, bound);
}
