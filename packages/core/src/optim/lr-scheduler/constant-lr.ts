/** ConstantLR: the lr scaled by a constant factor for the first epochs. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler.ts';

export interface ConstantLROptions extends SchedulerOptions {
  /** Factor applied until `totalIters`, in [0, 1] (default 1/3). */
  factor?: number;
  /** Epochs the factor holds for (default 5). */
  totalIters?: number;
}

/**
 * Multiplies each group's lr by `factor` until epoch `totalIters`, then restores it.
 * @example new flint.optim.lrScheduler.ConstantLR(opt, { factor: 0.5, totalIters: 4 });
 */
export class ConstantLR extends LRScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer, options: ConstantLROptions = {}) {
    super(optimizer, options.lastEpoch);
    this.factor = options.factor ?? 1 / 3;
    this.totalIters = options.totalIters ?? 5;
    if (!(this.factor >= 0 && this.factor <= 1)) throw new RangeError('ConstantLR(): Constant multiplicative factor expected to be between 0 and 1.');
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
