/** MultiplicativeLR: each epoch multiplies the current lr by a function of the epoch. */
import type { Optimizer } from '../optimizer.ts';
import { lambdasPerGroup, type LrLambda } from './lambda-lr.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';

export interface MultiplicativeLROptions extends SchedulerOptions {
  /** The factor for each epoch: one function for every group, or one per group. Not part of the state dict. */
  lrLambda: LrLambda | readonly LrLambda[];
}

const MULTIPLICATIVE_LR_OPTIONS: OptionKeys<MultiplicativeLROptions> = { ...SCHEDULER_OPTIONS, lrLambda: true };

/**
 * From epoch 1 on, multiplies each group's current lr by `lrLambda(epoch)`.
 * @example new flint.optim.lrScheduler.MultiplicativeLR(opt, { lrLambda: () => 0.95 });
 */
export class MultiplicativeLR extends LRScheduler {
  readonly lrLambdas: readonly LrLambda[];

  constructor(optimizer: Optimizer, options: MultiplicativeLROptions) {
    const lrLambdas = lambdasPerGroup('MultiplicativeLR', optimizer, options, MULTIPLICATIVE_LR_OPTIONS);
    super(optimizer, options.lastEpoch);
    this.lrLambdas = lrLambdas;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch <= 0) return this.groupLrs();
    return this.groupLrs().map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }
}
