import type { Tensor } from '../../tensor/tensor.ts';
import { mean, sum } from '../../ops/reduce.ts';
import { Module } from '../module.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkChoice } from '../../options/check-choice.ts';

/** How a loss combines its elementwise values: averaged (default), summed, or returned as they are. */
export type Reduction = 'mean' | 'sum' | 'none';

export interface ReductionOptions {
  reduction?: Reduction;
}

export const REDUCTION_OPTIONS: OptionKeys<ReductionOptions> = { reduction: true };

/** `reduction`, or PyTorch's error, listing `allowed`, when it is not one of them. */
export function checkReduction<R extends string>(op: string, reduction: R, allowed: readonly string[] = ['mean', 'sum', 'none']): R {
  checkChoice(op, 'reduction', reduction, allowed);
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
  /** The option names a loss class takes, checked when one is built; each class with more declares its own. */
  static readonly optionKeys: OptionKeys<object> = REDUCTION_OPTIONS;
  readonly options: Readonly<O>;

  /** `options`, checked for the class it is called on, for a constructor that reads them before `super()`. */
  protected static checked<O>(this: { name: string; optionKeys: OptionKeys<object> }, options: O): O {
    checkOptions(this.name, options, this.optionKeys);
    return options;
  }

  constructor(options: O = {} as O) {
    checkOptions(new.target.name, options, (new.target as unknown as typeof Loss).optionKeys);
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
