/** ConstantLR: the lr scaled by a constant factor for the first epochs. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkCount, checkScheduler } from './scheduler-checks.ts';

export interface ConstantLROptions extends SchedulerOptions {
  /** Factor applied until `totalIters`, in [0, 1] (default 1/3). */
  factor?: number;
  /** Epochs the factor holds for (default 5). */
  totalIters?: number;
}

const CONSTANT_LR_OPTIONS: OptionKeys<ConstantLROptions> = { ...SCHEDULER_OPTIONS, factor: true, totalIters: true };

/**
 * Multiplies each group's lr by `factor` until epoch `totalIters`, then restores it.
 * @example new flint.optim.lrScheduler.ConstantLR(opt, { factor: 0.5, totalIters: 4 });
 */
export class ConstantLR extends LRScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer, options: ConstantLROptions = {}) {
    checkScheduler('ConstantLR', optimizer, options, CONSTANT_LR_OPTIONS);
    const { factor = 1 / 3, totalIters = 5 } = options;
    if (!(factor >= 0 && factor <= 1)) throw new RangeError('ConstantLR(): Constant multiplicative factor expected to be between 0 and 1.');
    checkCount('ConstantLR', 'totalIters', totalIters, true);
    super(optimizer, options.lastEpoch);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const t = this.lastEpoch;
    if (t === 0) return this.groupLrs().map((lr) => lr * this.factor);
    if (t !== this.totalIters) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((lr) => lr * (this.factor + done * (1 - this.factor)));
  }
}
