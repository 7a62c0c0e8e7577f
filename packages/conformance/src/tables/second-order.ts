/** Second derivatives of any fixture op, for the fixtures that scripts record with `second_derivative`. */
import * as flint from '@flint/core';
import type { OpFn } from './ops.ts';

/**
 * The op `gradOf`: the gradient of op `args.inner` of `table` (its value when 0-d, else the sum of
 * its cubed output) with respect to its first input, built with createGraph so that the fixture's
 * gradient check is a second derivative.
 */
export function gradOf(table: Readonly<Record<string, OpFn>>): OpFn {
  return (inputs, a) => {
    const [first, ...rest] = inputs;
    // In a forward-only run the inputs are not leaves that require grad; differentiate a fresh one.
    const x = first!.requiresGrad ? first! : first!.detach().requiresGrad_();
    const { inner, ...args } = a;
    const out = table[inner as string]!([x, ...rest], args);
    const s = out.ndim === 0 ? out : out.pow(3).sum();
    return flint.autograd.grad([s], [x], { createGraph: true })[0]!;
  };
}
