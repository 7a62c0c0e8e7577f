import type { Tensor } from '../../tensor/tensor.ts';
import { mean, sum } from '../../ops/reduce.ts';
import { Module } from '../module.ts';

/** How a loss combines its elementwise values: averaged (default), summed, or returned as they are. */
export type Reduction = 'mean' | 'sum' | 'none';

export interface ReductionOptions {
  reduction?: Reduction;
}

/** `reduction`, or PyTorch's error when it is not one of `allowed`. */
export function checkReduction<R extends string>(op: string, reduction: R, allowed: readonly string[] = ['mean', 'sum', 'none']): R {
  if (!allowed.includes(reduction)) throw new RangeError(`${op}(): ${reduction} is not a valid value for reduction`);
  return reduction;
}

/** Applies `reduction` to elementwise losses. */
export function reduce(op: string, loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  const r = checkReduction(op, reduction);
  return r === 'mean' ? mean(loss) : r === 'sum' ? sum(loss) : loss;
}

/**
 * Base of the loss modules: keeps the options and runs the functional form in
 * `forward(input, target)`. A class weight given in the options becomes the `weight` buffer, as in
 * PyTorch (a view sharing the caller's tensor, which stays the caller's to dispose).
 */
export abstract class Loss<O extends { reduction?: string }> extends Module {
  readonly options: Readonly<O>;

  constructor(options: O = {} as O) {
    super();
    this.options = options;
  }

  get reduction(): NonNullable<O['reduction']> | 'mean' {
    return this.options.reduction ?? 'mean';
  }

  /** Registers `tensor` (if any) as a buffer named `name`, as a view the module owns. */
  protected weightBuffer(name: string, tensor: Tensor | null | undefined): void {
    this.registerBuffer(name, tensor ? tensor.detach() : null);
  }

  abstract override forward(input: Tensor, target: Tensor): Tensor;
}
