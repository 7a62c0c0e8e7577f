/**
 * Plumbing for ops composed from primitives whose gradient is stated in closed form: the forward
 * runs without recording (its intermediate steps may hold infinities in branches a `where` drops,
 * whose own gradients would turn into NaN), and the stated gradient is recorded in one node.
 */
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { castTo } from './cast.ts';
import { record } from './kernel.ts';
import { sumTo } from './elementwise.ts';
import { shapeOf } from './broadcast.ts';
import { alias } from './view.ts';

/** Gradients of the composed op's inputs, one per input (null where none flows), before broadcasting is undone. */
export type ComposedGrad = (g: Tensor, out: Tensor, needs: readonly boolean[]) => ReadonlyArray<Tensor | null>;

/**
 * `forward()` computed without recording, with `grads` recorded as its backward over `inputs`.
 * Each gradient is summed back to its input's shape (undoing broadcasting); `saved` lists the
 * tensors `grads` reads besides the output; `needs` tells `grads` which inputs want a gradient.
 */
export function composed(name: string, inputs: readonly TensorLike[], saved: readonly Tensor[], forward: () => Tensor, grads: ComposedGrad): Tensor {
  const out = tidy(() => noGrad(forward));
  if (out.dtype !== 'float32') return out;
  return record(`${name[0]!.toUpperCase()}${name.slice(1)}Backward`, out, inputs, [...saved, out], (g) => {
    const needs = inputs.map((x) => x instanceof Tensor && x.requiresGrad);
    const gs = grads(g, out, needs);
    return inputs.map((x, i) => (needs[i] && gs[i] ? sumTo(gs[i]!, shapeOf(x)) : null));
  });
}

/** `x` as float32: itself (a new handle) when already float32, else a converted copy (int32 and bool inputs of float-valued ops). */
export function asFloat(x: Tensor): Tensor {
  return x.dtype === 'float32' ? alias(x) : castTo(x, 'float32');
}

/** `x` as float32, or a number unchanged: operands of float-valued binary ops. */
export function floatOperand(x: TensorLike): TensorLike {
  return x instanceof Tensor ? asFloat(x) : Number(x);
}
