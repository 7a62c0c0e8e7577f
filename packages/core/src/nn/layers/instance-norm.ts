import type { Tensor } from '../../tensor/tensor.ts';
import { noGrad } from '../../autograd/mode.ts';
import { tidy } from '../../memory/scope.ts';
import { ones, zeros } from '../../ops/creation.ts';
import { squeeze, unsqueeze } from '../../ops/view.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { py, pyFloat } from '../repr.ts';
import { ones_, zeros_ } from '../init.ts';
import { instanceNorm } from '../functional/normalization.ts';
import { parameter } from './factory.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkInteger, checkOptionValues } from '../../options/check-values.ts';
import { NORM_OPTION_KINDS } from './batchnorm.ts';

export interface InstanceNormLayerOptions {
  /** Added to the variance (1e-5 by default). */
  eps?: number;
  /** Weight of each batch in the running statistics (0.1 by default; null, a cumulative average, is rejected). */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default false, as in torch). */
  affine?: boolean;
  /** Keep running statistics and normalise by them in evaluation (default false, as in torch). */
  trackRunningStats?: boolean;
}

const INSTANCE_NORM_LAYER_OPTIONS: OptionKeys<InstanceNormLayerOptions> = { eps: true, momentum: true, affine: true, trackRunningStats: true };

/** What InstanceNorm1d and InstanceNorm2d share; they differ only in their batched input rank. */
abstract class InstanceNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  /** Kept for torch's state-dict layout; instance normalisation never reads or advances it, as in torch. */
  declare numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  /** The rank of a batched input [N, C, ...]; one less is an unbatched [C, ...]. */
  protected abstract readonly rank: number;

  constructor(
    readonly numFeatures: number,
    options: InstanceNormLayerOptions = {},
  ) {
    checkOptions(new.target.name, options, INSTANCE_NORM_LAYER_OPTIONS);
    checkInteger(new.target.name, 'num_features', numFeatures, 1);
    checkOptionValues(new.target.name, options, NORM_OPTION_KINDS);
    super();
    if (options.momentum === null) throw new RangeError(`${new.target.name}(): momentum=None (a cumulative average) is not supported by instance normalisation`);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    this.affine = options.affine ?? false;
    this.trackRunningStats = options.trackRunningStats ?? false;
    this.weight = this.affine ? parameter(this, [numFeatures], ones_) : null;
    this.bias = this.affine ? parameter(this, [numFeatures], zeros_) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('runningMean', track ? zeros([numFeatures]) : null);
    this.registerBuffer('runningVar', track ? ones([numFeatures]) : null);
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null);
  }

  /** Running mean 0, running variance 1. */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }

  /** Resets the running statistics, and the scale and shift to 1 and 0. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  forward(x: Tensor): Tensor {
    const name = this.constructor.name;
    if (x.ndim !== this.rank && x.ndim !== this.rank - 1) throw new RangeError(`${name}(): expected ${this.rank - 1}D or ${this.rank}D input (got ${x.ndim}D input)`);
    const batched = x.ndim === this.rank;
    const channels = x.shape[batched ? 1 : 0]!;
    if ((this.affine || this.trackRunningStats) && channels !== this.numFeatures) {
      throw new RangeError(`${name}(): expected input's size at dim=${batched ? 1 : 0} to match num_features (${this.numFeatures}), but got: ${channels}.`);
    }
    return tidy(() => {
      const input = batched ? x : unsqueeze(x, 0);
      const out = instanceNorm(input, this.runningMean, this.runningVar, {
        weight: this.weight,
        bias: this.bias,
        useInputStats: this.training || !this.trackRunningStats,
        momentum: this.momentum,
        eps: this.eps,
      });
      return batched ? out : squeeze(out, 0);
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
  }
}

/**
 * Instance normalisation of x [N, C, L] or [C, L]: each channel of each sample normalised over its
 * positions, as torch.nn.InstanceNorm1d.
 */
export class InstanceNorm1d extends InstanceNorm {
  protected readonly rank = 3;
}

/**
 * Instance normalisation of x [N, C, H, W] or [C, H, W], as torch.nn.InstanceNorm2d.
 * @example new nn.InstanceNorm2d(64, { affine: true }) // style-transfer networks
 */
export class InstanceNorm2d extends InstanceNorm {
  protected readonly rank = 4;
}
