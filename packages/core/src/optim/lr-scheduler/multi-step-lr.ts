/** MultiStepLR: decay by `gamma` at each milestone epoch. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkFinite, checkRequired, checkScheduler } from './scheduler-checks.ts';

export interface MultiStepLROptions extends SchedulerOptions {
  /** Epochs at which to decay; a milestone listed twice decays twice. */
  milestones: readonly number[];
  /** Multiplicative factor of each decay (default 0.1). */
  gamma?: number;
}

const MULTI_STEP_LR_OPTIONS: OptionKeys<MultiStepLROptions> = { ...SCHEDULER_OPTIONS, milestones: true, gamma: true };

/**
 * Multiplies each group's lr by `gamma` whenever the epoch reaches a milestone.
 * @example new flint.optim.lrScheduler.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  /** How many times each milestone epoch is listed (torch's Counter). */
  readonly milestones = new Map<number, number>();
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
    checkScheduler('MultiStepLR', optimizer, options, MULTI_STEP_LR_OPTIONS);
    checkRequired('MultiStepLR', options, 'milestones');
    const { milestones } = options;
    if (!Array.isArray(milestones) || !milestones.every((m, i) => Number.isInteger(m) && m >= 0 && (i === 0 || m >= milestones[i - 1]!))) {
      throw new RangeError(`MultiStepLR(): milestones should be a list of non-decreasing non-negative integers, but got ${JSON.stringify(milestones)}`);
    }
    checkFinite('MultiStepLR', 'gamma', options.gamma ?? 0.1);
    super(optimizer, options.lastEpoch);
    for (const m of options.milestones) this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1);
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const decays = this.milestones.get(this.lastEpoch) ?? 0;
    return this.groupLrs().map((lr) => (decays === 0 ? lr : lr * this.gamma ** decays));
  }

  protected override closedFormLr(): number[] {
    let passed = 0;
    for (const [epoch, count] of this.milestones) if (epoch <= this.lastEpoch) passed += count;
    return this.baseLrs.map((lr) => lr * this.gamma ** passed);
  }
}
