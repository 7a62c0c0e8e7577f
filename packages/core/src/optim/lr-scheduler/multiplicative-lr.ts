/** MultiplicativeLR: each epoch multiplies the current lr by a function of the epoch. */
import type { Optimizer } from '../optimizer.ts';
import { lambdasPerGroup, type LrLambda } from './lambda-lr.ts';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler.ts';

export interface MultiplicativeLROptions extends SchedulerOptions {
  /** The factor for each epoch: one function for every group, or one per group. Not part of the state dict. */
  lrLambda: LrLambda | readonly LrLambda[];
}

/**
 * From epoch 1 on, multiplies each group's current lr by `lrLambda(epoch)`.
 * @example new flint.optim.lrScheduler.MultiplicativeLR(opt, { lrLambda: () => 0.95 });
 */
export class MultiplicativeLR extends LRScheduler {
  readonly lrLambdas: readonly LrLambda[];

  constructor(optimizer: Optimizer, options: MultiplicativeLROptions) {
    super(optimizer, options.lastEpoch);
    this.lrLambdas = lambdasPerGroup('MultiplicativeLR', options.lrLambda, optimizer.paramGroups.length);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch <= 0) return this.groupLrs();
    return this.groupLrs().map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }
}
