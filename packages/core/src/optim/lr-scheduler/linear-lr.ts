/** LinearLR: scale the lr by a factor moving linearly from `startFactor` to `endFactor`. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkCount, checkScheduler } from './scheduler-checks.ts';

export interface LinearLROptions extends SchedulerOptions {
  /** Factor at epoch 0, in [0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor from `totalIters` on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs the factor takes to get from start to end (default 5). */
  totalIters?: number;
}

const LINEAR_LR_OPTIONS: OptionKeys<LinearLROptions> = { ...SCHEDULER_OPTIONS, startFactor: true, endFactor: true, totalIters: true };

/**
 * Multiplies each group's initial lr by a factor that moves linearly from `startFactor` to
 * `endFactor` over `totalIters` epochs; a common warm-up.
 * @example new flint.optim.lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    checkScheduler('LinearLR', optimizer, options, LINEAR_LR_OPTIONS);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    if (!(startFactor >= 0 && startFactor <= 1)) throw new RangeError('LinearLR(): Starting multiplicative factor expected to be between 0 and 1.');
    if (!(endFactor >= 0 && endFactor <= 1)) throw new RangeError('LinearLR(): Ending multiplicative factor expected to be between 0 and 1.');
    checkCount('LinearLR', 'totalIters', totalIters);
    super(optimizer, options.lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: t, startFactor: start, endFactor: end, totalIters: total } = this;
    if (t === 0) return this.groupLrs().map((lr) => lr * start);
    if (t > total) return this.groupLrs();
    // The ratio of consecutive factors, so the chainable form reaches exactly the linear values.
    return this.groupLrs().map((lr) => lr * (1 + (end - start) / (total * start + (t - 1) * (end - start))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: start, endFactor: end, totalIters: total } = this;
    return this.baseLrs.map((lr) => lr * (start + ((end - start) * Math.min(total, this.lastEpoch)) / total));
  }
}
