import type { Tensor } from '../../tensor/tensor.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { py } from '../repr.ts';
import { linear } from '../functional/linear.ts';
import { alias } from '../../ops/view.ts';
import { parameter, resetLinearLike } from './factory.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkInteger, checkOptionValues } from '../../options/check-values.ts';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

const LINEAR_OPTIONS: OptionKeys<LinearOptions> = { bias: true };

/**
 * `y = x W^T + b` over the last dim: x [..., inFeatures] -> [..., outFeatures], as torch.nn.Linear.
 * Weight [out, in] and bias [out] start uniform in ±1/sqrt(inFeatures), as in PyTorch.
 * @example const fc = new nn.Linear(6, 4); fc.forward(flint.randn([2, 6])) // [2, 4]
 */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    checkOptions(new.target.name, options, LINEAR_OPTIONS);
    checkInteger(new.target.name, 'in_features', inFeatures, 0);
    checkInteger(new.target.name, 'out_features', outFeatures, 0);
    checkOptionValues(new.target.name, options, { bias: 'boolean' });
    super();
    this.weight = parameter(this, [outFeatures, inFeatures]);
    this.bias = options.bias === false ? null : parameter(this, [outFeatures]);
    this.resetParameters();
  }

  /** Draws the default initialisation again. */
  resetParameters(): void {
    resetLinearLike(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${py(this.bias !== null)}`;
  }
}

/**
 * Returns its input unchanged (as a new handle, like every flint op); a placeholder layer, as
 * torch.nn.Identity. Like torch's, it accepts and ignores any constructor arguments, so that it
 * can stand in for the layer it replaces: `new nn.Identity(54, { bias: false })`.
 */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  forward(x: Tensor): Tensor {
    return alias(x);
  }
}
