/** PolynomialLR: the lr decays to zero along a polynomial over `totalIters` epochs. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkCount, checkFinite, checkScheduler } from './scheduler-checks.ts';

export interface PolynomialLROptions extends SchedulerOptions {
  /** Epochs until the lr reaches zero (default 5). */
  totalIters?: number;
  /** The polynomial's power (default 1: linear). */
  power?: number;
}

const POLYNOMIAL_LR_OPTIONS: OptionKeys<PolynomialLROptions> = { ...SCHEDULER_OPTIONS, totalIters: true, power: true };

/**
 * Sets each group's lr to `initialLr * (1 - min(t, totalIters) / totalIters)^power`, computed
 * recursively from the current lr as PyTorch 1.13 does.
 * @example new flint.optim.lrScheduler.PolynomialLR(opt, { totalIters: 100, power: 2 });
 */
export class PolynomialLR extends LRScheduler {
  readonly totalIters: number;
  readonly power: number;

  constructor(optimizer: Optimizer, options: PolynomialLROptions = {}) {
    checkScheduler('PolynomialLR', optimizer, options, POLYNOMIAL_LR_OPTIONS);
    checkCount('PolynomialLR', 'totalIters', options.totalIters ?? 5);
    checkFinite('PolynomialLR', 'power', options.power ?? 1);
    super(optimizer, options.lastEpoch);
    this.totalIters = options.totalIters ?? 5;
    this.power = options.power ?? 1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: t, totalIters: total } = this;
    if (t === 0 || t > total) return this.groupLrs();
    const decay = ((1 - t / total) / (1 - (t - 1) / total)) ** this.power;
    return this.groupLrs().map((lr) => lr * decay);
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, totalIters: total } = this;
    return this.baseLrs.map((lr) => lr * (1 - Math.min(total, t) / total) ** this.power);
  }
}
