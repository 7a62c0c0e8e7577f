import type { Tensor } from '../../tensor/tensor.ts';
import { noGrad } from '../../autograd/mode.ts';
import { tidy } from '../../memory/scope.ts';
import { ones, zeros } from '../../ops/creation.ts';
import { reciprocal } from '../../ops/elementwise.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { py, pyFloat } from '../repr.ts';
import { ones_, zeros_ } from '../init.ts';
import { batchNorm } from '../functional/normalization.ts';
import { parameter } from './factory.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkInteger, checkOptionValues } from '../../options/check-values.ts';

export interface BatchNormLayerOptions {
  /** Added to the variance (1e-5 by default). */
  eps?: number;
  /** Weight of each batch in the running statistics (0.1 by default); null keeps a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); without them evaluation uses batch statistics too. */
  trackRunningStats?: boolean;
}

const BATCH_NORM_LAYER_OPTIONS: OptionKeys<BatchNormLayerOptions> = { eps: true, momentum: true, affine: true, trackRunningStats: true };

/** The value each batch or instance norm option takes. */
export const NORM_OPTION_KINDS = { eps: 'number', momentum: 'number or null', affine: 'boolean', trackRunningStats: 'boolean' } as const;

/** What BatchNorm1d, 2d and 3d share; they differ only in the input ranks they accept. */
abstract class BatchNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  /** Batches seen in training (int32); drives the cumulative average when `momentum` is null. */
  declare numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  /** The input ranks this variant accepts. */
  protected abstract readonly ranks: readonly number[];

  constructor(
    readonly numFeatures: number,
    options: BatchNormLayerOptions = {},
  ) {
    checkOptions(new.target.name, options, BATCH_NORM_LAYER_OPTIONS);
    checkInteger(new.target.name, 'num_features', numFeatures, 1);
    checkOptionValues(new.target.name, options, NORM_OPTION_KINDS);
    super();
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    this.weight = this.affine ? parameter(this, [numFeatures], ones_) : null;
    this.bias = this.affine ? parameter(this, [numFeatures], zeros_) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('runningMean', track ? zeros([numFeatures]) : null);
    this.registerBuffer('runningVar', track ? ones([numFeatures]) : null);
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null);
  }

  /** Running mean 0, running variance 1, no batches seen. */
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
    if (!this.ranks.includes(x.ndim)) {
      throw new RangeError(`${this.constructor.name}(): expected ${this.ranks.map((r) => `${r}D`).join(' or ')} input (got ${x.ndim}D input)`);
    }
    return tidy(() => {
      let momentum: number | Tensor = this.momentum ?? 0;
      if (this.training && this.numBatchesTracked) {
        noGrad(() => this.numBatchesTracked!.add_(1));
        // A cumulative average weighs the n-th batch by 1/n; computed on the device, no read back.
        if (this.momentum === null) momentum = reciprocal(this.numBatchesTracked);
      }
      const useRunning = !this.training || this.trackRunningStats;
      return batchNorm(x, useRunning ? this.runningMean : null, useRunning ? this.runningVar : null, {
        weight: this.weight,
        bias: this.bias,
        training: this.training || (!this.runningMean && !this.runningVar),
        momentum,
        eps: this.eps,
      });
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalisation of x [N, C] or [N, C, L] per channel, as torch.nn.BatchNorm1d: batch
 * statistics in training (updating `runningMean` / `runningVar`), running statistics in evaluation.
 */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
}

/**
 * Batch normalisation of x [N, C, H, W] per channel, as torch.nn.BatchNorm2d.
 * @example const bn = new nn.BatchNorm2d(8); bn.forward(x); bn.eval();
 */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
}

/** Batch normalisation of x [N, C, D, H, W] per channel, as torch.nn.BatchNorm3d. */
export class BatchNorm3d extends BatchNorm {
  protected readonly ranks = [5];
}
