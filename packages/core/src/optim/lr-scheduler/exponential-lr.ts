/** ExponentialLR: decay by `gamma` every epoch. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkFinite, checkRequired, checkScheduler } from './scheduler-checks.ts';

export interface ExponentialLROptions extends SchedulerOptions {
  /** Multiplicative factor of the decay each epoch. */
  gamma: number;
}

const EXPONENTIAL_LR_OPTIONS: OptionKeys<ExponentialLROptions> = { ...SCHEDULER_OPTIONS, gamma: true };

/**
 * Multiplies each group's lr by `gamma` every epoch.
 * @example new flint.optim.lrScheduler.ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    checkScheduler('ExponentialLR', optimizer, options, EXPONENTIAL_LR_OPTIONS);
    checkRequired('ExponentialLR', options, 'gamma');
    checkFinite('ExponentialLR', 'gamma', options.gamma);
    super(optimizer, options.lastEpoch);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.groupLrs().map((lr) => (this.lastEpoch === 0 ? lr : lr * this.gamma));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** this.lastEpoch);
  }
}
