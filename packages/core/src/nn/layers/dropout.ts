import type { Tensor } from '../../tensor/tensor.ts';
import type { Generator } from '../../random/generator.ts';
import { alphaDropout, dropout, featureDropout } from '../../ops/dropout.ts';
import { Module } from '../module.ts';
import { pyFloat } from '../repr.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkProbability } from '../../options/check-values.ts';

export interface DropoutLayerOptions {
  /** The source of the random masks (the global generator by default). */
  generator?: Generator;
}

const DROPOUT_LAYER_OPTIONS: OptionKeys<DropoutLayerOptions> = { generator: true };

/** What the dropout layers share: the probability `p`, checked as torch does, and the repr. */
abstract class DropoutBase extends Module {
  constructor(
    readonly p = 0.5,
    readonly options: DropoutLayerOptions = {},
  ) {
    checkOptions(new.target.name, options, DROPOUT_LAYER_OPTIONS);
    checkProbability(new.target.name, 'p', p, 'dropout probability has to be between 0 and 1');
    super();
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}

/**
 * In training, zeroes each element with probability `p` and scales the rest by 1 / (1 - p); in
 * evaluation, the identity. As torch.nn.Dropout.
 * @example const drop = new nn.Dropout(0.1); model.eval(); // drop is now the identity
 */
export class Dropout extends DropoutBase {
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.options.generator });
  }
}

/**
 * Channel dropout: in training each channel of the input is zeroed whole with probability `p` and
 * the rest scaled by 1 / (1 - p); in evaluation, the identity. The variants differ in the rank
 * they read as unbatched [C, ...] (null: every input has a batch dim).
 */
abstract class ChannelDropout extends DropoutBase {
  protected abstract readonly unbatchedRank: number | null;

  forward(x: Tensor): Tensor {
    return featureDropout(x, this.p, x.ndim !== this.unbatchedRank, { training: this.training, generator: this.options.generator });
  }
}

/** Channel dropout on x [N, C, L] or [C, L], as torch.nn.Dropout1d. */
export class Dropout1d extends ChannelDropout {
  protected readonly unbatchedRank = 2;

  override forward(x: Tensor): Tensor {
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw new RangeError(
        `Dropout1d(): dropout1d: Expected 2D or 3D input, but received a ${x.ndim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`,
      );
    }
    return super.forward(x);
  }
}

/**
 * Channel dropout on x [N, C, H, W], as torch.nn.Dropout2d; a 3-D input is read as [N, C, L], as
 * torch 1.13 does (with a warning there).
 */
export class Dropout2d extends ChannelDropout {
  protected readonly unbatchedRank = null;
}

/** Channel dropout on x [N, C, D, H, W] or [C, D, H, W], as torch.nn.Dropout3d. */
export class Dropout3d extends ChannelDropout {
  protected readonly unbatchedRank = 4;
}

/**
 * Dropout for self-normalising networks, as torch.nn.AlphaDropout: dropped elements take SELU's
 * negative saturation value and the result is scaled and shifted to keep mean 0 and variance 1;
 * the identity in evaluation.
 */
export class AlphaDropout extends DropoutBase {
  forward(x: Tensor): Tensor {
    return alphaDropout(x, this.p, { training: this.training, generator: this.options.generator });
  }
}
