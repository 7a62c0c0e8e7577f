import type { Tensor } from '../../tensor/tensor.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { py } from '../repr.ts';
import { uniform_ } from '../init.ts';
import { bilinear } from '../functional/linear.ts';
import { parameter } from './factory.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkInteger, checkOptionValues } from '../../options/check-values.ts';

export interface BilinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

const BILINEAR_OPTIONS: OptionKeys<BilinearOptions> = { bias: true };

/**
 * `y = x1^T A x2 + b`: x1 [..., in1Features] and x2 [..., in2Features] -> [..., outFeatures], as
 * torch.nn.Bilinear. Weight [out, in1, in2] and bias [out] start uniform in ±1/sqrt(in1Features).
 */
export class Bilinear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly in1Features: number,
    readonly in2Features: number,
    readonly outFeatures: number,
    options: BilinearOptions = {},
  ) {
    checkOptions('Bilinear', options, BILINEAR_OPTIONS);
    checkInteger('Bilinear', 'in1_features', in1Features, 1);
    checkInteger('Bilinear', 'in2_features', in2Features, 1);
    checkInteger('Bilinear', 'out_features', outFeatures, 1);
    checkOptionValues('Bilinear', options, { bias: 'boolean' });
    super();
    this.weight = parameter(this, [outFeatures, in1Features, in2Features]);
    this.bias = options.bias === false ? null : parameter(this, [outFeatures]);
    this.resetParameters();
  }

  /** Draws U(-1/sqrt(in1Features), 1/sqrt(in1Features)) again, as torch. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1]!);
    uniform_(this.weight, -bound, bound);
    if (this.bias) uniform_(this.bias, -bound, bound);
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${py(this.bias !== null)}`;
  }
}
