/** MultiStepLR: decay by `gamma` at each milestone epoch. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler.ts';

export interface MultiStepLROptions extends SchedulerOptions {
  /** Epochs at which to decay; a milestone listed twice decays twice. */
  milestones: readonly number[];
  /** Multiplicative factor of each decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's lr by `gamma` whenever the epoch reaches a milestone.
 * @example new flint.optim.lrScheduler.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  /** How many times each milestone epoch is listed (torch's Counter). */
  readonly milestones = new Map<number, number>();
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
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
