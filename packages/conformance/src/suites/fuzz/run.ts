/**
 * Running one case on one device: the forward result, or the gradients of `sum(out * w)` for a
 * fixed random `w`, or the error the call throws; and the one-line repro that recreates it.
 */
import * as flint from '@flint/core';
import { callSource, runCall } from './call.ts';
import type { CaseInput, FuzzCase } from './catalogue.ts';
import { CaseRandom } from './random.ts';
import { closedForm, numel, tensorLiteral, upload, type HostTensor } from './values.ts';

/** The result tensors (forward output, or gradients with the forward shape), or the error thrown. */
export type Outcome = { readonly tensors: ReadonlyArray<flint.Tensor | null>; readonly outShape: readonly number[] } | { readonly error: string };

/**
 * The weights `w` of the gradient check: multiples of 1/16 in [-1, 1], from the case's own stream;
 * for long rows a closed form in (0, 1] (a plain sum's weights, whose running totals grow).
 */
export function gradientWeights(c: FuzzCase, seed: number, shape: readonly number[]): HostTensor {
  if (c.longRow) return closedForm(shape, '((i * 37) % 16 + 1) / 17', (i) => (((i * 37) % 16) + 1) / 17);
  const r = new CaseRandom(seed ^ 0x5eed5eed, c.index);
  return { shape, dtype: 'float32', data: Array.from({ length: numel(shape) }, () => Math.round((r.next() * 2 - 1) * 16) / 16) };
}

export const differentiable = (c: FuzzCase, i: number): boolean => c.inputs[i]!.grad && c.inputs[i]!.host.dtype === 'float32';
/** The inputs whose gradients a gradient check returns, in order. */
export const gradientInputs = (c: FuzzCase): CaseInput[] => c.inputs.filter((_, i) => differentiable(c, i));

/** Whether the case has a gradient to check: a float input that takes one. */
export const hasGradient = (c: FuzzCase): boolean => c.inputs.some((_, i) => differentiable(c, i));

/** The error as compared across backends: its class and message, the device name masked. */
function describeError(err: unknown, device: string): string {
  const e = err instanceof Error ? err : new Error(String(err));
  return `${e.name}: ${e.message.split(device).join('<device>')}`;
}

/** Runs the case on `device`; the tensors returned are the caller's to dispose. */
export function execute(c: FuzzCase, seed: number, device: string, gradient: boolean): Outcome {
  let outShape: readonly number[] = [];
  try {
    const tensors = flint.tidy(() => {
        const leaves = c.inputs.map((input, i) => upload(flint, input.host, device, gradient && differentiable(c, i)));
        const xs = leaves.map((leaf, i) => c.inputs[i]!.view?.apply(leaf) ?? leaf);
        const called = runCall(c.call, xs);
        const out = c.inPlace ? leaves[0]! : called;
        outShape = [...out.shape];
        if (!gradient) return [out.detach()];
        if (out.dtype !== 'float32') return [];
        out.mul(upload(flint, gradientWeights(c, seed, out.shape), device)).sum().backward();
        return leaves.filter((_, i) => differentiable(c, i)).map((leaf) => leaf.grad?.clone() ?? null);
    });
    return { tensors, outShape };
  } catch (err) {
    return { error: describeError(err, device) };
  }
}

/** JavaScript that recreates the case's forward result (or, with `gradient`, its input gradients). */
export function repro(c: FuzzCase, seed: number, gradient: boolean, outShape: readonly number[]): string {
  const names = c.inputs.map((_, i) => `x${i}`);
  const viewed = c.inputs.map((input, i) => (input.view ? input.view.source(names[i]!) : names[i]!));
  const declare = c.inputs.map((input, i) => `const ${names[i]} = ${tensorLiteral(input.host)}${gradient && differentiable(c, i) ? '.requiresGrad_()' : ''};`).join(' ');
  const call = callSource(c.call, viewed);
  // An in-place op's result is the tensor its view wrote into.
  const [statement, expr] = c.inPlace ? [`${call}; `, names[0]!] : ['', call];
  if (!gradient) return `${declare} ${statement}${expr}`;
  const w = tensorLiteral(gradientWeights(c, seed, outShape));
  const grads = names.filter((_, i) => differentiable(c, i)).map((n) => `${n}.grad`);
  return `${declare} ${statement}${expr}.mul(${w}).sum().backward(); [${grads.join(', ')}]`;
}
