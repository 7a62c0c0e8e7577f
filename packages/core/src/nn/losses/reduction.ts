import { Tensor } from '../../tensor/tensor.ts';
import { typeName } from '../../tensor/type-name.ts';
import { mean, sum } from '../../ops/reduce.ts';
import { Module } from '../module.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkChoice } from '../../options/check-choice.ts';
import { checkOptionValues, type ValueKind } from '../../options/check-values.ts';

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

/** What {@link Loss.checked} reads from the class it is called on. */
interface LossClass {
  readonly name: string;
  readonly optionKeys: OptionKeys<object>;
  readonly reductions: readonly string[];
  readonly optionKinds: Readonly<Record<string, ValueKind>>;
}

/**
 * Base of the loss modules: keeps the options and runs the functional form in
 * `forward(input, target)`. A class weight given in the options becomes the `weight` buffer, as in
 * PyTorch (a view sharing the caller's tensor, which stays the caller's to dispose).
 */
export abstract class Loss<O extends { reduction?: string }> extends Module {
  /** The option names a loss class takes, checked when one is built; each class with more declares its own. */
  static readonly optionKeys: OptionKeys<object> = REDUCTION_OPTIONS;
  /** The reductions the loss takes. */
  static readonly reductions: readonly string[] = ['mean', 'sum', 'none'];
  /** What each of its number and flag options must be. */
  static readonly optionKinds: Readonly<Record<string, ValueKind>> = {};
  readonly options: Readonly<O>;

  /**
   * `options`, checked for the class it is called on, for a constructor that reads them before
   * `super()`: known keys, a listed reduction, and class weights that are live tensors.
   */
  protected static checked<O>(this: LossClass, options: O): O {
    checkOptions(this.name, options, this.optionKeys);
    const given = options as Record<string, unknown> | undefined;
    if (given?.reduction !== undefined) checkReduction(this.name, given.reduction as string, this.reductions);
    checkOptionValues(this.name, given, this.optionKinds);
    for (const name of ['weight', 'posWeight']) {
      const value = given?.[name];
      if (value === undefined || value === null) continue;
      if (!(value instanceof Tensor)) throw new TypeError(`${this.name}(): ${name} must be a Tensor, but got ${typeName(value)}`);
      value.assertAlive(this.name);
    }
    return options;
  }

  constructor(options: O = {} as O) {
    (new.target as unknown as LossClass & typeof Loss).checked(options);
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
