import type { Tensor } from '../../tensor/tensor.ts';
import type { Generator } from '../../random/generator.ts';
import { dropout } from '../../ops/dropout.ts';
import { Module } from '../module.ts';
import { pyFloat } from '../repr.ts';

/**
 * In training, zeroes each element with probability `p` and scales the rest by 1 / (1 - p); in
 * evaluation, the identity. As torch.nn.Dropout.
 * @example const drop = new nn.Dropout(0.1); model.eval(); // drop is now the identity
 */
export class Dropout extends Module {
  constructor(
    readonly p = 0.5,
    readonly options: { generator?: Generator } = {},
  ) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout(): dropout probability has to be between 0 and 1, but got ${p}`);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.options.generator });
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
